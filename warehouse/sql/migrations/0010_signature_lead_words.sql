-- The content words of each article's first paragraphs (tasks/dedupe.py `Signature.lead_words`,
-- SIG_VERSION 4): two texts that each open with a lead of their own over one shared block are one
-- story only if their leads name the same people, places and numbers. Rows signed before are
-- re-signed by the next load (tasks/stories.py `resign_stored`); until then NULL (the 5-gram rule).
ALTER TABLE article_signatures ADD COLUMN lead_words BIGINT[];
