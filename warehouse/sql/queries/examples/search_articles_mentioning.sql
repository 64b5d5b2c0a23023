-- Articles mentioning a phrase, via the search macro built after each load (warehouse/search.py).
-- The query is normalised inside the macro: 'الامريكيه' also finds 'الأمريكية' and 'الأميركية'.
-- The fts extension must be loaded in the session for match_bm25.
LOAD fts;
SELECT s.title, s.outlet, s.date, round(s.score, 2) AS score, a.wire_agency, s.url
FROM search_articles('الخارجية الامريكيه', n := 20) AS s
JOIN articles a USING (article_id)
ORDER BY s.score DESC;
