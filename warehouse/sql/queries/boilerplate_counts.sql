-- Stored outlet-boilerplate counts for the lines of the pages at hand: boilerplate_wanted is an
-- Arrow table of (source_id, line_hash) pairs registered by warehouse/queries.py (tens of
-- thousands of pairs per chunk: bound as list parameters they cost seconds). Counts are brought
-- to the outlet's epoch.
SELECT l.source_id,
       l.line_hash,
       CASE WHEN d.epoch - l.epoch >= 31 THEN 0 ELSE l.count >> greatest(d.epoch - l.epoch, 0) END AS count
FROM boilerplate_wanted AS wanted
JOIN boilerplate_lines AS l USING (source_id, line_hash)
JOIN boilerplate_docs AS d USING (source_id)
