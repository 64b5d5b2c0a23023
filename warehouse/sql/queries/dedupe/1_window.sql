-- The dedupe window: light columns of the signatures of articles published (else fetched) in
-- [$start, $end], with each one's story cluster. The MinHash and lead lists are not copied here:
-- 3_candidates.sql reads them from the window's scan (the copy was most of the read's memory). Two range scans, so that each can skip row
-- groups by their zone maps; the clusters are looked up for the window's ids only.
CREATE OR REPLACE TEMP TABLE dedupe_w AS
WITH s AS (
    SELECT article_id, key_hash, n_tokens, para_hashes, para_exact
    FROM article_signatures WHERE published_at BETWEEN $start AND $end
    UNION ALL
    SELECT article_id, key_hash, n_tokens, para_hashes, para_exact
    FROM article_signatures WHERE published_at IS NULL AND fetched_at BETWEEN $start AND $end
),
m AS (
    SELECT article_id, cluster_id FROM cluster_members WHERE article_id IN (SELECT article_id FROM s)
)
SELECT s.*, m.cluster_id FROM s LEFT JOIN m USING (article_id)
