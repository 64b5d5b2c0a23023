-- Per story cluster: how far and how fast it spread. Lags are over the copies after the first
-- (copy_rank > 1, see story_copies), so a single-copy cluster has NULL lags.
CREATE OR REPLACE VIEW story_spread AS
SELECT
    c.cluster_id,
    any_value(sc.title)                                     AS title,
    any_value(sc.agency)                                    AS agency,
    count(DISTINCT c.source_id)                             AS n_outlets,
    count(*)                                                AS n_articles,
    min(c.seen_at)                                          AS first_seen_at,
    max(c.seen_at)                                          AS last_seen_at,
    min(c.lag_minutes) FILTER (WHERE c.copy_rank > 1)       AS lag_min_minutes,
    median(c.lag_minutes) FILTER (WHERE c.copy_rank > 1)    AS lag_median_minutes,
    max(c.lag_minutes) FILTER (WHERE c.copy_rank > 1)       AS lag_max_minutes,
    list(DISTINCT c.source_id ORDER BY c.source_id)         AS outlets
FROM story_copies c
LEFT JOIN story_clusters sc USING (cluster_id)
GROUP BY c.cluster_id
ORDER BY n_outlets DESC, n_articles DESC, first_seen_at, c.cluster_id;
