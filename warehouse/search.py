"""Arabic full-text search over the warehouse with DuckDB's fts extension.

DuckDB's fts cannot tokenise Arabic well by itself: the documented default `ignore` regex
('(\\.|[^a-z])+') deletes every Arabic letter, the built-in stopword list is English only, and
the index never updates itself. So:

* ``article_search(article_id, title_norm, body_norm, src_hash)`` holds each article's title and
  text as Arabic matching keys (``search_key`` = ``warehouse.arabic.normalize_key``: no
  harakat/tatweel, أإآٱ→ا, ى→ي, ة→ه, ASCII digits, spelling variants folded; plus ؤ→و, ئ→ي). It is refreshed incrementally: only rows whose
  title/text (or the normalisation version) changed are recomputed in Python.
* The fts index is rebuilt over it (``overwrite=1``) with an explicit tokenizer that keeps
  letters and digits of every script (``ignore='[^\\p{L}\\p{N}]+'``), the Arabic stopword list
  shipped in ``warehouse/data/arabic_stopwords.txt`` (normalised the same way, loaded into the
  table ``search_stopwords``) and the stemmer chosen by measurement (``STEMMER``; see
  bench/RESULTS.md, section "search").
* Queries go through the same normalisation: ``search()`` calls ``search_key``; inside SQL
  the macro ``akhbar_norm(s)`` does the same in plain SQL, so ``search_articles('الامريكيه')``
  finds "الأمريكية" in the DuckDB CLI too.

Created objects (all rebuilt by ``rebuild_search_index``): table ``article_search``, table
``search_stopwords``, schema ``fts_main_article_search``, macros ``akhbar_norm(s)`` and
``search_articles(q, n := 50)`` (a table macro: article_id, title, source_id, outlet, date, url,
score). Analysts must ``LOAD fts`` in their session before calling ``search_articles``.
"""

from __future__ import annotations

import logging
import time
from functools import lru_cache
from importlib import resources
from pathlib import Path

import duckdb
import regex

from warehouse.arabic import normalize_key, spelling_variants
from warehouse.db import load_fts, reader

log = logging.getLogger("akhbar.search")

# Bump when normalize_key, the stopword list or the tokenizer change: every row is then re-keyed.
NORM_VERSION = "2"
# Measured on the fixture web (bench/search_stemmer.py, bench/RESULTS.md "search"): Snowball
# 'arabic' >= 'none' on headline-like queries (nP@5 1.000 vs 0.990) and clearly better on
# inflected ones (0.801 vs 0.635), despite its over-stemming (وزاره→زار).
STEMMER = "arabic"
# Keep letters and digits of every script; everything else separates tokens.
IGNORE = r"[^\p{L}\p{N}]+"
INDEX_SCHEMA = "fts_main_article_search"

_HARAKAT_SQL = "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
_FROM = "أإآٱىةؤئ٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"
_TO = "اااايهوي01234567890123456789"
_WORD = regex.compile(r"\w+")


