-- Feeds whose last 3 fetch attempts all failed (ok, unchanged and not_modified count as success).
WITH ranked AS (
    SELECT
        feed_id, url, outcome, error, attempted_at,
        row_number() OVER (PARTITION BY feed_id ORDER BY attempted_at DESC) AS n
    FROM feed_fetches
)
SELECT
    r.url,
    f.source_id,
    list(r.outcome ORDER BY r.attempted_at DESC)                  AS last_outcomes,
    max(r.attempted_at)                                           AS last_attempt_at,
    f.consecutive_failures,
    f.last_success_at
FROM ranked r
JOIN feeds f USING (feed_id)
WHERE r.n <= 3
GROUP BY r.url, f.source_id, f.consecutive_failures, f.last_success_at
HAVING count(*) = 3
   AND count(*) FILTER (WHERE r.outcome IN ('ok', 'unchanged', 'not_modified')) = 0
ORDER BY f.consecutive_failures DESC, r.url;
