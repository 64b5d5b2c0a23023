-- Retry-After remembered between runs (issue 11): a server that answers 429 or 503 with a
-- Retry-After longer than a run waits for (120 s, README "Politeness and safety defaults") is not
-- contacted again before that time, by this run or any later one.
--   host_waits            per server (host:port): not before this time, and why
--   entry_queue.not_before a queued page is not fetched before this time (its own Retry-After,
--                         or its host's)
-- A feed's own wait is feeds.next_fetch_at.
CREATE TABLE host_waits (
    host        VARCHAR PRIMARY KEY,     -- host:port, as tasks.http.host_key writes it
    not_before  TIMESTAMPTZ NOT NULL,
    reason      VARCHAR,
    url         VARCHAR,                 -- the URL whose answer asked for the wait
    run_id      VARCHAR,
    updated_at  TIMESTAMPTZ NOT NULL
);

ALTER TABLE entry_queue ADD COLUMN not_before TIMESTAMPTZ;