class SearchIndexMissing(RuntimeError):
    """The warehouse has no search index yet (no load has rebuilt it)."""


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The shipped Arabic stopword list, normalised like the indexed text."""
    raw = resources.files("warehouse").joinpath("data/arabic_stopwords.txt").read_text("utf-8")
    words: set[str] = set()
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.update(search_key(line).split())
    return frozenset(words)


# Beyond normalize_key, the search key folds hamza seats (ؤ→و, ئ→ي: مسؤول = مسئول), which
# fts strip_accents would otherwise do at several seconds per rebuild on a large warehouse.
_SEATS = str.maketrans({"\u0624": "\u0648", "\u0626": "\u064a"})


def search_key(text: str) -> str:
    """What is indexed and what queries are matched with: normalize_key plus hamza-seat folding."""
    return normalize_key(text).translate(_SEATS)


def _src_hash_sql(alias: str = "a", stemmer: str = STEMMER) -> str:
    salt = f"{NORM_VERSION}/{stemmer}"
    return f"md5('{salt}' || chr(31) || coalesce({alias}.title, '') || chr(31) || coalesce({alias}.text, ''))"


def rebuild_search_index(con: duckdb.DuckDBPyConnection, stemmer: str = STEMMER, force: bool = False) -> dict[str, int]:
    """Refresh ``article_search`` for new/changed/deleted articles, then rebuild the fts index
    and the SQL macros. Call with a writer connection after a load has committed.

    When no article was added, changed or removed (and the index exists) the fts rebuild, the
    expensive part (about 5 s per 20k articles), is skipped."""
    started = time.monotonic()
    load_fts(con)
    con.execute(
        "CREATE TABLE IF NOT EXISTS article_search ("
        " article_id VARCHAR PRIMARY KEY, title_norm VARCHAR, body_norm VARCHAR, src_hash VARCHAR)"
    )
    deleted = con.execute(
        "DELETE FROM article_search WHERE article_id NOT IN (SELECT article_id FROM articles)"
    ).fetchone()[0]
    changed = con.execute(
        f"SELECT a.article_id, a.title, a.text, {_src_hash_sql('a', stemmer)} AS h FROM articles a "
        "LEFT JOIN article_search s USING (article_id) "
        f"WHERE s.article_id IS NULL OR s.src_hash IS DISTINCT FROM {_src_hash_sql('a', stemmer)}"
    ).fetchall()
    if changed:
        import pyarrow as pa

        batch = pa.table({
            "article_id": [r[0] for r in changed],
            "title_norm": [search_key(r[1] or "") for r in changed],
            "body_norm": [search_key(r[2] or "") for r in changed],
            "src_hash": [r[3] for r in changed],
        })
        con.register("_search_batch", batch)
        try:
            con.execute("INSERT OR REPLACE INTO article_search SELECT * FROM _search_batch")
        finally:
            con.unregister("_search_batch")

    rebuilt = bool(force or changed or deleted or not has_index(con))
    if rebuilt:
        create_fts(con, stemmer)
        con.execute(norm_macro_sql())
        con.execute(SEARCH_MACRO_SQL)
    n = con.execute("SELECT count(*) FROM article_search").fetchone()[0]
    log.info("search index %s: %d articles (%d re-keyed, %d removed) in %.2fs",
             "rebuilt" if rebuilt else "unchanged", n, len(changed), deleted, time.monotonic() - started)
    return {"indexed": n, "rekeyed": len(changed), "removed": deleted, "rebuilt": int(rebuilt)}


def create_fts(con: duckdb.DuckDBPyConnection, stemmer: str = STEMMER, use_stopwords: bool = True) -> None:
    """(Re)build the fts index over ``article_search`` (the fts index never updates itself)."""
    con.execute("CREATE OR REPLACE TABLE search_stopwords (sw VARCHAR)")
    if use_stopwords:
        con.execute("INSERT INTO search_stopwords SELECT unnest(?)", [sorted(stopwords())])
    con.execute(
        "PRAGMA create_fts_index('article_search', 'article_id', 'title_norm', 'body_norm', "
        f"stemmer = '{stemmer}', stopwords = 'search_stopwords', ignore = '{IGNORE}', "
        "strip_accents = 0, lower = 0, overwrite = 1)"  # the keys are already folded and casefolded
    )


def refresh_search(db_path: Path, wait_s: float = 30.0) -> dict[str, int]:
    """Open a writer just to rebuild the index (when it cannot run inside the load's writer)."""
    from warehouse.db import writer

    with writer(Path(db_path), wait_s=wait_s) as con:
        return rebuild_search_index(con)


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def norm_macro_sql() -> str:
    """``akhbar_norm(s)``: search_key in plain SQL (punctuation is left to the fts tokenizer).

    Same steps in the same order: NFC + lower, delete harakat/tatweel/bidi marks, fold
    alef/ya/ta-marbuta/hamza seats and digits, then the spelling variants, longest first.
    (Spelling variants are folded after ؤ/ئ here but before in search_key; no variant contains
    either letter.)
    """
    expr = (
        f"translate(regexp_replace(lower(nfc_normalize(CAST(s AS VARCHAR))), '{_HARAKAT_SQL}', '', 'g'), "
        f"'{_FROM}', '{_TO}')"
    )
    for variant, canonical in spelling_variants():
        expr = f"replace({expr}, {_sql_str(variant)}, {_sql_str(canonical)})"
    return f"CREATE OR REPLACE MACRO akhbar_norm(s) AS {expr}"


SEARCH_MACRO_SQL = f"""
CREATE OR REPLACE MACRO search_articles(q, n := 50) AS TABLE
SELECT a.article_id, a.title, a.source_id, src.name AS outlet,
       coalesce(a.published_at, a.fetched_at) AS date, a.url, hits.score
FROM (
    SELECT article_id, {INDEX_SCHEMA}.match_bm25(article_id, akhbar_norm(q)) AS score
    FROM article_search
) AS hits
JOIN articles a USING (article_id)
LEFT JOIN sources src ON src.source_id = a.source_id
WHERE hits.score IS NOT NULL
ORDER BY hits.score DESC, date DESC, a.article_id
LIMIT n
"""

_SEARCH_SQL = f"""
SELECT a.article_id, a.title, a.source_id AS outlet, src.name AS outlet_name,
       coalesce(a.published_at, a.fetched_at) AS date, a.url, a.text, hits.score
FROM (
    SELECT article_id, {INDEX_SCHEMA}.match_bm25(article_id, $q) AS score
    FROM article_search
) AS hits
JOIN articles a USING (article_id)
LEFT JOIN sources src ON src.source_id = a.source_id
WHERE hits.score IS NOT NULL
ORDER BY hits.score DESC, date DESC, a.article_id
LIMIT $n
"""


def has_index(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = 'docs'", [INDEX_SCHEMA]
    ).fetchone()[0])


