-- Runs inside the load transaction, after the batch is merged: each cluster's counts, span,
-- republication lags and outlets are derived from its memberships (so they stay right however
-- the cluster grew) and kept on story_clusters, where the story_spread view reads them. Only the
-- clusters the batch touched (TEMP TABLE batch_clusters, warehouse/load.py) are recomputed: the
-- others' members and articles did not change. Same definitions as story_copies: a copy is seen
-- at its publication time, else its fetch time; lags are over the copies after the first.
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
    WITH copies AS (
        SELECT m.cluster_id, a.article_id, a.source_id, coalesce(a.published_at, a.fetched_at) AS seen_at
        FROM cluster_members m JOIN articles a USING (article_id)
        WHERE m.cluster_id IN (SELECT cluster_id FROM batch_clusters)
    ),
    ranked AS (
        SELECT *,
               row_number() OVER (PARTITION BY cluster_id ORDER BY seen_at, article_id) AS copy_rank,
               date_diff('second', min(seen_at) OVER (PARTITION BY cluster_id), seen_at) / 60.0 AS lag_minutes
        FROM copies
    )
    SELECT cluster_id,
           count(*)                                            AS n_articles,
           count(DISTINCT source_id)                           AS n_sources,
           min(seen_at)                                        AS first_seen_at,
           max(seen_at)                                        AS last_seen_at,
           min(lag_minutes) FILTER (WHERE copy_rank > 1)       AS lag_min_minutes,
           median(lag_minutes) FILTER (WHERE copy_rank > 1)    AS lag_median_minutes,
           max(lag_minutes) FILTER (WHERE copy_rank > 1)       AS lag_max_minutes,
           list(DISTINCT source_id ORDER BY source_id)         AS outlets
    FROM ranked
    GROUP BY cluster_id
) AS s
WHERE c.cluster_id = s.cluster_id;
