-- Stories of the last 24 hours (relative to now()), most widely carried first. Only articles
-- seen (published, else fetched) in the window count, so an old cluster that gets one late
-- copy shows with n_outlets = 1. Articles without a cluster (failed extraction) are their own
-- story. Articles dated more than an hour ahead of now() (bad time zones) are left out.
CREATE OR REPLACE VIEW top_stories_24h AS
SELECT
    coalesce(a.cluster_id, a.article_id)                          AS cluster_id,
    coalesce(any_value(c.title), arg_min(a.title, coalesce(a.published_at, a.fetched_at))) AS title,
    any_value(c.agency)                                           AS agency,
    count(DISTINCT a.source_id)                                   AS n_outlets,
    count(*)                                                      AS n_articles,
    min(coalesce(a.published_at, a.fetched_at))                   AS first_seen_at,
    max(coalesce(a.published_at, a.fetched_at))                   AS last_seen_at,
    list(DISTINCT a.source_id ORDER BY a.source_id)               AS outlets
FROM articles a
LEFT JOIN story_clusters c ON c.cluster_id = a.cluster_id
WHERE coalesce(a.published_at, a.fetched_at) >= now() - INTERVAL 24 HOUR
  AND coalesce(a.published_at, a.fetched_at) <= now() + INTERVAL 1 HOUR
GROUP BY 1
ORDER BY n_outlets DESC, n_articles DESC, first_seen_at, cluster_id;
