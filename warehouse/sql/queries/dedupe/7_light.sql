-- Story clusters of the selected articles, and the other holders of the frequent paragraphs that
-- a selected article holds, with only what template counting needs from them (para_hashes IS
-- NULL marks a selected article). Templates matter only where a selected article holds them
-- (tasks.dedupe: views of the new articles, their candidates and clusters), and a paragraph's
-- count needs all of its holders; the holders of frequent paragraphs no selected article holds
-- (every wire copy in the window, at the region's volume thousands) are not read.
SELECT w.article_id, w.cluster_id AS member_cluster_id, NULL::BIGINT[] AS para_hashes, NULL::BIGINT[] AS para_exact
FROM dedupe_w AS w
WHERE w.article_id IN (SELECT article_id FROM dedupe_s)
UNION ALL
SELECT w.article_id, w.cluster_id, w.para_hashes, w.para_exact
FROM dedupe_w AS w
WHERE w.article_id IN (
        SELECT o.article_id FROM dedupe_hp AS o JOIN dedupe_f USING (ph)
        WHERE o.ph IN (SELECT m.ph FROM dedupe_hp AS m JOIN dedupe_s USING (article_id))
    )
  AND w.article_id NOT IN (SELECT article_id FROM dedupe_s)
