-- Stored outlet-boilerplate counts for the lines of the pages at hand: $sources / $hashes are
-- parallel lists of (source_id, line_hash) pairs. Counts are brought to the outlet's epoch.
SELECT l.source_id,
       l.line_hash,
       CASE WHEN d.epoch - l.epoch >= 31 THEN 0 ELSE l.count >> greatest(d.epoch - l.epoch, 0) END AS count
FROM (SELECT unnest($sources) AS source_id, unnest($hashes) AS line_hash) AS wanted
JOIN boilerplate_lines AS l USING (source_id, line_hash)
JOIN boilerplate_docs AS d USING (source_id)
