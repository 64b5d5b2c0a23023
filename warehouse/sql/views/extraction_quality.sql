-- Extraction quality per outlet: the last 7 days against the 30 days before them (days 8-37).
-- Windows are on fetched_at (when extraction ran), not published_at. Shares are over
-- extraction attempts: status 'skipped' (not an HTML article) is left out of every denominator.
-- Median word count is over status 'ok' only (a fallback feed summary is short by design).
-- extraction_drift (file extraction_quality_drift.sql, sorted after this one) flags departures.
CREATE OR REPLACE VIEW extraction_quality AS
WITH attempts AS (
    SELECT
        a.source_id,
        a.extraction_status AS status,
        a.word_count,
        CASE
            WHEN a.fetched_at >= now() - INTERVAL 7 DAY THEN 'recent'
            WHEN a.fetched_at >= now() - INTERVAL 37 DAY THEN 'baseline'
        END AS win
    FROM articles a
    WHERE a.extraction_status <> 'skipped'
      AND a.fetched_at >= now() - INTERVAL 37 DAY   -- both windows; a range the zone maps answer
),
per_window AS (
    SELECT
        source_id,
        win,
        count(*)                                                    AS n,
        count(*) FILTER (WHERE status = 'ok')                       AS n_ok,
        count(*) FILTER (WHERE status = 'ok') / count(*)            AS ok_share,
        count(*) FILTER (WHERE status = 'fallback_summary') / count(*) AS fallback_share,
        count(*) FILTER (WHERE status = 'failed') / count(*)        AS failed_share,
        median(word_count) FILTER (WHERE status = 'ok')             AS median_words
    FROM attempts
    WHERE win IS NOT NULL
    GROUP BY source_id, win
),
outlets AS (
    SELECT DISTINCT source_id FROM per_window
)
SELECT
    o.source_id,
    s.name                                  AS source_name,
    coalesce(r.n, 0)                        AS recent_articles,
    coalesce(r.n_ok, 0)                     AS recent_ok,
    r.ok_share                              AS recent_ok_share,
    r.fallback_share                        AS recent_fallback_share,
    r.failed_share                          AS recent_failed_share,
    r.median_words                          AS recent_median_words,
    coalesce(b.n, 0)                        AS base_articles,
    coalesce(b.n_ok, 0)                     AS base_ok,
    b.ok_share                              AS base_ok_share,
    b.fallback_share                        AS base_fallback_share,
    b.failed_share                          AS base_failed_share,
    b.median_words                          AS base_median_words
FROM outlets o
LEFT JOIN per_window r ON r.source_id = o.source_id AND r.win = 'recent'
LEFT JOIN per_window b ON b.source_id = o.source_id AND b.win = 'baseline'
LEFT JOIN sources s ON s.source_id = o.source_id
ORDER BY o.source_id;
