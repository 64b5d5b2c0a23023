-- Full stored rows of these articles (id order) plus their first sighting's feed title and date
-- (a reprocess batch): the ids come registered as the table akhbar_ids by warehouse/queries.py.
WITH first_sighting AS (
    SELECT article_id, feed_title, feed_published_at FROM article_sightings
    WHERE article_id IN (SELECT id FROM akhbar_ids)
    QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY first_seen_at, feed_url) = 1
)
SELECT a.*, s.feed_title AS _feed_title, s.feed_published_at AS _feed_published
FROM articles AS a LEFT JOIN first_sighting AS s USING (article_id)
WHERE a.article_id IN (SELECT id FROM akhbar_ids)
ORDER BY a.article_id
