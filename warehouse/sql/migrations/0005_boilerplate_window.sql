-- Outlet boilerplate statistics over a bounded window of each outlet's recent documents
-- (tasks/boilerplate.py). Per outlet one row with its document count and epoch (the number of
-- halvings so far); a line row stores its count at the epoch it was written, so its count now
-- is count >> (outlet epoch - line epoch). Rows that decayed to 0 are deleted after each load
-- (sql/postload/0020_boilerplate_prune.sql).
CREATE TABLE boilerplate_docs (
    source_id  VARCHAR PRIMARY KEY,
    n_docs     INTEGER NOT NULL,
    epoch      INTEGER NOT NULL DEFAULT 0
);

-- Existing statistics were never halved: halve each outlet as many times as the window
-- (100 documents, BoilerplateModel.window_docs when this was written) would have, then drop
-- the lines that decayed to 0 (mostly body paragraphs seen once).
INSERT INTO boilerplate_docs
SELECT source_id, n >> k, k
FROM (
    SELECT source_id, max(n_docs) AS n,
           CAST(greatest(0, floor(log2(greatest(max(n_docs), 1) / 100.0))) AS INTEGER) AS k
    FROM boilerplate_lines
    GROUP BY source_id
);

ALTER TABLE boilerplate_lines ADD COLUMN epoch INTEGER DEFAULT 0;
ALTER TABLE boilerplate_lines DROP COLUMN n_docs;

DELETE FROM boilerplate_lines AS l
USING boilerplate_docs AS d
WHERE l.source_id = d.source_id AND (d.epoch >= 31 OR l.count >> d.epoch = 0);
