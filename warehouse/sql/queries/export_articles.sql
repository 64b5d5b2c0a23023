-- The export contract: one record per article. Field names are stable; add, never rename.
SELECT
    a.article_id,
    a.url,
    a.canonical_url,
    a.source_id,
    s.name            AS source_name,
    s.country,
    a.feed_url,
    a.title,
    a.author,
    a.published_at,
    a.fetched_at,
    a.language,
    a.text,
    a.word_count,
    a.image,
    a.section,
    a.categories,
    a.extraction_status,
    a.extraction_error,
    a.content_hash,
    a.cluster_id,
    coalesce(a.is_canonical, false) AS is_canonical,
    a.wire_agency,
    a.agency_evidence
FROM articles a
LEFT JOIN sources s USING (source_id)
ORDER BY a.published_at NULLS LAST, a.article_id;
