-- search_name_terms: what a query word naming a wire agency or a person / party in Latin letters also
-- looks for, as `akhbar search` reads it (warehouse/search.py _alternatives: Reuters / رويترز and the
-- copies attributed to the agency, Trump / ترامب / ترمب), one row a term of the word's alternatives
-- (key: the word's matching key; tid, alt, var: as search_articles' terms). Seeded by
-- warehouse/search.py (install_name_terms, name_term_rows); read by search_articles (qv).
CREATE OR REPLACE TABLE search_name_terms (key VARCHAR, tid BIGINT, alt BOOLEAN, var INTEGER);