def search_con(con: duckdb.DuckDBPyConnection, query: str, limit: int = 10) -> list[dict]:
    """Ranked hits on an open connection (read-only is fine)."""
    q = search_key(query)
    if not q:
        return []
    load_fts(con)
    if not has_index(con):
        raise SearchIndexMissing("no search index in this warehouse yet: it is built after each load")
    cur = con.execute(_SEARCH_SQL, {"q": q, "n": limit})
    cols = [d[0] for d in cur.description]
    terms = [t for t in q.split() if t not in stopwords()] or q.split()
    out = []
    for row in cur.fetchall():
        hit = dict(zip(cols, row, strict=True))
        text = hit.pop("text") or ""
        hit["snippet"] = snippet(text or hit["title"] or "", terms)
        out.append(hit)
    return out


def search(db_path: Path | str, query: str, limit: int = 10) -> list[dict]:
    """Search titles and texts; returns dicts with title, outlet, outlet_name, date, snippet,
    score, article_id, url, best first. The query is normalised like the index (hamza, ta
    marbuta, alef maqsura, harakat, tatweel, digits and spelling variants do not matter)."""
    with reader(Path(db_path)) as con:
        return search_con(con, query, limit)


def snippet(text: str, terms: list[str], width: int = 220) -> str:
    """The paragraph with most query-term hits, cut to about `width` characters around the first.

    Terms match as normalised substrings of a word, so a query word still marks its clitic forms
    (اللاجئين in واللاجئين)."""
    if not text:
        return ""
    best, best_hits, best_pos = None, 0, 0
    for para in text.split("\n"):
        hits, first = 0, None
        for m in _WORD.finditer(para):
            word = search_key(m.group())
            if any(t in word for t in terms):
                hits += 1
                first = m.start() if first is None else first
        if hits > best_hits:
            best, best_hits, best_pos = para, hits, first or 0
    if best is None:
        best, best_pos = text.split("\n", 1)[0], 0
    best = best.strip()
    if len(best) <= width:
        return best
    start = max(0, min(best_pos - width // 4, len(best) - width))
    # do not cut words
    if start > 0:
        space = best.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else start
    end = start + width
    if end < len(best):
        space = best.rfind(" ", start, end)
        end = space if space > start else end
    return ("… " if start > 0 else "") + best[start:end].strip() + (" …" if end < len(best) else "")


__all__ = [
    "STEMMER", "SearchIndexMissing", "rebuild_search_index", "refresh_search", "search", "search_con", "search_key",
    "snippet", "stopwords",
]
