-- One row per copy of a story cluster, in order of appearance, with the republication lag
-- (minutes) from the cluster's first copy. Time = publication time, else fetch time (the same
-- rule as story_clusters.first_seen_at). Ties are broken by article_id, so the founding copy
-- is always copy_rank 1 with lag 0. story_spread (next file in sort order) aggregates this.
-- The window functions run on the narrow columns; title, url and agency are joined after them
-- (carrying the texts through the partitioning and sorting of every copy made `LIMIT 100` cost
-- 7 s at 1M articles).
CREATE OR REPLACE VIEW story_copies AS
WITH copies AS (
    SELECT
        m.cluster_id,
        a.article_id,
        a.source_id,
        m.is_canonical,
        coalesce(a.published_at, a.fetched_at) AS seen_at
    FROM cluster_members m
    JOIN articles a USING (article_id)
),
ranked AS (
    SELECT
        cluster_id,
        row_number() OVER w                                              AS copy_rank,
        article_id,
        source_id,
        is_canonical,
        seen_at,
        min(seen_at) OVER (PARTITION BY cluster_id)                      AS first_seen_at,
        date_diff('second', min(seen_at) OVER (PARTITION BY cluster_id), seen_at) / 60.0 AS lag_minutes,
        -- an outlet's first copy of the story (later copies from one outlet are usually updates)
        row_number() OVER (PARTITION BY cluster_id, source_id ORDER BY seen_at, article_id) = 1 AS first_in_outlet
    FROM copies
    WINDOW w AS (PARTITION BY cluster_id ORDER BY seen_at, article_id)
)
SELECT
    r.cluster_id,
    r.copy_rank,
    r.article_id,
    r.source_id,
    a.title,
    a.url,
    a.wire_agency,
    r.is_canonical,
    r.seen_at,
    r.first_seen_at,
    r.lag_minutes,
    r.first_in_outlet
FROM ranked r
JOIN articles a USING (article_id)
ORDER BY r.cluster_id, r.copy_rank;
