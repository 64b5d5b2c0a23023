"""``akhbar_norm`` (the SQL twin of search_key) is installed from warehouse/sql/search/akhbar_norm.sql,
a file generated from the one set of normalisation tables (warehouse/arabic.py and its data files,
warehouse/search_analysis.py): the file and the tables cannot drift apart unnoticed, and the macro
it installs keys text as search_key does."""

from __future__ import annotations

import unicodedata
from importlib import resources

import duckdb

from warehouse.search import NORM_SQL_FILE, install_session_macros, norm_sql, norm_sql_file_text
from warehouse.search_analysis import search_key


def _file() -> str:
    return resources.files("warehouse").joinpath("sql", "search", NORM_SQL_FILE).read_text("utf-8")


def test_the_sql_file_is_the_one_the_tables_give() -> None:
    assert _file() == norm_sql_file_text(), (
        "warehouse/sql/search/akhbar_norm.sql differs from the normalisation tables: rewrite it with "
        "python -c 'from warehouse.search import write_norm_sql; write_norm_sql()'")
    assert norm_sql() == _file()


def test_the_file_writes_no_invisible_character_raw() -> None:
    """Bidi marks, zero-width characters and the BOM stay visible escapes in the file (an editor or
    a diff would drop or hide them)."""
    text = _file()
    assert not [hex(ord(c)) for c in text if unicodedata.category(c) == "Cf"]
    assert "\\x{200f}" in text


def test_the_installed_macro_keys_text_as_search_key() -> None:
    samples = [
        "أعلنت وزارةُ الصحة اليوم", "مؤتمر الرئاسة في القاهرة", "١٬٢٣٤ دولار و 1,000,000 يورو",
        "المجد للآب والابن", "آل سعود", "F16 و COVID19", "كورونا\u200f", "عبدالله بن زايد", "أبوظبي",
        "مستشفى ئ ؤ ى ة", "گزارش پیشرفت", "٢٠٢٤م",
    ]
    con = duckdb.connect()
    con.execute(norm_sql())
    for s in samples:
        got = con.execute("SELECT akhbar_norm($s)", {"s": s}).fetchone()[0]
        assert got == search_key(s), s  # punctuation is the tokenizer's: none here


def test_the_session_macro_is_the_file_too(tmp_path) -> None:
    """install_session_macros (read-only `akhbar sql` after an upgrade) installs the same text."""
    db = tmp_path / "w.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE OR REPLACE MACRO akhbar_norm(s) AS 'stale'")
    install_session_macros(con)
    assert con.execute("SELECT akhbar_norm('أعلنت')").fetchone()[0] == search_key("أعلنت")
