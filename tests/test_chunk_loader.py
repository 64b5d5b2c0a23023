"""flows.streaming.ChunkLoader: the per-chunk load of ingest-warc and reprocess. A chunk that is
not in the warehouse afterwards (dry run, nothing to write, load deferred by another writer) is
kept in `unloaded` so the next chunks' dedupe sees it, and a deferred load's reason is kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb
import pytest

from flows.loading import staging_area
from flows.locks import warehouse_write_lock
from flows.settings import Settings
from flows.streaming import ChunkLoader
from tasks import rows, stories
from tasks.models import Article, Extracted
from tests.pool_procs import forked_by_the_server

WHEN = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
WORDS = ("أعلنت الحكومة اليوم عن خطة جديدة لدعم المزارعين في المناطق الريفية بعد موسم جفاف طويل أثر على "
         "المحاصيل الزراعية وقال وزير الزراعة إن الخطة تشمل قروضا ميسرة وبذورا محسنة وتوسيع شبكات الري "
         "الحديثة في عشر محافظات خلال العامين المقبلين بتكلفة تقدر بمئات الملايين").split()


def _story(n: int) -> str:  # one wire story: the same long text for every copy
    return " ".join(f"{WORDS[(i * 7 + n) % len(WORDS)]} {WORDS[i % len(WORDS)]}{i % 13}" for i in range(160))


def _article(outlet: str, story: int, minutes: int) -> Article:
    url = f"https://{outlet}.example/news/{story}-{minutes}"
    return Article(article_id=f"{outlet}{story:04d}{minutes:06d}", url=url, canonical_url=url, source_id=outlet,
                   feed_url=f"https://{outlet}.example/rss", fetched_at=WHEN + timedelta(minutes=minutes),
                   extraction=Extracted(status="ok", text=_story(story), title=f"خبر رقم {story}", language="ar",
                                        published_at=WHEN + timedelta(minutes=minutes)))


def _chunk(loader: ChunkLoader, db, arts: list[Article]):
    clustered = stories.cluster_articles(arts, db, 72, unloaded=loader.unloaded)
    tables = dict(articles=[rows.article_row(a, loader.run_id, 1) for a in arts], **clustered.tables)
    return tables, clustered


def _stored(db) -> dict[str, str | None]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("SELECT article_id, cluster_id FROM articles").fetchall())
    finally:
        con.close()


@pytest.fixture
def no_prefect_api():
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: None}):  # the file lock alone (no writer slot)
        yield


def test_a_deferred_chunk_is_kept_unloaded_with_its_reason_and_loaded_by_the_next(tmp_path, no_prefect_api):
    db = tmp_path / "akhbar.duckdb"
    loader = ChunkLoader(db, "run-test", Settings(lock_wait_s=0.1), lock_timeout_s=0.3)
    first = _article("sahil", 1, 0)
    with warehouse_write_lock(db, timeout_s=5):  # another writer holds the warehouse
        tables, clustered = _chunk(loader, db, [first])
        report = loader.load(tables, clustered, [first])
    assert report.error and not report.loaded
    assert loader.deferred == report.error and "held by another writer" in loader.deferred
    assert set(loader.unloaded.signatures) == {first.article_id}  # kept for the next chunks' dedupe
    assert len(staging_area(db).pending_batches()) == 1  # and its batch stays staged

    # the next chunk's copy of the same story is matched against the unloaded one
    copy = _article("rafidain", 1, 30)
    tables, clustered = _chunk(loader, db, [copy])
    assert copy.cluster_id and copy.cluster_id == first.cluster_id
    report = loader.load(tables, clustered, [copy])
    assert not report.error and len(report.loaded) == 2  # the deferred batch is loaded with it
    assert not loader.unloaded.signatures and not loader.unloaded.members  # all in the warehouse now
    assert loader.deferred  # the run still says its loads were deferred once
    assert _stored(db) == {first.article_id: first.cluster_id, copy.article_id: first.cluster_id}


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_chunk_not_written_is_kept_unloaded_without_a_reason(tmp_path, no_prefect_api, dry_run):
    db = tmp_path / "akhbar.duckdb"
    loader = ChunkLoader(db, "run-test", Settings(), dry_run=dry_run)
    first = _article("sahil", 2, 0)
    tables, clustered = _chunk(loader, db, [first])
    assert loader.load(tables, clustered, [first], write=dry_run) is None  # dry run: write=True is ignored
    assert loader.deferred is None and set(loader.unloaded.members) == {first.article_id}
    assert not db.exists() and not staging_area(db).pending_batches()  # nothing written
    copy = _article("rafidain", 2, 30)
    _chunk(loader, db, [copy])
    assert copy.cluster_id == first.cluster_id


def test_the_last_chunk_frees_the_extraction_workers_before_its_window_read(tmp_path, monkeypatch):
    """Once every page is extracted, the last chunk's signatures are the workers' last job: they
    are stopped before its dedupe reads the window (on a large warehouse the run's memory peak,
    where two idle workers held ~330 MB of RSS), and the fork server stays for the next run.
    A chunk before the last keeps them: extraction of the next pages still needs them."""
    from tasks import pool

    monkeypatch.setenv("AKHBAR_POOL_START", "forkserver")
    db = tmp_path / "akhbar.duckdb"
    at_window_read = []
    real_existing = stories._existing

    def watched(*args, **kwargs):  # the real window read, counting the processes alive as it starts
        at_window_read.append(forked_by_the_server())
        return real_existing(*args, **kwargs)

    monkeypatch.setattr(stories, "_existing", watched)
    arts = [_article(outlet, story, 10 * story + i) for story in range(8) for i, outlet in enumerate(("a", "b", "c"))]
    with pool.warm_workers(2, 10_000):
        first = stories.cluster_articles(arts[:12], db, 72, workers=2)
        last = stories.cluster_articles(arts[12:], db, 72, workers=2, unloaded=None, last=True)
        assert forked_by_the_server() == 1
    assert at_window_read[0] >= 2 and at_window_read[1] == 1  # server + worker(s), then the server alone
    assert forked_by_the_server() == 1
    # the same clusters as without a pool: three copies of each story, one cluster each
    for result, n_stories in ((first, 4), (last, 4)):
        assert len(result.tables["story_clusters"]) == n_stories
    assert len({a.cluster_id for a in arts}) == 8
