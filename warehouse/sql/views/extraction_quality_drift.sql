-- extraction_drift: the "drift watch". Outlets whose extraction in the last 7 days departs from
-- their own baseline (the 30 days before), as computed by extraction_quality. Usually a site
-- redesign: trafilatura starts returning nothing (failed) or too little (fallback_summary), or
-- starts keeping menus/comments (longer texts).
--
-- Thresholds (only outlets with enough data are judged: >= 5 recent attempts and >= 10 baseline):
--   failure_rate : share not 'ok' (failed + fallback_summary) rose by >= 0.20 (20 points)
--   shorter_text : median words of ok articles < 0.6 x baseline   (>= 3 recent ok, >= 5 baseline ok)
--   longer_text  : median words of ok articles > 1.67 x baseline  (same minimums)
--   silent       : >= 10 baseline attempts and none in the last 7 days (feed or fetch problem;
--                  see feed_health)
-- This file sorts after extraction_quality.sql, which defines the view it reads.
CREATE OR REPLACE VIEW extraction_drift AS
WITH q AS (
    SELECT
        *,
        1 - recent_ok_share AS recent_not_ok_share,
        1 - base_ok_share   AS base_not_ok_share,
        recent_median_words / nullif(base_median_words, 0) AS words_ratio
    FROM extraction_quality
),
flags AS (
    SELECT
        *,
        list_filter([
            CASE WHEN recent_articles >= 5 AND base_articles >= 10
                      AND recent_not_ok_share - base_not_ok_share >= 0.20 THEN 'failure_rate' END,
            CASE WHEN recent_ok >= 3 AND base_ok >= 5 AND words_ratio < 0.6 THEN 'shorter_text' END,
            CASE WHEN recent_ok >= 3 AND base_ok >= 5 AND words_ratio > 1.67 THEN 'longer_text' END,
            CASE WHEN recent_articles = 0 AND base_articles >= 10 THEN 'silent' END
        ], x -> x IS NOT NULL) AS reasons
    FROM q
)
SELECT
    source_id,
    source_name,
    reasons,
    recent_articles,
    base_articles,
    round(recent_not_ok_share, 3)  AS recent_not_ok_share,
    round(base_not_ok_share, 3)    AS base_not_ok_share,
    round(recent_failed_share, 3)  AS recent_failed_share,
    round(base_failed_share, 3)    AS base_failed_share,
    recent_median_words,
    base_median_words,
    round(words_ratio, 3)          AS words_ratio
FROM flags
WHERE len(reasons) > 0
ORDER BY source_id;
