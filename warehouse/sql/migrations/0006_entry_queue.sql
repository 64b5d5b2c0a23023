-- Feed entries remembered between runs (issue 11): fetched on a later run even when their feed
-- is unchanged, 304 or not due, or never fetched again.
--   deferred  cut by --max-per-feed this run: fetched by the next runs (oldest first)
--   retry     the page failed transiently (timeout, reset, 408/425/429/5xx, robots.txt 5xx):
--             fetched again until it succeeds or has had its documented number of attempts
--   refused   not an article (the response is not an HTML document, e.g. a feed or a PDF):
--             never stored as an article, never fetched again
--   done      fetched (or found stored) after being queued
CREATE TABLE entry_queue (
    article_id    VARCHAR PRIMARY KEY,      -- sha256(canonical entry url)[:16], the entry's key
    url           VARCHAR NOT NULL,         -- canonical URL
    feed_url      VARCHAR NOT NULL,
    source_id     VARCHAR NOT NULL,
    raw_link      VARCHAR,
    guid          VARCHAR,
    title         VARCHAR,
    summary       VARCHAR,
    author        VARCHAR,
    published_at  TIMESTAMPTZ,
    categories    VARCHAR[],
    state         VARCHAR NOT NULL,
    reason        VARCHAR,
    queued_at     TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    run_id        VARCHAR
);
