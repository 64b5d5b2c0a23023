-- Story clusters of the selected articles, and the other holders of frequent paragraphs with
-- only what template counting needs from them (para_hashes IS NULL marks a selected article).
SELECT w.article_id, w.cluster_id AS member_cluster_id, NULL::BIGINT[] AS para_hashes, NULL::BIGINT[] AS para_exact
FROM dedupe_w AS w
WHERE w.article_id IN (SELECT article_id FROM dedupe_s)
UNION ALL
SELECT w.article_id, w.cluster_id, w.para_hashes, w.para_exact
FROM dedupe_w AS w
WHERE w.article_id IN (SELECT article_id FROM dedupe_hp JOIN dedupe_f USING (ph))
  AND w.article_id NOT IN (SELECT article_id FROM dedupe_s)
