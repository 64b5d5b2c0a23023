-- One step of the template closure: a frequent paragraph that is not a numbered template
-- (< $min_stories fillings) is judged by find_templates from its holders' full 5-gram sets, so
-- every holder of such a paragraph of a selected article is selected too (repeated until no
-- article is added).
INSERT INTO dedupe_s
SELECT DISTINCT other.article_id
FROM dedupe_hp AS mine
JOIN dedupe_s USING (article_id)
JOIN dedupe_f AS f ON f.ph = mine.ph AND f.fillings < $min_stories
JOIN dedupe_hp AS other ON other.ph = mine.ph
WHERE other.article_id NOT IN (SELECT article_id FROM dedupe_s)
