-- Seeds search_name_terms (name_terms.sql) with warehouse/search.py name_term_rows, each column bound
-- as ONE string, its values joined by chr(31), as month_context_seed.sql does.
INSERT INTO search_name_terms
SELECT
    unnest(string_split($key, chr(31))),
    unnest(list_transform(string_split($tid, chr(31)), x -> CAST(x AS BIGINT))),
    unnest(list_transform(string_split($alt, chr(31)), x -> x = 'True')),
    unnest(list_transform(string_split($var, chr(31)), x -> CAST(x AS INTEGER)));
