-- How many stored dedupe signatures an older akhbar made (version < $version): their 5-grams,
-- lead and paragraph hashes follow an older key, and tasks/stories.py `resign_stored` re-signs
-- them (0 on every load after that; every row group's `version` zone map says so without a scan).
SELECT count(*) FROM article_signatures WHERE version < $version
