-- Document count and epoch of these outlets' boilerplate windows.
SELECT source_id, n_docs, epoch
FROM boilerplate_docs
WHERE source_id IN (SELECT unnest($sources))
