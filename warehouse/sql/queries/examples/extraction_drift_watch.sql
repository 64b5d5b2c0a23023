-- The drift watch: outlets whose extraction in the last 7 days departs from their 30-day
-- baseline (thresholds in warehouse/sql/views/extraction_quality_drift.sql).
SELECT source_id, source_name, reasons, recent_articles, recent_not_ok_share, base_not_ok_share,
       recent_median_words, base_median_words
FROM extraction_drift
ORDER BY source_id;
