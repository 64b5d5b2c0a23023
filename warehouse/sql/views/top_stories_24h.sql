-- Stories of the last 24 hours (relative to now()), most widely carried first. Only articles
-- seen (published, else fetched) in the window count, so an old cluster that gets one late
-- copy shows with n_outlets = 1. Articles without a cluster (failed extraction) are their own
-- story. Articles dated more than an hour ahead of now() (bad time zones) are left out.
-- The window is read as two range filters on plain columns (published_at; fetched_at for the
-- undated), which DuckDB answers from its zone maps without scanning a year of articles; so are
-- the clusters: one holding an article seen in the window was last seen in it too (last_seen_at
-- is kept by the load's post-load step, sql/postload/0010_cluster_stats.sql).
CREATE OR REPLACE VIEW top_stories_24h AS
WITH recent AS (
    SELECT article_id, cluster_id, source_id, title, published_at AS seen_at
    FROM articles
    WHERE published_at >= now() - INTERVAL 24 HOUR AND published_at <= now() + INTERVAL 1 HOUR
    UNION ALL
    SELECT article_id, cluster_id, source_id, title, fetched_at AS seen_at
    FROM articles
    WHERE published_at IS NULL
      AND fetched_at >= now() - INTERVAL 24 HOUR AND fetched_at <= now() + INTERVAL 1 HOUR
),
clusters AS (
    SELECT cluster_id, title, agency
    FROM story_clusters
    WHERE last_seen_at >= now() - INTERVAL 24 HOUR OR last_seen_at IS NULL
)
SELECT
    coalesce(a.cluster_id, a.article_id)                          AS cluster_id,
    coalesce(any_value(c.title), arg_min(a.title, a.seen_at))     AS title,
    any_value(c.agency)                                           AS agency,
    count(DISTINCT a.source_id)                                   AS n_outlets,
    count(*)                                                      AS n_articles,
    min(a.seen_at)                                                AS first_seen_at,
    max(a.seen_at)                                                AS last_seen_at,
    list(DISTINCT a.source_id ORDER BY a.source_id)               AS outlets
FROM recent a
LEFT JOIN clusters c ON c.cluster_id = a.cluster_id
GROUP BY 1
ORDER BY n_outlets DESC, n_articles DESC, first_seen_at, cluster_id;
