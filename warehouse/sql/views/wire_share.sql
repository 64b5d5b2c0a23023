-- Wire agencies per UTC day: how many articles carry each agency's story, that agency's share
-- of all the day's articles, and how many distinct stories (clusters) those articles make.
-- An article's agency is its own attribution (dateline, credit, byline) or, failing that, the
-- agency voted for its story cluster: a copy whose dateline an outlet removed still counts.
-- Articles with no agency either way are original reporting and get no row here; the day's
-- total (`day_articles`) includes them, so shares of one day sum to at most 1.
CREATE OR REPLACE VIEW wire_share AS
WITH dated AS (
    SELECT
        CAST(timezone('UTC', coalesce(a.published_at, a.fetched_at)) AS DATE) AS day,
        coalesce(a.wire_agency, c.agency)                                     AS agency,
        coalesce(a.cluster_id, a.article_id)                                  AS story
    FROM articles a
    LEFT JOIN story_clusters c ON c.cluster_id = a.cluster_id
),
per_day AS (
    SELECT day, count(*) AS day_articles FROM dated GROUP BY day
)
SELECT
    d.day,
    d.agency,
    count(*)                                  AS articles,
    any_value(p.day_articles)                 AS day_articles,
    count(*) / any_value(p.day_articles)      AS share,
    count(DISTINCT d.story)                   AS clusters
FROM dated d
JOIN per_day p USING (day)
WHERE d.agency IS NOT NULL
GROUP BY d.day, d.agency
ORDER BY d.day, articles DESC, d.agency;
