-- Ids of stored articles with coalesce(published_at, fetched_at) in [$since, $until) and, when
-- $by_outlet, source_id among the outlets registered as the table akhbar_ids by
-- warehouse/queries.py (each filter only when given: a NULL bound leaves it open), in id order.
SELECT a.article_id FROM articles AS a
WHERE ($since IS NULL OR coalesce(a.published_at, a.fetched_at) >= $since)
  AND ($until IS NULL OR coalesce(a.published_at, a.fetched_at) < $until)
  AND (NOT $by_outlet OR a.source_id IN (SELECT id FROM akhbar_ids))
ORDER BY a.article_id
