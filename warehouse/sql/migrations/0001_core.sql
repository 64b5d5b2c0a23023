-- Core tables: outlets, feeds with fetch state, fetch attempts, articles, sightings, runs.
CREATE TABLE sources (
    source_id   VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    country     VARCHAR,
    region      VARCHAR,
    language    VARCHAR,
    updated_at  TIMESTAMPTZ
);

CREATE TABLE feeds (
    feed_id              VARCHAR PRIMARY KEY,      -- sha256(url)[:16]
    url                  VARCHAR NOT NULL,
    source_id            VARCHAR NOT NULL,
    section              VARCHAR,
    origin               VARCHAR,
    etag                 VARCHAR,
    last_modified        VARCHAR,
    body_hash            VARCHAR,
    final_url            VARCHAR,
    last_attempt_at      TIMESTAMPTZ,
    last_success_at      TIMESTAMPTZ,
    last_new_at          TIMESTAMPTZ,
    last_outcome         VARCHAR,
    last_status          INTEGER,
    last_error           VARCHAR,
    consecutive_failures INTEGER DEFAULT 0,
    failure_score        DOUBLE DEFAULT 0,
    next_fetch_at        TIMESTAMPTZ,
    disabled             BOOLEAN DEFAULT FALSE,
    disabled_reason      VARCHAR
);

CREATE TABLE feed_fetches (
    fetch_id      VARCHAR PRIMARY KEY,              -- run_id + feed_id
    run_id        VARCHAR NOT NULL,
    feed_id       VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    final_url     VARCHAR,
    attempted_at  TIMESTAMPTZ NOT NULL,
    outcome       VARCHAR NOT NULL,
    http_status   INTEGER,
    error         VARCHAR,
    bytes         BIGINT,
    elapsed_ms    INTEGER,
    attempts      INTEGER,
    entries       INTEGER,
    new_entries   INTEGER,
    bozo          BOOLEAN,
    bozo_reason   VARCHAR
);

CREATE TABLE articles (
    article_id         VARCHAR PRIMARY KEY,        -- sha256(canonical_url)[:16]
    url                VARCHAR NOT NULL,           -- the link as found in the feed
    canonical_url      VARCHAR NOT NULL,
    source_id          VARCHAR NOT NULL,
    feed_url           VARCHAR,
    title              VARCHAR,
    author             VARCHAR,
    published_at       TIMESTAMPTZ,
    fetched_at         TIMESTAMPTZ NOT NULL,
    language           VARCHAR,
    text               VARCHAR,
    word_count         INTEGER,
    image              VARCHAR,
    section            VARCHAR,
    categories         VARCHAR[],
    extraction_status  VARCHAR NOT NULL,           -- ok | fallback_summary | failed | skipped
    extraction_error   VARCHAR,
    extractor_version  VARCHAR,
    http_status        INTEGER,
    fetch_outcome      VARCHAR,
    fetch_error        VARCHAR,
    fetch_attempts     INTEGER DEFAULT 1,
    content_hash       VARCHAR,                    -- sha256 of the Arabic matching key
    warc_file          VARCHAR,
    warc_offset        BIGINT,
    cluster_id         VARCHAR,
    is_canonical       BOOLEAN,
    wire_agency        VARCHAR,
    agency_evidence    VARCHAR,
    run_id             VARCHAR
);

CREATE TABLE article_sightings (
    article_id     VARCHAR NOT NULL,
    feed_url       VARCHAR NOT NULL,
    source_id      VARCHAR NOT NULL,
    raw_link       VARCHAR,
    guid           VARCHAR,
    feed_title     VARCHAR,
    feed_published_at TIMESTAMPTZ,
    first_seen_at  TIMESTAMPTZ NOT NULL,
    run_id         VARCHAR,
    PRIMARY KEY (article_id, feed_url)
);

CREATE TABLE run_errors (
    error_id   VARCHAR PRIMARY KEY,
    run_id     VARCHAR NOT NULL,
    stage      VARCHAR NOT NULL,                   -- feed | parse | page | extract | dedupe | load
    feed_url   VARCHAR,
    url        VARCHAR,
    outcome    VARCHAR,
    error      VARCHAR,
    occurred_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE runs (
    run_id          VARCHAR PRIMARY KEY,
    flow_run_id     VARCHAR,
    kind            VARCHAR,                       -- ingest | reprocess | ingest-warc
    started_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ,
    status          VARCHAR,
    parameters      JSON,
    feeds_total     INTEGER,
    feeds_ok        INTEGER,
    feeds_failed    INTEGER,
    entries_seen    INTEGER,
    new_articles    INTEGER,
    pages_fetched   INTEGER,
    extracted_ok    INTEGER,
    duplicates      INTEGER,
    errors          INTEGER,
    summary_md      VARCHAR
);

CREATE TABLE load_batches (
    batch_id   VARCHAR PRIMARY KEY,
    run_id     VARCHAR,
    staged_at  TIMESTAMPTZ,
    loaded_at  TIMESTAMPTZ NOT NULL,
    row_counts JSON
);

-- A feed link that is not the article's canonical URL (AMP twin, mobile page, tracking
-- variant) points here, so the next run knows it is already stored.
CREATE TABLE url_aliases (
    alias_id    VARCHAR PRIMARY KEY,               -- sha256(link as canonicalised from the feed)[:16]
    alias_url   VARCHAR NOT NULL,
    article_id  VARCHAR NOT NULL
);
