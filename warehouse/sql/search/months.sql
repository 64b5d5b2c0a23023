-- akhbar_dated_month(b2, b, k, a, a2): the month term id of a query word k that is a person's month
-- name (آب / أب "father", ماي the surname May, مايس) dated by the words around it (two before: b2, b;
-- two after: a, a2; NULL past either end), else NULL. The SQL twin of dated_months
-- (warehouse/search_analysis.py), reading the same sets: warehouse/data/search_month_dates.txt and
-- the month names, seeded into search_month_context by warehouse/search.py (install_macros), one row
-- a word (kind: the set; month: of a name; tid: a name's month term id) or a range (lo, hi). So
-- search_articles reads "15 آب", "آب 2024" as a date as `akhbar search` does, and "أب" alone as the word.
CREATE OR REPLACE TABLE search_month_context (kind VARCHAR, key VARCHAR, month INTEGER, tid BIGINT, lo BIGINT, hi BIGINT);

CREATE OR REPLACE MACRO akhbar_month_number(w, lo, hi) AS
    regexp_full_match(w, '[0-9]+') AND try_cast(w AS HUGEINT) BETWEEN lo AND hi;

CREATE OR REPLACE MACRO akhbar_dated_month(b2, b, k, a, a2) AS (
    SELECT any_value(n.tid) FROM search_month_context AS n
    WHERE n.kind = 'name' AND n.key = k AND EXISTS (
        SELECT 1 FROM search_month_context AS c
        WHERE (c.kind = 'day' AND akhbar_month_number(b, c.lo, c.hi))               -- 15 آب
           OR (c.kind = 'before' AND c.key = b)                                      -- في آب, شهر آب
           -- قبل / بعد / إلى only after a date: من أيار إلى آب (not رسالة إلى ماي)
           OR (c.kind = 'prep' AND c.key = b AND (regexp_full_match(b2, '[0-9]+') OR b2 IN (
                   SELECT d.key FROM search_month_context AS d WHERE d.kind = 'date_before')))
           OR (b = 'من' AND ((c.kind = 'day' AND akhbar_month_number(b2, c.lo, c.hi))  -- 4 من آب
                             OR (c.kind = 'ordinals' AND c.key = b2)))               -- الرابع من آب
           OR (c.kind = 'year' AND akhbar_month_number(a, c.lo, c.hi))               -- آب 2020
           OR (c.kind = 'after' AND c.key = a)                                       -- آب الماضي
           OR (a = 'من' AND ((c.kind = 'year' AND akhbar_month_number(a2, c.lo, c.hi))  -- آب من 2020
                             OR (c.kind = 'after_year' AND c.key = a2)))             -- آب من العام
           OR (c.kind = 'free' AND c.key IN (b, a))                                  -- تموز آب
           OR (c.kind = 'same' AND c.month = n.month AND c.key IN (b, a))            -- آب/أغسطس, أوت/آب
    )
);

-- akhbar_month_pair(b, k, a): the month term id of a query word k that is one of a month's name of two
-- words (كانون الثاني, تشرين الأول; its first with a proclitic: وكانون الثاني) with the word after it
-- (a) or before it (b), else NULL: both words also look for the month's term, so an article dated by
-- the month's other name (15 يناير) meets them, as `akhbar search` finds it (the name, or the month).
CREATE OR REPLACE MACRO akhbar_month_pair(b, k, a) AS (
    SELECT any_value(p.tid) FROM search_month_context AS p
    WHERE p.kind = 'two' AND p.key IN (k || ' ' || a, b || ' ' || k)
);
