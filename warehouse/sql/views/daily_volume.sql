-- Articles per UTC day × outlet (× the outlet's country). The day is that of the article's
-- publication time, or of its fetch when the page carried no usable date (as cluster stats do).
-- Every stored article counts whatever its extraction status; `extracted` counts those with
-- usable text (ok or fallback_summary), `wire` those attributed to an agency.
CREATE OR REPLACE VIEW daily_volume AS
SELECT
    CAST(timezone('UTC', coalesce(a.published_at, a.fetched_at)) AS DATE) AS day,
    a.source_id,
    any_value(s.name)                                                     AS source_name,
    any_value(s.country)                                                  AS country,
    count(*)                                                              AS articles,
    count(*) FILTER (WHERE a.extraction_status IN ('ok', 'fallback_summary')) AS extracted,
    count(*) FILTER (WHERE a.wire_agency IS NOT NULL)                     AS wire
FROM articles a
LEFT JOIN sources s USING (source_id)
GROUP BY ALL
ORDER BY day, a.source_id;
