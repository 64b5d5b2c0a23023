-- This run's new signatures (the Arrow table registered as dedupe_new_rows).
CREATE OR REPLACE TEMP TABLE dedupe_n AS
SELECT article_id, key_hash, n_tokens, minhash, lead, para_hashes, para_exact FROM dedupe_new_rows
