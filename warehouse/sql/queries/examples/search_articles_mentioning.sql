-- Articles mentioning the American foreign ministry, via the search macro kept up to date by each
-- load (warehouse/search.py). Every word must match in any of its forms: 'الامريكيه' also finds
-- 'الأمريكية', 'الأميركي', 'أمريكا'; 'الخارجية' finds 'خارجية', 'الخارجي'. One row per story
-- cluster (`copies` = its matching copies); all_copies := true lists every copy.
SELECT s.title, s.outlet, s.published_at, s.copies, round(s.score, 2) AS score, a.wire_agency, s.url
FROM search_articles('الخارجية الامريكيه', n := 20) AS s
JOIN articles a USING (article_id)
ORDER BY s.score DESC;
