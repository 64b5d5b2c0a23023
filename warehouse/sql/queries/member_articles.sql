-- Title, outlet and agency of these stored articles (members of the clusters a chunk touched that the
-- chunk does not hold): the ids come registered as the table akhbar_ids by warehouse/queries.py.
SELECT a.article_id, a.title, a.source_id, a.wire_agency, a.agency_evidence
FROM articles AS a WHERE a.article_id IN (SELECT id FROM akhbar_ids)
