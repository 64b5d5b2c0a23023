-- Articles whose full signatures matter: the new ones, the candidates, and every window member
-- of their story clusters (a cluster's canonical copy is chosen among all its members).
-- Paragraph occurrences of the pool (window minus re-submitted articles, plus the new ones) and
-- the paragraphs held by >= $min_docs articles (tasks.dedupe.find_templates' "frequent").
CREATE OR REPLACE TEMP TABLE dedupe_s AS
SELECT article_id FROM dedupe_n
UNION
SELECT article_id FROM dedupe_c
UNION
SELECT w.article_id FROM dedupe_w AS w
WHERE w.cluster_id IN (
    SELECT cluster_id FROM dedupe_w
    WHERE cluster_id IS NOT NULL
      AND article_id IN (SELECT article_id FROM dedupe_c UNION SELECT article_id FROM dedupe_n)
);

CREATE OR REPLACE TEMP TABLE dedupe_hp AS
SELECT article_id, unnest(para_hashes) AS ph, unnest(para_exact) AS pe
FROM dedupe_w WHERE article_id NOT IN (SELECT article_id FROM dedupe_n)
UNION ALL
SELECT article_id, unnest(para_hashes) AS ph, unnest(para_exact) AS pe FROM dedupe_n;

CREATE OR REPLACE TEMP TABLE dedupe_f AS
SELECT ph, count(DISTINCT article_id) AS holders, count(DISTINCT pe) AS fillings
FROM dedupe_hp GROUP BY ph HAVING count(DISTINCT article_id) >= $min_docs;
