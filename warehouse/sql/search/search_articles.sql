-- search_articles(q, ...): ranked Arabic search over the warehouse's own index (warehouse/search.py).
-- `akhbar search` calls this same macro (passing its analysed query as `terms`), so both give the
-- same hits. Parameters:
--   q           the query text; each word is normalised (akhbar_norm) and analysed through
--               search_vocab (every word form seen in the text, with the terms it looks for)
--   n           hits to return
--   sort        'relevance' (words in the title first, then BM25F) or 'recent' (newest first)
--   outlets, countries, agencies   lists of source ids / ISO country codes / wire agency ids, or NULL
--   since, until              bounds on the publication time (fetch time when unknown), or NULL
--   all_copies  false: one hit per story cluster (its best copy); `copies` counts the cluster's
--               matching copies either way
--   terms       list of {w, tid, alt} from Python's analysis; replaces the analysis of q when given
-- Every query word must match (any of its forms); when no article has them all, the articles
-- matching the most of them are returned.
CREATE OR REPLACE MACRO search_articles(q, n := 20, sort := 'relevance', outlets := NULL, countries := NULL,
                                        agencies := NULL, since := NULL, until := NULL, all_copies := false,
                                        terms := NULL) AS TABLE
WITH
qk AS (
    SELECT unnest(l) AS key, generate_subscripts(l, 1) AS w
    FROM (SELECT string_split_regex(akhbar_norm(q), '[^\p{L}\p{N}]+') AS l)
),
qv AS (
    SELECT k.w, unnest(v.qtids) AS tid, false AS alt
    FROM qk AS k JOIN search_vocab AS v ON v.key = k.key
    WHERE terms IS NULL AND k.key <> ''
    UNION ALL
    SELECT k.w, unnest(v.atids) AS tid, true AS alt
    FROM qk AS k JOIN search_vocab AS v ON v.key = k.key
    WHERE terms IS NULL AND k.key <> ''
),
qp AS (SELECT x.w, x.tid, x.alt FROM (SELECT unnest(terms) AS x)),
qt AS (SELECT w, tid, alt FROM qv UNION ALL SELECT w, tid, alt FROM qp),
pt AS (
    SELECT qt.w, qt.alt, p.doc, p.tf_t, p.tf_b, d.len_t, d.len_b
    FROM search_postings AS p JOIN qt ON p.tid = qt.tid
    JOIN search_docs AS d ON d.doc = p.doc
),
-- a proclitic reading (بمصر as ب + مصر) counts only where it is the usual one: the word's own
-- terms are in fewer than a tenth of the documents the reading is in
wdf AS (
    SELECT w, count(DISTINCT doc) FILTER (WHERE NOT alt) AS df_main,
           count(DISTINCT doc) FILTER (WHERE alt) AS df_alt
    FROM pt GROUP BY w
),
lp AS (
    SELECT pt.w, pt.doc, any_value(pt.len_t) AS len_t, any_value(pt.len_b) AS len_b,
           coalesce(max(pt.tf_t), 0) AS tf_t, coalesce(max(pt.tf_b), 0) AS tf_b
    FROM pt JOIN wdf ON wdf.w = pt.w
    WHERE NOT pt.alt OR wdf.df_main * 10 < wdf.df_alt
    GROUP BY pt.w, pt.doc
),
st AS (SELECT count(*) AS n_docs, avg(len_t) AS avg_t, avg(len_b) AS avg_b FROM search_docs),
df AS (SELECT w, count(*) AS df FROM lp GROUP BY w),
-- BM25F: a title word counts as 4 body words (k1 = 1.2, b = 0.75)
sc AS (
    SELECT lp.doc,
           count(*) AS matched,
           count(*) FILTER (WHERE lp.tf_t > 0) AS in_title,
           sum(ln(1 + (st.n_docs - df.df + 0.5) / (df.df + 0.5))
               * (4 * lp.tf_t + lp.tf_b) * 2.2
               / ((4 * lp.tf_t + lp.tf_b)
                  + 1.2 * (0.25 + 0.75 * (4 * lp.len_t + lp.len_b) / greatest(4 * st.avg_t + st.avg_b, 1)))) AS score
    FROM lp JOIN df ON df.w = lp.w CROSS JOIN st
    GROUP BY lp.doc
),
best AS (SELECT max(matched) AS m FROM sc),
-- ranking and filters read search_docs only; titles and URLs are joined for the shown hits
cand AS (
    SELECT d.article_id, sc.in_title, sc.score, d.cluster_id, d.published_at, d.is_canonical
    FROM sc JOIN best ON sc.matched = best.m
    JOIN search_docs AS d ON d.doc = sc.doc
    WHERE (outlets IS NULL OR list_contains(outlets, d.source_id))
      AND (countries IS NULL OR d.source_id IN (SELECT source_id FROM sources WHERE list_contains(countries, country)))
      AND (agencies IS NULL OR list_contains(agencies, d.wire_agency))
      AND (since IS NULL OR d.published_at >= since)
      AND (until IS NULL OR d.published_at < until)
),
-- one hit per story cluster: its copy with the query words in the title, then the best score,
-- then the canonical copy, then the earliest
clus AS (
    SELECT cluster_id, count(*) AS copies,
           arg_max(article_id, struct_pack(t := in_title, s := score, c := is_canonical,
                                           e := -epoch(published_at), i := article_id)) AS pick
    FROM cand GROUP BY cluster_id
),
shown AS (
    SELECT c.*, k.copies FROM cand AS c JOIN clus AS k ON k.cluster_id = c.cluster_id
    WHERE all_copies OR c.article_id = k.pick
    ORDER BY CASE WHEN sort = 'recent' THEN epoch(c.published_at) END DESC NULLS LAST,
             c.in_title DESC, c.score DESC, c.published_at DESC, c.article_id
    LIMIT n
)
SELECT h.article_id, a.title, a.source_id, src.name AS outlet, h.published_at, a.url, h.cluster_id,
       h.copies, h.score, h.in_title, best.m AS matched
FROM shown AS h JOIN articles AS a ON a.article_id = h.article_id
LEFT JOIN sources AS src ON src.source_id = a.source_id
CROSS JOIN best
ORDER BY CASE WHEN sort = 'recent' THEN epoch(h.published_at) END DESC NULLS LAST,
         h.in_title DESC, h.score DESC, h.published_at DESC, h.article_id
