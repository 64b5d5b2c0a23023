-- Fetch state of the feeds of this run only.
SELECT * FROM feeds WHERE feed_id IN (SELECT unnest($ids))
