-- file only: a lake has no keys (warehouse/lake.py), so this is not applied there.
-- The tables that grow with every run lose their PRIMARY KEY (issue 13, bench/RESULTS.md
-- "Growth"). Measured on DuckDB 1.5.5: once a table carries a key (an ART index), every
-- checkpoint after a change to it costs time and memory in proportion to the WHOLE table —
-- 64 new rows in `articles` of 100,000 rows: 3.4-6 s and +670 MB at the checkpoint that closes
-- the load, 0.06 s without the key (duckdb/duckdb#24848 describes the same). Uniqueness of
-- these keys is kept the way the lake keeps it: every write is a MERGE on the key from a batch
-- deduplicated by key (warehouse/load.py), by the one writer (flows/locks.py).
-- Small tables that do not grow with the news (sources, feeds, boilerplate_docs, load_batches,
-- entry_queue, schema_migrations) keep their keys.
--
-- DuckDB cannot drop a constraint: each table is copied without it (a copy by SELECT * keeps
-- every column, including ones later migrations added), in the order its time filters read
-- (zone maps), then NOT NULL and DEFAULT are put back. A one-time cost on an existing
-- warehouse (about 20 s per 100,000 articles on a shared 2-core machine).

CREATE TABLE articles__new AS SELECT * FROM articles ORDER BY coalesce(published_at, fetched_at), article_id;
DROP TABLE articles;
ALTER TABLE articles__new RENAME TO articles;
ALTER TABLE articles ALTER COLUMN article_id SET NOT NULL;
ALTER TABLE articles ALTER COLUMN url SET NOT NULL;
ALTER TABLE articles ALTER COLUMN canonical_url SET NOT NULL;
ALTER TABLE articles ALTER COLUMN source_id SET NOT NULL;
ALTER TABLE articles ALTER COLUMN fetched_at SET NOT NULL;
ALTER TABLE articles ALTER COLUMN extraction_status SET NOT NULL;
ALTER TABLE articles ALTER COLUMN fetch_attempts SET DEFAULT 1;

CREATE TABLE article_signatures__new AS
SELECT * FROM article_signatures ORDER BY coalesce(published_at, fetched_at), article_id;
DROP TABLE article_signatures;
ALTER TABLE article_signatures__new RENAME TO article_signatures;
ALTER TABLE article_signatures ALTER COLUMN article_id SET NOT NULL;
ALTER TABLE article_signatures ALTER COLUMN source_id SET NOT NULL;

CREATE TABLE article_sightings__new AS SELECT * FROM article_sightings ORDER BY first_seen_at, article_id, feed_url;
DROP TABLE article_sightings;
ALTER TABLE article_sightings__new RENAME TO article_sightings;
ALTER TABLE article_sightings ALTER COLUMN article_id SET NOT NULL;
ALTER TABLE article_sightings ALTER COLUMN feed_url SET NOT NULL;
ALTER TABLE article_sightings ALTER COLUMN source_id SET NOT NULL;
ALTER TABLE article_sightings ALTER COLUMN first_seen_at SET NOT NULL;

CREATE TABLE cluster_members__new AS SELECT * FROM cluster_members ORDER BY joined_at, article_id;
DROP TABLE cluster_members;
ALTER TABLE cluster_members__new RENAME TO cluster_members;
ALTER TABLE cluster_members ALTER COLUMN article_id SET NOT NULL;
ALTER TABLE cluster_members ALTER COLUMN cluster_id SET NOT NULL;

CREATE TABLE story_clusters__new AS SELECT * FROM story_clusters ORDER BY first_seen_at, cluster_id;
DROP TABLE story_clusters;
ALTER TABLE story_clusters__new RENAME TO story_clusters;
ALTER TABLE story_clusters ALTER COLUMN cluster_id SET NOT NULL;
ALTER TABLE story_clusters ALTER COLUMN canonical_article_id SET NOT NULL;

CREATE TABLE article_reuse__new AS SELECT * FROM article_reuse ORDER BY found_at, article_id;
DROP TABLE article_reuse;
ALTER TABLE article_reuse__new RENAME TO article_reuse;
ALTER TABLE article_reuse ALTER COLUMN article_id SET NOT NULL;
ALTER TABLE article_reuse ALTER COLUMN reused_article_id SET NOT NULL;

CREATE TABLE url_aliases__new AS SELECT * FROM url_aliases;
DROP TABLE url_aliases;
ALTER TABLE url_aliases__new RENAME TO url_aliases;
ALTER TABLE url_aliases ALTER COLUMN alias_id SET NOT NULL;
ALTER TABLE url_aliases ALTER COLUMN alias_url SET NOT NULL;
ALTER TABLE url_aliases ALTER COLUMN article_id SET NOT NULL;

CREATE TABLE feed_fetches__new AS SELECT * FROM feed_fetches ORDER BY attempted_at, fetch_id;
DROP TABLE feed_fetches;
ALTER TABLE feed_fetches__new RENAME TO feed_fetches;
ALTER TABLE feed_fetches ALTER COLUMN fetch_id SET NOT NULL;
ALTER TABLE feed_fetches ALTER COLUMN run_id SET NOT NULL;
ALTER TABLE feed_fetches ALTER COLUMN feed_id SET NOT NULL;
ALTER TABLE feed_fetches ALTER COLUMN url SET NOT NULL;
ALTER TABLE feed_fetches ALTER COLUMN attempted_at SET NOT NULL;
ALTER TABLE feed_fetches ALTER COLUMN outcome SET NOT NULL;

CREATE TABLE run_errors__new AS SELECT * FROM run_errors ORDER BY occurred_at, error_id;
DROP TABLE run_errors;
ALTER TABLE run_errors__new RENAME TO run_errors;
ALTER TABLE run_errors ALTER COLUMN error_id SET NOT NULL;
ALTER TABLE run_errors ALTER COLUMN run_id SET NOT NULL;
ALTER TABLE run_errors ALTER COLUMN stage SET NOT NULL;
ALTER TABLE run_errors ALTER COLUMN occurred_at SET NOT NULL;

CREATE TABLE runs__new AS SELECT * FROM runs ORDER BY started_at, run_id;
DROP TABLE runs;
ALTER TABLE runs__new RENAME TO runs;
ALTER TABLE runs ALTER COLUMN run_id SET NOT NULL;
ALTER TABLE runs ALTER COLUMN started_at SET NOT NULL;

CREATE TABLE boilerplate_lines__new AS SELECT * FROM boilerplate_lines;
DROP TABLE boilerplate_lines;
ALTER TABLE boilerplate_lines__new RENAME TO boilerplate_lines;
ALTER TABLE boilerplate_lines ALTER COLUMN source_id SET NOT NULL;
ALTER TABLE boilerplate_lines ALTER COLUMN line_hash SET NOT NULL;
ALTER TABLE boilerplate_lines ALTER COLUMN epoch SET DEFAULT 0;
