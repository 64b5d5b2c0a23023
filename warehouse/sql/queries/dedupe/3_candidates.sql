-- Window articles that tasks.dedupe.candidate_lists pairs with a new one: a shared MinHash LSH
-- band, >= $lead_min shared lead 5-grams, or the same key hash; both sides long enough to be
-- indexed. A band is compared on its values themselves, three per band (Params.lsh_rows = 3;
-- tasks.stories checks it): element extraction and a join on plain integers, ten times faster
-- than hashing list slices. The window's MinHash and lead lists are streamed from two range scans
-- of article_signatures (as 1_window.sql), not copied into a temp table first.
CREATE OR REPLACE TEMP TABLE dedupe_c AS
WITH ws AS NOT MATERIALIZED (
    SELECT article_id, minhash, lead FROM article_signatures
    WHERE published_at BETWEEN $start AND $end AND n_tokens >= $min_tokens
    UNION ALL
    SELECT article_id, minhash, lead FROM article_signatures
    WHERE published_at IS NULL AND fetched_at BETWEEN $start AND $end AND n_tokens >= $min_tokens
), nb AS (
    SELECT b, n.minhash[b * 3 + 1] AS m1, n.minhash[b * 3 + 2] AS m2, n.minhash[b * 3 + 3] AS m3
    FROM dedupe_n AS n, range($bands) AS r(b)
    WHERE n.n_tokens >= $min_tokens
), wb AS (
    SELECT w.article_id, b, w.minhash[b * 3 + 1] AS m1, w.minhash[b * 3 + 2] AS m2, w.minhash[b * 3 + 3] AS m3
    FROM ws AS w, range($bands) AS r(b)
), nl AS (
    SELECT article_id AS new_id, unnest(lead) AS l FROM dedupe_n WHERE n_tokens >= $min_tokens
), wl AS (
    SELECT article_id, unnest(lead) AS l FROM ws
)
SELECT article_id FROM wb SEMI JOIN nb USING (b, m1, m2, m3)
UNION
SELECT article_id FROM (
    SELECT wl.article_id, nl.new_id FROM wl JOIN nl USING (l) GROUP BY ALL HAVING count(*) >= $lead_min
)
UNION
SELECT w.article_id FROM dedupe_w AS w JOIN dedupe_n AS n USING (key_hash)
WHERE w.n_tokens >= $min_tokens AND n.n_tokens >= $min_tokens
