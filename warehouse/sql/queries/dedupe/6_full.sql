-- Full signature rows of the selected window articles. The time filter lets the scan skip row
-- groups outside the window; only the selected rows are returned.
SELECT s.*
FROM article_signatures AS s
WHERE (s.published_at BETWEEN $start AND $end OR (s.published_at IS NULL AND s.fetched_at BETWEEN $start AND $end))
  AND s.article_id IN (SELECT article_id FROM dedupe_s)
