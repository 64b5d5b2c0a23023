-- One step of the template closure: a frequent paragraph that is not a numbered template
-- (< $min_stories fillings) is judged by find_templates from the full 5-gram sets of its first
-- $max_holders holders by article id (Params.template_max_holders: the group it reads), so those
-- holders of every such paragraph of a selected article are selected too (repeated until no
-- article is added). The other holders are only counted (7_light.sql): selecting every holder
-- read thousands of full signatures for a paragraph as common as a dateline line at the
-- region's volume, all but the first $max_holders unread by find_templates.
INSERT INTO dedupe_s
SELECT DISTINCT h.article_id
FROM (
    SELECT other.ph, other.article_id, dense_rank() OVER (PARTITION BY other.ph ORDER BY other.article_id) AS k
    FROM dedupe_hp AS other
    JOIN dedupe_f AS f ON f.ph = other.ph AND f.fillings < $min_stories
    WHERE other.ph IN (SELECT mine.ph FROM dedupe_hp AS mine JOIN dedupe_s USING (article_id))
) AS h
WHERE h.k <= $max_holders
  AND h.article_id NOT IN (SELECT article_id FROM dedupe_s)
