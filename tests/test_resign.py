"""A change of the dedupe key is safe for the stored window: the first load after the upgrade
re-signs the signatures an older akhbar stored (tasks/stories.py `resign_stored`, called by
flows/loading.py under the writer lock), so a copy spelt the way only the new key folds still
joins the story stored before the upgrade."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from flows.loading import load_all_pending
from flows.settings import Settings
from tasks import stories
from tasks.dedupe import SIG_VERSION, make_signatures
from tasks.models import Article, Extracted
from tasks.rows import article_row
from warehouse.db import reader, writer
from warehouse.load import StagingArea, load_pending, stage_batch

FIXTURES = Path(__file__).parent / "fixtures" / "resign"
WHEN = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
# An Egyptian outlet's copy of an Anadolu story (مسئول, شئون, عبدالله, أبوظبي, مائة) ...
STORED = ("أبوظبي - (الأناضول): قال مسئول كبير في وزارة شئون الرئاسة الإماراتية اليوم الأحد إن الشيخ عبدالله "
          "بن زايد سيزور القاهرة الأسبوع المقبل، في أول زيارة لمسئول إماراتي رفيع منذ مائة يوم.\n"
          "وأضاف المسئول، الذي طلب عدم نشر اسمه لأنه غير مخول بالحديث لوسائل الإعلام، أن الشيخ عبدالله "
          "سيبحث مع المسئولين المصريين ملفات التعاون الاقتصادي وشئون الطاقة والاستثمار بين البلدين.")
# ... and the agency's own text, spelt مسؤول, شؤون, عبد الله, أبو ظبي, مئة, arriving in a later run.
COPY = ("أبو ظبي - (الأناضول): قال مسؤول كبير في وزارة شؤون الرئاسة الإماراتية اليوم الأحد إن الشيخ عبد الله "
        "بن زايد سيزور القاهرة الأسبوع المقبل، في أول زيارة لمسؤول إماراتي رفيع منذ مئة يوم.\n"
        "وأضاف المسؤول، الذي طلب عدم نشر اسمه لأنه غير مخول بالحديث لوسائل الإعلام، أن الشيخ عبد الله "
        "سيبحث مع المسؤولين المصريين ملفات التعاون الاقتصادي وشؤون الطاقة والاستثمار بين البلدين.")


def _article(aid: str, outlet: str, minutes: int, text: str) -> Article:
    url = f"https://{outlet}.example/news/{aid}"
    return Article(article_id=aid, url=url, canonical_url=url, source_id=outlet, feed_url=f"https://{outlet}.example/rss",
                   fetched_at=WHEN + timedelta(minutes=minutes),
                   extraction=Extracted(status="ok", text=text, title="عبدالله بن زايد يزور القاهرة", language="ar",
                                        published_at=WHEN + timedelta(minutes=minutes)))


def _older_akhbar_warehouse(db: Path, tmp: Path) -> dict:
    """A warehouse holding the Egyptian copy as a story, its signature as akhbar with the dedupe
    key of version 1 stored it (tests/fixtures/resign/PROVENANCE.md); returns that row."""
    stored = _article("almasry-1", "almasryalyoum", 0, STORED)
    tables = stories.cluster_articles([stored], db, 72).tables
    old = json.loads((FIXTURES / "signature_v1.json").read_text())
    assert old["version"] == 1 and old["article_id"] == stored.article_id
    old.update(published_at=stored.extraction.published_at, fetched_at=stored.fetched_at)
    tables["article_signatures"] = [old]
    tables["articles"] = [article_row(stored, "run-old", 1)]
    area = StagingArea(tmp / "older-staging")
    stage_batch(area, "20261129T080000000000-run-old", tables)
    assert load_pending(db, area).loaded
    return old


def _signature_rows(db: Path) -> list[dict]:
    with reader(db) as con:
        cur = con.execute("SELECT * FROM article_signatures ORDER BY article_id")
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _story_rows(db: Path) -> list[tuple]:
    with reader(db) as con:
        return con.execute("SELECT * FROM story_clusters ORDER BY cluster_id").fetchall() + \
            con.execute("SELECT * FROM cluster_members ORDER BY article_id").fetchall()


def _lake_or_file(kind: str, tmp_path: Path) -> Path:
    if kind == "lake":
        pytest.importorskip("duckdb_extension_ducklake", reason="the [lake] extra is not installed")
        return Path(f"ducklake:{tmp_path}/akhbar.ducklake")
    return tmp_path / "akhbar.duckdb"


@pytest.mark.parametrize("kind", ["file", "lake"])
def test_a_copy_spelt_the_new_keys_way_joins_a_story_signed_before_the_upgrade(kind, tmp_path):
    # Before: the stored signature kept the old key (مسئول, شئون, عبدالله as written), the agency's
    # copy was signed with the new one (all folded): 16 of 48 5-grams shared, containment 0.33,
    # and the copy founded a story of its own for the whole 72 h window after the upgrade.
    db = _lake_or_file(kind, tmp_path)
    old = _older_akhbar_warehouse(db, tmp_path)
    stories_before = _story_rows(db)

    report = load_all_pending(db, Settings(lock_wait_s=1.0))  # a new run's first load: nothing pending

    copy = _article("aa-2", "aa", 90, COPY)
    clustered = stories.cluster_articles([copy], db, 72)
    assert copy.cluster_id == "almasry-1"
    assert clustered.duplicate_ids == {"aa-2"}
    # the stored signature is now the one this version makes of the stored text; outlet and times
    # kept, the story rows untouched
    assert report.resigned == 1 and not report.warnings
    [row] = _signature_rows(db)
    [fresh] = make_signatures([("almasry-1", "almasryalyoum", old["published_at"], STORED, None)])
    expected = {**fresh.to_row(), "fetched_at": old["fetched_at"]}
    assert row["version"] == SIG_VERSION == 9
    assert {k: row[k] for k in expected if k != "published_at"} == {k: v for k, v in expected.items()
                                                                     if k != "published_at"}
    assert row["published_at"] == old["published_at"] and row["shingles"] != old["shingles"]
    assert _story_rows(db) == stories_before
    # once: the next load finds nothing older
    assert load_all_pending(db, Settings(lock_wait_s=1.0)).resigned == 0


def test_a_signature_whose_article_text_is_gone_keeps_its_hashes_and_is_not_read_again(tmp_path):
    # Nothing to sign it from: its old hashes stay (they still match the words no fold changes),
    # and its version is set, so that later loads do not open the writer for it every time.
    db = tmp_path / "akhbar.duckdb"
    old = _older_akhbar_warehouse(db, tmp_path)
    with writer(db) as con:
        con.execute("UPDATE articles SET text = NULL")
    assert stories.resign_stored(db) == 0
    [row] = _signature_rows(db)
    assert row["version"] == SIG_VERSION and row["shingles"] == old["shingles"] and row["lead"] == old["lead"]
    assert stories.resign_stored(db) == 0


# --- checked once per run, not per chunk ----------------------------------------------------------


class _Counted:
    """flows.loading's resign_stored, counted; `fail` first calls raise as a broken read would."""

    def __init__(self, fail: int = 0) -> None:
        self.calls, self.fail = 0, fail

    def __call__(self, db, **kw):
        self.calls += 1
        if self.calls <= self.fail:
            raise OSError("read error")
        return stories.resign_stored(db, **kw)


