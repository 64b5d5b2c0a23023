-- The copies of these story clusters (the daily report's biggest), with their outlet's name: the
-- cluster ids come registered as the table akhbar_ids by warehouse/queries.py.
SELECT c.*, coalesce(s.name, c.source_id) AS source_name
FROM story_copies AS c LEFT JOIN sources AS s USING (source_id)
WHERE c.cluster_id IN (SELECT id FROM akhbar_ids)
ORDER BY c.cluster_id, c.copy_rank
