-- How much of each country's output in the last 7 days is wire copy, and from which agencies.
SELECT
    s.country,
    count(*)                                                     AS articles,
    count(*) FILTER (WHERE coalesce(a.wire_agency, c.agency) IS NOT NULL) / count(*) AS wire_share,
    list(DISTINCT coalesce(a.wire_agency, c.agency)) FILTER (WHERE coalesce(a.wire_agency, c.agency) IS NOT NULL) AS agencies
FROM articles a
JOIN sources s USING (source_id)
LEFT JOIN story_clusters c ON c.cluster_id = a.cluster_id
WHERE coalesce(a.published_at, a.fetched_at) >= now() - INTERVAL 7 DAY
GROUP BY s.country
ORDER BY wire_share DESC, s.country;
