-- Outlets that republish AFP stories fastest: median minutes between the first copy anywhere
-- and the outlet's own first copy, over AFP clusters where the outlet was not first.
SELECT
    c.source_id,
    count(*)                        AS afp_stories,
    median(c.lag_minutes)           AS median_lag_minutes,
    min(c.lag_minutes)              AS fastest_minutes
FROM story_copies c
JOIN story_clusters sc USING (cluster_id)
WHERE sc.agency = 'afp'
  AND c.first_in_outlet
  AND c.copy_rank > 1
GROUP BY c.source_id
ORDER BY median_lag_minutes, c.source_id;
