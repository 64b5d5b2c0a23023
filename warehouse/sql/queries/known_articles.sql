-- Stored articles among this run's candidate ids (an id may be an alias: an AMP/mobile link of a
-- stored article; or an entry the queue refused), with what the retry decision needs. Every part
-- joins against the run's ids only, never a whole table.
WITH ids AS (SELECT id FROM akhbar_ids),  -- the run's ids, registered by warehouse/queries.py
aliases AS (SELECT alias_id, article_id FROM url_aliases WHERE alias_id IN (SELECT id FROM ids)),
stored AS (SELECT article_id, fetch_outcome, fetch_attempts, http_status, fetch_error, fetched_at, word_count
           FROM articles WHERE article_id IN (SELECT id FROM ids))
SELECT article_id, article_id AS real_id, fetch_outcome, fetch_attempts, http_status, fetch_error, fetched_at,
       word_count
FROM stored
UNION ALL
SELECT u.alias_id AS article_id, a.article_id AS real_id, a.fetch_outcome, a.fetch_attempts, a.http_status,
       a.fetch_error, a.fetched_at, a.word_count
FROM articles AS a JOIN aliases AS u USING (article_id)
WHERE a.article_id IN (SELECT article_id FROM aliases)
UNION ALL
SELECT q.article_id, q.article_id AS real_id, 'refused' AS fetch_outcome, 1 AS fetch_attempts, NULL AS http_status,
       q.reason AS fetch_error, NULL AS fetched_at,
       NULL AS word_count
FROM entry_queue AS q
WHERE q.state = 'refused' AND q.article_id IN (SELECT id FROM ids)
  AND q.article_id NOT IN (SELECT article_id FROM stored)
