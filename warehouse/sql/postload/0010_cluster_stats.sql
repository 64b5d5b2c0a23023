-- Runs inside the load transaction, after the batch is merged: cluster counts and spans
-- are derived from memberships, so they stay right however the cluster grew. Only the
-- clusters the batch touched (TEMP TABLE batch_clusters, warehouse/load.py) are recomputed:
-- the others' members and articles did not change.
UPDATE story_clusters AS c SET
    n_articles    = s.n_articles,
    n_sources     = s.n_sources,
    first_seen_at = s.first_seen_at,
    last_seen_at  = s.last_seen_at
FROM (
    SELECT m.cluster_id,
           count(*)                                  AS n_articles,
           count(DISTINCT a.source_id)               AS n_sources,
           min(coalesce(a.published_at, a.fetched_at)) AS first_seen_at,
           max(coalesce(a.published_at, a.fetched_at)) AS last_seen_at
    FROM cluster_members m JOIN articles a USING (article_id)
    WHERE m.cluster_id IN (SELECT cluster_id FROM batch_clusters)
    GROUP BY m.cluster_id
) AS s
WHERE c.cluster_id = s.cluster_id;
