-- Where each article's published_at came from (tasks.dates evidence kind: jsonld, meta, time,
-- visible, url, feed; NULL when undated), and the agencies its text quotes without being
-- their copy ("قال مسؤول لوكالة أسوشيتد برس"): wire_agency stays for copies only.
ALTER TABLE articles ADD COLUMN published_at_source VARCHAR;
ALTER TABLE articles ADD COLUMN cited_agencies VARCHAR[];