def test_a_streamed_runs_chunk_loads_check_for_older_signatures_once(tmp_path, monkeypatch):
    # Before: every chunk's load opened a reader and counted the signatures of an older key.
    from flows import loading
    from flows.streaming import ChunkLoader

    db = tmp_path / "akhbar.duckdb"
    _older_akhbar_warehouse(db, tmp_path)
    counted = _Counted()
    monkeypatch.setattr(loading, "resign_stored", counted)
    loader = ChunkLoader(db, "run-1", Settings(lock_wait_s=1.0))
    reports = [loader.load({}, stories.StoriesResult(), []) for _ in range(3)]
    assert counted.calls == 1
    assert [r.resigned for r in reports] == [1, 0, 0]
    assert _signature_rows(db)[0]["version"] == SIG_VERSION


def test_a_check_that_failed_is_made_again_by_the_next_chunks_load(tmp_path, monkeypatch):
    from flows import loading
    from flows.streaming import ChunkLoader

    db = tmp_path / "akhbar.duckdb"
    _older_akhbar_warehouse(db, tmp_path)
    counted = _Counted(fail=1)
    monkeypatch.setattr(loading, "resign_stored", counted)
    loader = ChunkLoader(db, "run-1", Settings(lock_wait_s=1.0))
    first, second, third = (loader.load({}, stories.StoriesResult(), []) for _ in range(3))
    assert not first.resigned and first.warnings and "not re-signed" in first.warnings[0]
    assert second.resigned == 1 and not second.warnings and not third.resigned
    assert counted.calls == 2


