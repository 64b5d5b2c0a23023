-- Window articles the candidate index (tasks.dedupe.CandidateIndex) can return for a new one:
-- a shared MinHash LSH band, >= $lead_min shared lead 5-grams, or the same key hash; both sides
-- long enough to be indexed. (Band hash collisions only add candidates, never lose one.)
CREATE OR REPLACE TEMP TABLE dedupe_c AS
WITH nb AS (
    SELECT b, hash(list_slice(n.minhash, b * $rows + 1, (b + 1) * $rows)) AS h
    FROM dedupe_n AS n, range($bands) AS r(b)
    WHERE n.n_tokens >= $min_tokens
), wb AS (
    SELECT w.article_id, b, hash(list_slice(w.minhash, b * $rows + 1, (b + 1) * $rows)) AS h
    FROM dedupe_w AS w, range($bands) AS r(b)
    WHERE w.n_tokens >= $min_tokens
), nl AS (
    SELECT article_id AS new_id, unnest(lead) AS l FROM dedupe_n WHERE n_tokens >= $min_tokens
), wl AS (
    SELECT article_id, unnest(lead) AS l FROM dedupe_w WHERE n_tokens >= $min_tokens
)
SELECT article_id FROM wb SEMI JOIN nb USING (b, h)
UNION
SELECT article_id FROM (
    SELECT wl.article_id, nl.new_id FROM wl JOIN nl USING (l) GROUP BY ALL HAVING count(*) >= $lead_min
)
UNION
SELECT w.article_id FROM dedupe_w AS w JOIN dedupe_n AS n USING (key_hash)
WHERE w.n_tokens >= $min_tokens AND n.n_tokens >= $min_tokens
