-- Ask the next sync to re-index (or drop) these articles: the ids come registered as the table
-- akhbar_ids by warehouse/search.py (warehouse.queries.registered), not as a list parameter.
INSERT INTO search_queue SELECT id, now() FROM akhbar_ids
