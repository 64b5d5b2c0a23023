-- Articles whose search-index entry must be (re)built: every load appends the ids of the articles
-- it wrote, in the load's own transaction (warehouse/load.py), and the index sync drains the queue
-- (warehouse/search.py). So the index update costs O(new articles), never a scan of the warehouse,
-- and a sync that fails or is skipped leaves the work queued for the next load.
CREATE TABLE search_queue (
    article_id  VARCHAR NOT NULL,
    queued_at   TIMESTAMPTZ NOT NULL
);
