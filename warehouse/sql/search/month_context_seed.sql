-- Seeds search_month_context (months.sql) with the rows of warehouse/search.py month_context_rows. Each
-- column is bound as ONE string, its values joined by chr(31) (NULL as the empty string), split
-- here: bound as lists, DuckDB's binding looked for pandas once per value (~7,000 failed import
-- searches at every load's search sync).
INSERT INTO search_month_context
SELECT
    unnest(string_split($kind, chr(31))),
    unnest(list_transform(string_split($key, chr(31)), x -> NULLIF(x, ''))),
    unnest(list_transform(string_split($month, chr(31)), x -> TRY_CAST(NULLIF(x, '') AS BIGINT))),
    unnest(list_transform(string_split($tid, chr(31)), x -> TRY_CAST(NULLIF(x, '') AS BIGINT))),
    unnest(list_transform(string_split($lo, chr(31)), x -> TRY_CAST(NULLIF(x, '') AS BIGINT))),
    unnest(list_transform(string_split($hi, chr(31)), x -> TRY_CAST(NULLIF(x, '') AS BIGINT)));
