-- story_spread is read from story_clusters instead of recomputed over every copy of every story
-- (a window over all cluster members: ~10 s per query on a million articles). The load's
-- post-load step (sql/postload/0010_cluster_stats.sql) keeps these columns for the clusters each
-- batch touches; here they are filled once for the clusters already stored.
-- The statistics SQL below repeats postload/0010_cluster_stats.sql ON PURPOSE: a migration is a
-- record of what was done to existing warehouses and must not change when the post-load step does.
ALTER TABLE story_clusters ADD COLUMN lag_min_minutes DOUBLE;
ALTER TABLE story_clusters ADD COLUMN lag_median_minutes DOUBLE;
ALTER TABLE story_clusters ADD COLUMN lag_max_minutes DOUBLE;
ALTER TABLE story_clusters ADD COLUMN outlets VARCHAR[];

UPDATE story_clusters AS c SET
    n_articles         = s.n_articles,
    n_sources          = s.n_sources,
    first_seen_at      = s.first_seen_at,
    last_seen_at       = s.last_seen_at,
    lag_min_minutes    = s.lag_min_minutes,
    lag_median_minutes = s.lag_median_minutes,
    lag_max_minutes    = s.lag_max_minutes,
    outlets            = s.outlets
FROM (
    SELECT cluster_id,
           count(*) AS n_articles,
           count(DISTINCT source_id) AS n_sources,
           min(seen_at) AS first_seen_at,
           max(seen_at) AS last_seen_at,
           min(lag_minutes) FILTER (WHERE copy_rank > 1) AS lag_min_minutes,
           median(lag_minutes) FILTER (WHERE copy_rank > 1) AS lag_median_minutes,
           max(lag_minutes) FILTER (WHERE copy_rank > 1) AS lag_max_minutes,
           list(DISTINCT source_id ORDER BY source_id) AS outlets
    FROM (
        SELECT m.cluster_id, a.source_id, coalesce(a.published_at, a.fetched_at) AS seen_at,
               row_number() OVER (PARTITION BY m.cluster_id ORDER BY coalesce(a.published_at, a.fetched_at),
                                  a.article_id) AS copy_rank,
               date_diff('second', min(coalesce(a.published_at, a.fetched_at)) OVER (PARTITION BY m.cluster_id),
                         coalesce(a.published_at, a.fetched_at)) / 60.0 AS lag_minutes
        FROM cluster_members m JOIN articles a USING (article_id)
    )
    GROUP BY cluster_id
) AS s
WHERE c.cluster_id = s.cluster_id;
