-- search_articles(q, ...): ranked Arabic search over the warehouse's own index (warehouse/search.py).
-- It is search_hits (the ranked documents: doc number, cluster key, score, copies) joined to what a
-- reader needs. `akhbar search` calls search_rank, the ranking under search_hits (passing its analysed
-- query as `terms`, and only the filters it uses, so unused ones fold away), and reads the n
-- documents' rows itself, so both give the same hits. Parameters:
--   q           the query text; each word is normalised (akhbar_norm) and analysed through
--               search_vocab (every word form seen in the text, with the terms it looks for)
--   n           hits to return
--   sort        'relevance' (words in the title first, then BM25F) or 'recent' (newest first)
--   outlets, countries, agencies   lists of source ids / ISO country codes / wire agency ids, or NULL
--   since, until              bounds on the publication time (fetch time when unknown), or NULL
--   all_copies  false: one hit per story cluster (its best copy); `copies` counts the cluster's
--               matching copies either way
--   terms       list of {w, tid, alt, var} from Python's analysis; replaces the analysis of q when given
--   prune       false: score every document holding the words (the same hits, for tests)
-- Every query word must match (any of its forms); when no article has them all, the articles
-- matching the most of them are returned.
-- Cost: the postings of the query's terms (sorted runs: zone maps skip the rest) and one score per
-- matching document, all in integers; search_docs is read only for the top candidates (a few
-- thousand) unless a filter or sort 'recent' needs every hit's metadata, and then only its integer
-- columns (cluster key cl, article-id hash ah for ties, time, canonical flag) until the final n.
-- search_query_terms(q): the analysis of the query text q, one row a term a query word looks for
-- (w: the word's position; tid; alt: a proclitic reading; var: a spelling variant), each once as in
-- the CLI's terms (a name's other spelling may share the word's terms): what `akhbar search` passes
-- as terms, read here from search_vocab and the tables installed beside the macros.
CREATE OR REPLACE MACRO search_query_terms(q) AS TABLE
WITH
-- (the query's key is read from a row, not folded from the constant q: DuckDB folds a constant
-- through akhbar_norm's ~65 nested steps when it plans the query, ~0.15 CPU-s a call, where
-- the same steps on a row plan in a few ms)
ql0 AS (SELECT string_split_regex(akhbar_norm(t.q), '[^\p{L}\p{N}]+') AS l FROM (SELECT unnest([q]) AS q) AS t),
-- a person's month name typed with the madda the person's word never has (آب; أب is "father"),
-- و / ف then ب / ل before it (not للآب: ل + الآب "the Father"), is the month even undated, and its
-- word the name's (بآب: آب, not باب);
-- not the second part of a name written apart (واتس آب) (search_month_context kind 'madda', as typed);
-- by position, not by key: the o-th word typed with a key is the o-th query word of that key, so a
-- word keyed alike typed without the madda ("بآب باب": باب "door") stays the word
mq AS (
    SELECT x.typed, x.o, akhbar_norm(m.key) AS name, m.tid
    FROM (SELECT word, typed, row_number() OVER (PARTITION BY typed ORDER BY i) AS o
          FROM (SELECT word, akhbar_norm(word) AS typed, i
                FROM (SELECT unnest(r) AS word, generate_subscripts(r, 1) AS i
                      FROM (SELECT string_split_regex(nfc_normalize(q), '[^\p{L}\p{M}]+') AS r)))) AS x
    JOIN search_month_context AS m
      ON m.kind = 'madda' AND regexp_full_match(x.word, '(?:[وف]\p{M}*)?(?:[بل]\p{M}*)?' || m.key || '\p{M}*')
),
qk0 AS (
    SELECT key, w, row_number() OVER (PARTITION BY key ORDER BY w) AS o
    FROM (SELECT unnest(l) AS key, generate_subscripts(l, 1) AS w FROM ql0)
),
qk AS (
    SELECT k.w, coalesce(mq.name, k.key) AS key, mq.tid AS mtid
    FROM qk0 AS k CROSS JOIN ql0 LEFT JOIN mq ON mq.typed = k.key AND mq.o = k.o
        AND NOT coalesce(k.w > 1 AND regexp_full_match(ql0.l[k.w - 1], '[\x{0620}-\x{064a}]+')
                         AND akhbar_norm(ql0.l[k.w - 1] || k.key) = ql0.l[k.w - 1] || ' ' || k.key, false)
),
ql AS (SELECT list(key ORDER BY w) AS l FROM qk),
-- a month named by two words (كانون الثاني, وتشرين الأول): both words look for the month's term
-- (akhbar_month_pair) and not for themselves, as `akhbar search` looks for the name as a phrase or the
-- month: the index gives that term wherever the two stand together, and the words apart are no month
-- ("كانون فحم ... اليوم الثاني": a stove and a second day)
qpair AS (
    SELECT k.w, akhbar_month_pair(CASE WHEN k.w > 1 THEN ql.l[k.w - 1] END, k.key, ql.l[k.w + 1]) AS tid
    FROM qk AS k, ql
),
-- a person's month name the query dates ("15 آب", "آب 2024", "ماي الماضي") also looks for the
-- month's term (akhbar_dated_month: warehouse/search.py); alone, أب is the word
qm AS (
    SELECT k.w, akhbar_dated_month(CASE WHEN k.w > 2 THEN ql.l[k.w - 2] END, CASE WHEN k.w > 1 THEN ql.l[k.w - 1] END,
                                   k.key, ql.l[k.w + 1], ql.l[k.w + 2]) AS tid
    FROM qk AS k, ql
    UNION ALL
    SELECT w, tid FROM qpair
    UNION ALL
    SELECT w, mtid AS tid FROM qk WHERE mtid IS NOT NULL
),
-- var: 0 the word's own terms (alt: its proclitic reading), 1 its spelling without the hamza,
-- 2 its spelling with a hamza it was typed without (warehouse/search_analysis.py, rule 6)
qv AS (
    SELECT k.w, unnest(v.qtids) AS tid, false AS alt, 0 AS var
    FROM qk AS k JOIN search_vocab AS v ON v.key = k.key
    WHERE k.key <> '' AND k.w NOT IN (SELECT w FROM qpair WHERE tid IS NOT NULL)
    UNION ALL
    SELECT k.w, unnest(v.atids) AS tid, true AS alt, 0 AS var
    FROM qk AS k JOIN search_vocab AS v ON v.key = k.key
    WHERE k.key <> '' AND k.w NOT IN (SELECT w FROM qpair WHERE tid IS NOT NULL)
    UNION ALL
    SELECT k.w, unnest(v.dtids) AS tid, false AS alt, 1 AS var
    FROM qk AS k JOIN search_vocab AS v ON v.key = k.key
    WHERE k.key <> '' AND k.w NOT IN (SELECT w FROM qpair WHERE tid IS NOT NULL)
    UNION ALL
    SELECT k.w, unnest(v.htids) AS tid, false AS alt, 2 AS var
    FROM qk AS k JOIN search_vocab AS v ON v.key = k.key
    WHERE k.key <> '' AND k.w NOT IN (SELECT w FROM qpair WHERE tid IS NOT NULL)
    UNION ALL
    SELECT w, tid, false AS alt, 0 AS var FROM qm WHERE tid IS NOT NULL
    UNION ALL
    -- a wire agency's name (Reuters, رويترز) or a name typed in Latin letters (Trump): the terms of
    -- its other names and Arabic spellings, and the agency's copies (search_name_terms), as `akhbar
    -- search` reads it; an Arabic spelling of several words (حزب الله) by its longest word, anywhere
    -- (the CLI wants the phrase: a superset of its hits)
    SELECT k.w, n.tid, n.alt, n.var FROM qk AS k JOIN search_name_terms AS n ON n.key = k.key
    UNION ALL
    -- بن / ابن before another Arabic word (a name's nasab: "ابن سلمان", "محمد بن سلمان") is either spelling, as
    -- `akhbar search` reads it (warehouse/search.py _NASAB); alone or last, only itself. `akhbar search`
    -- wants the other spelling beside the name (a phrase: "ابن الشهيد" is not البن ... الشهيد); this
    -- macro reads no phrase, so here it counts anywhere (a superset of the CLI's hits)
    SELECT k.w, unnest(v.qtids) AS tid, false AS alt, 0 AS var
    FROM qk AS k CROSS JOIN ql JOIN search_vocab AS v
      ON v.key = CASE k.key WHEN 'بن' THEN 'ابن' WHEN 'ابن' THEN 'بن' END
    WHERE regexp_full_match(ql.l[k.w + 1], '[\x{0620}-\x{064a}]+')
)
SELECT DISTINCT w, tid, alt, var FROM qv;

-- search_rank(terms, ...): the ranked documents for analysed terms (a list of {w, tid, alt, var});
-- search_hits without the query's analysis, which `akhbar search` calls (its plan then binds none of it).
CREATE OR REPLACE MACRO search_rank(terms, n := 20, sort := 'relevance', outlets := NULL, countries := NULL,
                                    agencies := NULL, since := NULL, until := NULL, all_copies := false,
                                    prune := true) AS TABLE
WITH
qt AS (SELECT x.w, x.tid, x.alt, x.var FROM (SELECT unnest(terms) AS x)),
-- a proclitic reading (بمصر as ب + مصر) counts only where it is the usual one: the word's own
-- terms are in fewer than a tenth of the documents the reading is in (document counts per term,
-- read from the postings' term column before any posting is joined: the word's own count is the
-- sum over its terms, an upper bound, so a reading is never taken on a doubtful count)
tdf AS (
    SELECT p.tid, count(*) AS nd FROM search_postings AS p
    WHERE p.tid IN (SELECT tid FROM qt) AND p.doc NOT IN (SELECT doc FROM search_dead)
    GROUP BY p.tid
),
wuse AS (
    SELECT qt.w, coalesce(sum(tdf.nd) FILTER (WHERE NOT qt.alt AND qt.var = 0), 0) AS own,
           own * 10 < coalesce(max(tdf.nd) FILTER (WHERE qt.alt), 0) AS alt_ok
    FROM qt LEFT JOIN tdf ON tdf.tid = qt.tid GROUP BY qt.w
),
-- a spelling variant counts only as the rarer spelling of the same word: without the hamza, in at
-- most as many documents as the word's own terms; with it, in at least as many as the word typed
-- (علماء is not met by علما "knowing", a common word of its own)
qu AS (
    SELECT qt.w, qt.tid FROM qt JOIN wuse ON wuse.w = qt.w LEFT JOIN tdf ON tdf.tid = qt.tid
    WHERE (qt.var = 0 AND (NOT qt.alt OR wuse.alt_ok))
       OR (qt.var = 1 AND tdf.nd > 0 AND tdf.nd <= wuse.own)
       OR (qt.var = 2 AND tdf.nd > 0 AND wuse.own <= tdf.nd)
),
pt AS (
    SELECT qu.w, p.doc, p.tf_t, p.tf_b, p.dl
    FROM search_postings AS p JOIN qu ON p.tid = qu.tid
    WHERE p.doc NOT IN (SELECT doc FROM search_dead)
),
-- a word with several terms may meet one document more than once
multi AS (SELECT w FROM qu GROUP BY w HAVING count(*) > 1),
lp AS (
    SELECT w, doc, coalesce(tf_t, 0) AS tf_t, coalesce(tf_b, 0) AS tf_b, dl
    FROM pt WHERE w NOT IN (SELECT w FROM multi)
    UNION ALL
    SELECT w, doc, coalesce(max(tf_t), 0), coalesce(max(tf_b), 0), any_value(dl)
    FROM pt WHERE w IN (SELECT w FROM multi)
    GROUP BY w, doc
),
st AS (SELECT n_docs, (4 * sum_t + sum_b) / greatest(n_docs, 1) AS avg_dl FROM search_stats),
df AS (SELECT w, ln(1 + (st.n_docs - count(*) + 0.5) / (count(*) + 0.5)) AS idf FROM lp CROSS JOIN st GROUP BY w, st.n_docs),
-- BM25F: a title word counts as 4 body words (k1 = 1.2, b = 0.75)
-- (one query word: one row per document already, no grouping)
nw AS (SELECT count(DISTINCT w) AS k FROM qt),
wsc AS (
    SELECT lp.doc, lp.tf_t,
           df.idf * (4 * lp.tf_t + lp.tf_b) * 2.2
               / ((4 * lp.tf_t + lp.tf_b) + 1.2 * (0.25 + 0.75 * lp.dl / greatest(st.avg_dl, 1))) AS s
    FROM lp JOIN df ON df.w = lp.w CROSS JOIN st
),
-- several words: first only the documents of the rarest word (by the term counts above); when
-- some of them hold every word, they are all the hits (a document with every word has the
-- rarest), and the other words' postings are only probed, never grouped
wn AS (SELECT qu.w, sum(tdf.nd) AS nd FROM qu JOIN tdf ON tdf.tid = qu.tid GROUP BY qu.w),
rdoc AS (SELECT doc FROM lp WHERE w = (SELECT w FROM wn ORDER BY nd, w LIMIT 1) AND (SELECT k FROM nw) > 1),
-- no filter and sort by relevance: only the top hits (ties at the cut kept) need their metadata
plain AS (
    SELECT outlets IS NULL AND countries IS NULL AND agencies IS NULL AND since IS NULL AND until IS NULL
           AND sort <> 'recent' AS ok
),
-- Pruning, several words, no filter, by relevance: a document holding every word with one of them
-- in its title ranks above every hit without a query word in its title (words in the title rank
-- first). So when those documents (found from title postings, a small set) make at least n
-- stories (n documents with all_copies), the top n stories are all among them, each with its
-- best copy: only their postings are grouped, never those of every document holding the words.
-- Exact (the same hits as without it: tests/test_search.py compares both on a real warehouse).
tdoc AS (
    SELECT DISTINCT doc FROM lp
    WHERE tf_t > 0 AND prune AND (SELECT k FROM nw) > 1 AND (SELECT ok FROM plain)
),
sct AS (
    SELECT doc, count(*) AS matched, count(*) FILTER (WHERE tf_t > 0) AS in_title, sum(s) AS score
    FROM wsc WHERE doc IN (SELECT doc FROM tdoc) GROUP BY doc
    HAVING count(*) = (SELECT k FROM nw)
),
tok AS (
    SELECT coalesce(CASE WHEN all_copies THEN count(*) >= n ELSE count(DISTINCT d.cl) >= n END, false) AS ok
    FROM sct JOIN search_docs AS d ON d.doc = sct.doc
),
sca AS (
    SELECT doc, count(*) AS matched, count(*) FILTER (WHERE tf_t > 0) AS in_title, sum(s) AS score
    FROM wsc JOIN tok ON NOT tok.ok WHERE doc IN (SELECT doc FROM rdoc) GROUP BY doc
),
allw AS (SELECT coalesce(max(matched), 0) = (SELECT k FROM nw) AS ok FROM sca),
sc AS (
    SELECT doc, 1 AS matched, (tf_t > 0)::BIGINT AS in_title, s AS score
    FROM wsc WHERE (SELECT k FROM nw) = 1
    UNION ALL
    SELECT sct.* FROM sct JOIN tok ON tok.ok
    UNION ALL
    SELECT sca.* FROM sca JOIN allw ON allw.ok
    UNION ALL
    SELECT doc, count(*), count(*) FILTER (WHERE tf_t > 0), sum(s)
    FROM wsc JOIN allw ON NOT allw.ok JOIN tok ON NOT tok.ok WHERE (SELECT k FROM nw) > 1
    GROUP BY doc
),
best AS (SELECT max(matched) AS m FROM sc),
hit AS (SELECT sc.doc, sc.in_title, sc.score FROM sc JOIN best ON sc.matched = best.m),
cut AS (
    SELECT min(struct_pack(i := in_title, s := score)) AS t
    FROM (SELECT in_title, score FROM hit ORDER BY in_title DESC, score DESC LIMIT greatest(n * 50, 1000))
),
pool AS (
    SELECT h.* FROM hit AS h, cut, plain
    WHERE plain.ok AND (h.in_title > cut.t.i OR (h.in_title = cut.t.i AND h.score >= cut.t.s))
    UNION ALL
    SELECT h.* FROM hit AS h, plain WHERE NOT plain.ok
),
cand AS (
    SELECT d.doc, d.ah, p.in_title, p.score, d.cl, d.published_at, d.is_canonical
    FROM pool AS p JOIN search_docs AS d ON d.doc = p.doc
    WHERE (outlets IS NULL OR list_contains(outlets, d.source_id))
      AND (countries IS NULL OR d.source_id IN (SELECT source_id FROM sources WHERE list_contains(countries, country)))
      AND (agencies IS NULL OR list_contains(agencies, d.wire_agency))
      AND (since IS NULL OR d.published_at >= since)
      AND (until IS NULL OR d.published_at < until)
),
n_all AS (SELECT CASE WHEN (SELECT ok FROM plain) THEN (SELECT count(*) FROM hit) ELSE (SELECT count(*) FROM cand) END AS k),
-- One hit per story cluster: its best copy (query words in the title, then score, then the
-- canonical copy, then the earliest), or with sort 'recent' its newest matching copy. A cluster
-- ranks where its first copy in that order stands, so the top n clusters are found among the top
-- candidates; only when those hold fewer than n clusters (stories with very many matching
-- copies) is every hit grouped.
top AS (
    SELECT c.*, row_number() OVER (ORDER BY CASE WHEN sort = 'recent' THEN epoch(c.published_at) END DESC NULLS LAST, c.in_title DESC, c.score DESC, c.is_canonical DESC, c.published_at, c.ah) AS r
    FROM (SELECT * FROM cand AS c ORDER BY CASE WHEN sort = 'recent' THEN epoch(c.published_at) END DESC NULLS LAST, c.in_title DESC, c.score DESC, c.is_canonical DESC, c.published_at, c.ah LIMIT greatest(n * 50, 1000)) AS c
),
enough AS (
    SELECT count(DISTINCT cl) >= n OR count(*) = (SELECT k FROM n_all) AS ok FROM top
),
firsts AS (SELECT min(r) AS r FROM top WHERE (SELECT ok FROM enough) GROUP BY cl),
everyone AS (
    SELECT d.doc, d.ah, h.in_title, h.score, d.cl, d.published_at, d.is_canonical
    FROM hit AS h JOIN enough ON NOT enough.ok JOIN search_docs AS d ON d.doc = h.doc
    WHERE (outlets IS NULL OR list_contains(outlets, d.source_id))
      AND (countries IS NULL OR d.source_id IN (SELECT source_id FROM sources WHERE list_contains(countries, country)))
      AND (agencies IS NULL OR list_contains(agencies, d.wire_agency))
      AND (since IS NULL OR d.published_at >= since)
      AND (until IS NULL OR d.published_at < until)
),
allfirst AS (
    SELECT c.doc FROM (
        SELECT c.doc, row_number() OVER (PARTITION BY c.cl ORDER BY CASE WHEN sort = 'recent' THEN epoch(c.published_at) END DESC NULLS LAST, c.in_title DESC, c.score DESC, c.is_canonical DESC, c.published_at, c.ah) AS k FROM everyone AS c
    ) AS c WHERE c.k = 1
),
shown AS (
    SELECT h.* EXCLUDE (r) FROM top AS h WHERE (all_copies AND (SELECT ok FROM enough)) OR h.r IN (SELECT r FROM firsts)
    UNION ALL
    SELECT c.* FROM everyone AS c WHERE all_copies OR c.doc IN (SELECT doc FROM allfirst)
),
pick AS (SELECT h.* FROM shown AS h ORDER BY CASE WHEN sort = 'recent' THEN epoch(h.published_at) END DESC NULLS LAST, h.in_title DESC, h.score DESC, h.published_at DESC, h.ah LIMIT n),
-- copies: the cluster's hits that pass the filters
members AS (
    SELECT d.doc, d.cl FROM search_docs AS d
    WHERE d.cl IN (SELECT cl FROM pick)
      AND (outlets IS NULL OR list_contains(outlets, d.source_id))
      AND (countries IS NULL OR d.source_id IN (SELECT source_id FROM sources WHERE list_contains(countries, country)))
      AND (agencies IS NULL OR list_contains(agencies, d.wire_agency))
      AND (since IS NULL OR d.published_at >= since)
      AND (until IS NULL OR d.published_at < until)
),
-- (a member is a hit when it holds as many words as the hits do: read from the postings, since
-- with pruning `hit` holds only the documents with a query word in the title)
mhit AS (
    SELECT lp.doc FROM lp JOIN members AS m ON m.doc = lp.doc
    GROUP BY lp.doc HAVING count(*) = (SELECT m FROM best)
),
copies AS (
    SELECT m.cl, count(*) AS copies FROM mhit JOIN members AS m ON m.doc = mhit.doc GROUP BY m.cl
)
SELECT h.doc, h.cl, h.ah, h.published_at, k.copies, h.score, h.in_title, best.m AS matched
FROM pick AS h JOIN copies AS k ON k.cl = h.cl
CROSS JOIN best
ORDER BY CASE WHEN sort = 'recent' THEN epoch(h.published_at) END DESC NULLS LAST, h.in_title DESC, h.score DESC, h.published_at DESC, h.ah;

-- search_hits(q, ...): search_rank for the query text q (its analysis: search_query_terms), or for
-- the analysed terms when given.
CREATE OR REPLACE MACRO search_hits(q, n := 20, sort := 'relevance', outlets := NULL, countries := NULL,
                                    agencies := NULL, since := NULL, until := NULL, all_copies := false,
                                    terms := NULL, prune := true) AS TABLE
SELECT * FROM search_rank(
    coalesce(terms, (SELECT list({'w': t.w, 'tid': t.tid, 'alt': t.alt, 'var': t.var}) FROM search_query_terms(q) AS t)),
    n := n, sort := sort, outlets := outlets, countries := countries, agencies := agencies, since := since,
    until := until, all_copies := all_copies, prune := prune);

-- search_articles: the hits of search_hits with what a reader needs (read from search_docs for the
-- n picked documents only).
CREATE OR REPLACE MACRO search_articles(q, n := 20, sort := 'relevance', outlets := NULL, countries := NULL,
                                        agencies := NULL, since := NULL, until := NULL, all_copies := false,
                                        terms := NULL, prune := true) AS TABLE
SELECT d.article_id, d.title, d.source_id, src.name AS outlet, h.published_at, d.url, d.cluster_id,
       h.copies, h.score, h.in_title, h.matched
FROM search_hits(q, n := n, sort := sort, outlets := outlets, countries := countries, agencies := agencies,
                 since := since, until := until, all_copies := all_copies, terms := terms, prune := prune) AS h
JOIN search_docs AS d ON d.doc = h.doc
LEFT JOIN sources AS src ON src.source_id = d.source_id
ORDER BY CASE WHEN sort = 'recent' THEN epoch(h.published_at) END DESC NULLS LAST, h.in_title DESC, h.score DESC, h.published_at DESC, h.ah
