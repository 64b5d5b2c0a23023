-- Dedupe signatures of these articles (a streamed run's settle reads its earlier chunks' back):
-- the ids come registered as the table akhbar_ids by warehouse/queries.py, not as a list parameter.
SELECT s.* FROM article_signatures AS s WHERE s.article_id IN (SELECT id FROM akhbar_ids)
