-- Outlet boilerplate lines whose count decayed to 0 (tasks/boilerplate.py: an outlet's counts
-- halve each time its window fills; a line row counts count >> (outlet epoch - line epoch)).
-- The table holds about two windows of lines per outlet, so this stays small.
DELETE FROM boilerplate_lines AS l
USING boilerplate_docs AS d
WHERE l.source_id = d.source_id
  AND l.epoch < d.epoch
  AND (d.epoch - l.epoch >= 31 OR l.count >> (d.epoch - l.epoch) = 0);
