-- Full signature rows of the selected window articles. Two range scans (as 1_window.sql), so
-- that each skips the row groups outside the window by their zone maps: one OR of the two time
-- filters is not pushed into the scan, and it read every row group of every column of the
-- table (the 5-gram lists too: +230 MB at 100k articles, growing with the warehouse). Only the
-- selected rows are returned.
SELECT s.*
FROM article_signatures AS s
WHERE s.published_at BETWEEN $start AND $end
  AND s.article_id IN (SELECT article_id FROM dedupe_s)
UNION ALL
SELECT s.*
FROM article_signatures AS s
WHERE s.published_at IS NULL AND s.fetched_at BETWEEN $start AND $end
  AND s.article_id IN (SELECT article_id FROM dedupe_s)
