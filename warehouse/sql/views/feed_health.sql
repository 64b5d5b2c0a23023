-- Feed health, worst first: disabled, then failing (by weighted score), then stale, then ok.
-- (An outer query may not keep a view's order: filter or join, then ORDER BY health yourself,
-- as `akhbar feeds health` does.)
-- stale: no item new to the warehouse in 7 days (last_new_at counts items a sibling feed fetched too).
CREATE OR REPLACE VIEW feed_health AS
SELECT
    f.source_id,
    s.name AS source_name,
    s.country,
    f.url,
    f.section,
    CASE
        WHEN f.disabled THEN 'disabled'
        WHEN f.consecutive_failures > 0 THEN 'failing'
        WHEN f.last_new_at IS NULL OR f.last_new_at < now() - INTERVAL 7 DAY THEN 'stale'
        ELSE 'ok'
    END AS health,
    f.last_outcome,
    f.last_status,
    f.last_error,
    f.consecutive_failures,
    f.failure_score,
    f.last_attempt_at,
    f.last_success_at,
    f.last_new_at,
    f.next_fetch_at,
    f.disabled,
    f.disabled_reason,
    f.feed_id
FROM feeds f
LEFT JOIN sources s USING (source_id)
ORDER BY
    CASE WHEN f.disabled THEN 0
         WHEN f.consecutive_failures > 0 THEN 1
         WHEN f.last_new_at IS NULL OR f.last_new_at < now() - INTERVAL 7 DAY THEN 2
         ELSE 3 END,
    f.failure_score DESC,
    f.consecutive_failures DESC,
    f.last_success_at NULLS FIRST,
    f.url;
