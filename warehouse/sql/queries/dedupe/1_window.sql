-- The dedupe window: light columns of the signatures of articles published (else fetched) in
-- [$start, $end], with each one's story cluster. Two scans, so that each can skip row groups by
-- their zone maps.
CREATE OR REPLACE TEMP TABLE dedupe_w AS
SELECT s.article_id, s.key_hash, s.n_tokens, s.para_hashes, s.para_exact, s.lead, s.minhash, m.cluster_id
FROM (
    SELECT article_id, key_hash, n_tokens, para_hashes, para_exact, lead, minhash
    FROM article_signatures WHERE published_at BETWEEN $start AND $end
    UNION ALL
    SELECT article_id, key_hash, n_tokens, para_hashes, para_exact, lead, minhash
    FROM article_signatures WHERE published_at IS NULL AND fetched_at BETWEEN $start AND $end
) AS s
LEFT JOIN cluster_members AS m USING (article_id)
