-- The articles whose stored signature an older akhbar made (version < $version), with what
-- re-signing them needs: the stored text and title (the signature was made from them:
-- tasks/dedupe.py make_signatures), read as one stream (warehouse/load.py `rewrite_signatures`).
-- A semi-join: the old signatures' ids are the build side, the articles stream past it.
SELECT a.article_id, a.source_id, coalesce(a.published_at, a.fetched_at) AS published_at, a.text, a.title
FROM articles a
WHERE a.article_id IN (SELECT article_id FROM article_signatures WHERE version < $version)
