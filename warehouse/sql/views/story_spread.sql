-- Per story cluster: how far and how fast it spread. Lags are over the copies after the first
-- (copy_rank > 1, see story_copies), so a single-copy cluster has NULL lags. The figures are
-- kept on story_clusters by every load for the clusters it touched (sql/postload/
-- 0010_cluster_stats.sql), so asking costs a scan of the clusters, not of every copy.
CREATE OR REPLACE VIEW story_spread AS
SELECT
    cluster_id,
    title,
    agency,
    n_sources           AS n_outlets,
    n_articles,
    first_seen_at,
    last_seen_at,
    lag_min_minutes,
    lag_median_minutes,
    lag_max_minutes,
    outlets
FROM story_clusters
WHERE n_articles >= 1
ORDER BY n_outlets DESC, n_articles DESC, first_seen_at, cluster_id;