def test_an_ingest_in_chunks_checks_for_older_signatures_once(prefect_harness, dev_catalog, tmp_path, monkeypatch):
    """The run's first load checks (and would re-sign); its four chunk loads and its final load
    do not open the warehouse again for it."""
    from flows import loading
    from flows.ingest import ingest

    counted = _Counted()
    monkeypatch.setattr(loading, "resign_stored", counted)
    monkeypatch.setenv("AKHBAR_CHUNK_SIZE", "16")  # 64 dev pages: four chunks
    loads = []
    real = loading.load_all_pending
    monkeypatch.setattr(loading, "load_all_pending", lambda *a, **k: loads.append(1) or real(*a, **k))
    result = ingest(catalog=str(dev_catalog), db=str(tmp_path / "akhbar.duckdb"), allow_private_networks=True)
    assert result["status"] == "completed" and result["articles_new"] > 16
    assert len(loads) >= 4 and counted.calls == 1


def test_the_check_is_made_again_for_another_warehouse_or_another_dedupe_key(tmp_path, monkeypatch):
    # Once per process and warehouse: a second warehouse is checked for itself, and a new
    # SIG_VERSION (an upgrade in a long-lived process) checks the first one again.
    from flows import loading

    one, two = tmp_path / "one" / "akhbar.duckdb", tmp_path / "two" / "akhbar.duckdb"
    for db in (one, two):
        db.parent.mkdir()
        _older_akhbar_warehouse(db, db.parent)
    counted = _Counted()
    monkeypatch.setattr(loading, "resign_stored", counted)
    settings = Settings(lock_wait_s=1.0)
    assert [load_all_pending(db, settings).resigned for db in (one, one, two, two)] == [1, 0, 1, 0]
    assert counted.calls == 2
    monkeypatch.setattr(loading, "SIG_VERSION", SIG_VERSION + 1)
    assert load_all_pending(one, settings).resigned == 0 and counted.calls == 3


def test_a_warehouse_restored_at_the_same_path_is_checked_again_in_a_long_lived_process(tmp_path, monkeypatch):
    # A process that runs run after run (a Python caller of the flows, a test session): the
    # warehouse checked by its first load is replaced by a backup from before the upgrade, moved
    # back into place. Its signatures of the older key are re-signed by the next load, as the
    # next run of a new process would (before: the memo by path skipped it for good).
    import os
    import shutil

    from flows import loading

    backup = tmp_path / "backup" / "akhbar.duckdb"
    backup.parent.mkdir()
    _older_akhbar_warehouse(backup, backup.parent)
    db = tmp_path / "live" / "akhbar.duckdb"
    db.parent.mkdir()
    shutil.copyfile(backup, db)
    counted = _Counted()
    monkeypatch.setattr(loading, "resign_stored", counted)
    settings = Settings(lock_wait_s=1.0)
    assert [load_all_pending(db, settings).resigned for _ in range(2)] == [1, 0]
    restored = db.with_name("akhbar.duckdb.restore")
    shutil.copyfile(backup, restored)
    os.replace(restored, db)
    assert load_all_pending(db, settings).resigned == 1
    assert _signature_rows(db)[0]["version"] == SIG_VERSION
    assert load_all_pending(db, settings).resigned == 0 and counted.calls == 2


def test_the_leads_words_are_stored_and_split_a_later_story_over_the_same_background(tmp_path: Path) -> None:
    """SIG_VERSION 4 stores the content words of a story's first paragraphs (`lead_words`): a later
    run reads them back from the window, so another story of the desk whose one-paragraph lead
    sits over the same three closing paragraphs (Sputnik's Grand Mosque item under its World Bank
    story's COVID block) founds its own story, while the World Bank story re-sent with a new lead
    naming the same people and debts joins the stored one."""
    from tests.test_dedupe import BANK_UPDATE, _paragraphs

    close = _paragraphs("1558750714")[-3:]
    db = tmp_path / "akhbar.duckdb"
    bank = _article("bank", "sputnik", 0, "\n".join(_paragraphs("1558780258")[:1] + close))
    tables = stories.cluster_articles([bank], db, 72).tables
    tables["articles"] = [article_row(bank, "run-1", 1)]
    area = StagingArea(tmp_path / "staging")
    stage_batch(area, "20261129T080000000000-run-1", tables)
    assert load_pending(db, area).loaded
    [row] = _signature_rows(db)
    assert row["version"] == SIG_VERSION and row["lead_words"]

    mosque = _article("mosque", "sputnik", 60, "\n".join(_paragraphs("1558731176")[:1] + close))
    update = _article("update", "sputnik", 120, "\n".join([BANK_UPDATE, *close]))
    stories.cluster_articles([mosque, update], db, 72)
    assert (mosque.cluster_id, update.cluster_id) == ("mosque", "bank")
