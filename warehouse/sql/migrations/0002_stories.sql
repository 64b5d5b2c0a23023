-- Wire-story deduplication: signatures, clusters, memberships, partial reuse,
-- and per-outlet boilerplate lines learned from repetition.
CREATE TABLE article_signatures (
    article_id    VARCHAR PRIMARY KEY,
    source_id     VARCHAR NOT NULL,
    published_at  TIMESTAMPTZ,
    fetched_at    TIMESTAMPTZ,
    key_hash      VARCHAR,
    n_tokens      INTEGER,
    para_hashes   BIGINT[],
    para_exact    BIGINT[],
    para_offsets  INTEGER[],
    shingles      BIGINT[],
    lead          BIGINT[],
    minhash       BIGINT[],
    version       INTEGER
);

CREATE TABLE story_clusters (
    cluster_id            VARCHAR PRIMARY KEY,     -- article_id of the founding copy (stable)
    canonical_article_id  VARCHAR NOT NULL,
    canonical_rule        VARCHAR,                 -- agency_copy | most_complete
    agency                VARCHAR,
    agency_evidence       VARCHAR,
    title                 VARCHAR,
    first_seen_at         TIMESTAMPTZ,
    last_seen_at          TIMESTAMPTZ,
    n_articles            INTEGER,
    n_sources             INTEGER,
    updated_at            TIMESTAMPTZ
);

CREATE TABLE cluster_members (
    article_id          VARCHAR PRIMARY KEY,
    cluster_id          VARCHAR NOT NULL,
    source_id           VARCHAR,
    is_canonical        BOOLEAN,
    similarity          DOUBLE,                   -- 5-gram Jaccard with the canonical copy
    containment         DOUBLE,                   -- 5-gram min-containment with the canonical copy
    matched_paragraphs  INTEGER,
    joined_at           TIMESTAMPTZ
);

CREATE TABLE article_reuse (
    article_id          VARCHAR NOT NULL,          -- the later article, which quotes ...
    reused_article_id   VARCHAR NOT NULL,          -- ... paragraphs of this one
    shared_paragraphs   INTEGER,
    containment         DOUBLE,
    shared_shingles     INTEGER,
    found_at            TIMESTAMPTZ,
    PRIMARY KEY (article_id, reused_article_id)
);

CREATE TABLE boilerplate_lines (
    source_id  VARCHAR NOT NULL,
    line_hash  VARCHAR NOT NULL,
    count      INTEGER,
    n_docs     INTEGER,
    PRIMARY KEY (source_id, line_hash)
);
