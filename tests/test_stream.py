"""The stream machinery of a run (tasks/stream.py, tasks/pool.stream_map): order kept end to end,
memory bounded by the pipe sizes whatever the length of the input, a failing stage stops the
others, worker start methods. Real threads and real worker processes; no Prefect (the flows'
use of it is covered by tests/test_ingest.py, test_backfill.py, test_reprocess.py and the
kill-between-chunks case in test_crash_safety.py)."""

from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest

from tasks import pool, stream
from tasks.stream import Limits, Stream
from tests.pool_procs import forked_by_the_server


def _square(x: int) -> int:  # module level: sent to worker processes
    return x * x


def _boom_on_13(x: int) -> int:
    if x == 13:
        raise ValueError("page 13 is poisoned")
    return x


class _Watched:
    """A source of n items that records how many were taken but not yet settled."""

    def __init__(self, n: int) -> None:
        self.n, self.taken, self.settled, self.peak = n, 0, 0, 0
        self.lock = threading.Lock()

    def __iter__(self):
        for i in range(self.n):
            with self.lock:
                self.taken += 1
                self.peak = max(self.peak, self.taken - self.settled)
            yield i

    def settle(self, k: int) -> None:
        with self.lock:
            self.settled += k


def _run(n: int, limits: Limits, fn=_square, job_of=lambda i: i if i % 7 else None):
    src = _Watched(n)
    st = Stream(limits)
    got: list[tuple[int, int | None]] = []
    sizes: list[int] = []

    def handle(chunk, last):
        sizes.append(len(chunk))
        got.extend(chunk)
        time.sleep(0.001)  # a slower consumer: the pipes fill up
        src.settle(len(chunk))
        return last

    results = stream.run_locally(
        st,
        lambda: stream.feed(src, st.pages, st),
        lambda: stream.extract(st.pages, st.extracted, st, job_of, fn),
        lambda: _settle(st, handle),
    )
    return src, got, sizes, results


def _settle(st: Stream, handle):
    result = None
    for chunk, last in stream.chunks(st.extracted, st.limits.chunk):
        result = handle(chunk, last)
    return result


@pytest.mark.parametrize("workers", [1, 2])
def test_order_is_kept_and_items_without_a_job_pass_in_place(workers):
    limits = Limits(workers=workers, chunk=10, ahead=4, extract_chunk=3)
    _src, got, sizes, results = _run(100, limits)
    assert [i for i, _ in got] == list(range(100))
    assert all(r == (i * i if i % 7 else None) for i, r in got)  # a page refused as not an article: None
    assert sizes == [10] * 10  # full chunks, in order; the last one handed over with last=True
    assert results[2] is True and results[0] == 100


def test_memory_is_bounded_by_the_pipes_not_by_the_input():
    """Items taken from the source but not yet settled never exceed what the pipes can hold:
    the same bound for 300 items as for 3,000."""
    limits = Limits(workers=2, chunk=16, ahead=8, extract_chunk=4)
    # source -> pages pipe (ahead) -> extraction (in the workers + its window) -> extracted pipe
    # (chunk) -> the chunk being filled and handled (chunk); +2 items in the hands of the threads
    bound = limits.ahead + limits.in_workers + 2 * limits.chunk + 2 * limits.extract_chunk + 2
    peaks = []
    for n in (300, 3000):
        src, got, _sizes, _ = _run(n, limits)
        assert len(got) == n
        peaks.append(src.peak)
    assert all(p <= bound for p in peaks), (peaks, bound)
    assert peaks[1] <= peaks[0] + limits.chunk  # not growing with the input


def test_a_failing_stage_stops_the_others_and_its_error_is_raised():
    limits = Limits(workers=1, chunk=4, ahead=2, extract_chunk=2)
    src = _Watched(10_000)
    st = Stream(limits)
    started = time.monotonic()
    with pytest.raises(ValueError, match="poisoned"):
        stream.run_locally(
            st,
            lambda: stream.feed(src, st.pages, st),
            lambda: stream.extract(st.pages, st.extracted, st, lambda i: i, _boom_on_13),
            lambda: _settle(st, lambda chunk, last: None),
        )
    assert time.monotonic() - started < 30  # nobody waited forever on a pipe nobody reads
    assert src.taken < 200  # the source stopped soon after the failure


def test_a_failing_consumer_stops_the_source():
    limits = Limits(workers=1, chunk=4, ahead=2, extract_chunk=2)
    src = _Watched(10_000)
    st = Stream(limits)

    def handle(chunk, last):
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        stream.run_locally(
            st,
            lambda: stream.feed(src, st.pages, st),
            lambda: stream.extract(st.pages, st.extracted, st, lambda i: i, _square),
            lambda: _settle(st, handle),
        )
    assert src.taken < 100


def test_an_empty_stream_hands_over_one_empty_last_chunk():
    assert list(stream.chunks([], 5)) == [([], True)]
    assert list(stream.chunks(range(5), 5)) == [([0, 1, 2, 3, 4], True)]
    assert list(stream.chunks(range(6), 5)) == [([0, 1, 2, 3, 4], False), ([5], True)]


def test_fetch_order_is_publication_time_undated_last_and_stable_under_a_removed_prefix():
    items = [("c", 3), ("x", None), ("a", 1), ("b", 2), ("y", None), ("a2", 1)]
    order = stream.fetch_order(items, lambda t: t[1])
    assert [t[0] for t in order] == ["a", "a2", "b", "c", "x", "y"]
    rest = [t for t in items if t[0] not in ("a", "a2")]  # the first chunk was stored by a stopped run
    assert stream.fetch_order(rest, lambda t: t[1]) == order[2:]


@pytest.mark.parametrize("method", ["forkserver", "spawn"])
def test_stream_map_pulls_lazily_keeps_order_in_worker_processes(method, monkeypatch):
    monkeypatch.setenv("AKHBAR_POOL_START", method)
    pulled = []

    def items():
        for i in range(200):
            pulled.append(i)
            yield i

    out = pool.stream_map(_square, items(), workers=2, chunksize=5, window=4)
    first = [next(out) for _ in range(3)]
    assert first == [0, 1, 4]
    assert len(pulled) <= 5 * 4 + 5  # only the window was read ahead, not the 200 items
    assert first + list(out) == [i * i for i in range(200)]


def test_start_method_setting(monkeypatch):
    monkeypatch.setenv("AKHBAR_POOL_START", "spawn")
    assert pool.start_method() == "spawn"
    monkeypatch.setenv("AKHBAR_POOL_START", "fork")
    t = threading.Thread(target=time.sleep, args=(0.5,))
    t.start()
    try:  # forking a process with other threads can deadlock the child: the fork server instead
        assert pool.start_method() == "forkserver"
    finally:
        t.join()
    monkeypatch.setenv("AKHBAR_POOL_START", "threads")
    with pytest.raises(ValueError, match="AKHBAR_POOL_START"):
        pool.start_method()


def test_stream_map_redoes_the_work_in_process_when_a_worker_dies(monkeypatch):
    monkeypatch.setenv("AKHBAR_POOL_START", "forkserver")
    items = [(i, os.getpid()) for i in range(40)]
    out = list(pool.stream_map(_die_on_7_in_a_worker, items, workers=2, chunksize=4, window=2))
    assert out == list(range(40))  # nothing lost: the broken pool's chunks were redone here


def _die_on_7_in_a_worker(item: tuple[int, int]) -> int:
    x, parent = item
    if x == 7 and os.getpid() != parent:
        os._exit(1)  # the OS killed the worker (out of memory)
    return x


def _pid(_x: int) -> int:
    return os.getpid()


def test_a_running_pool_takes_even_a_few_items(monkeypatch):
    """A chunk's attribution and signatures (a few groups) go to the run's warm workers, not to
    the calling process, where they would hold the GIL the fetch and the extraction feed need;
    without a warm pool a few items stay in process (no pool started for them)."""
    monkeypatch.setenv("AKHBAR_POOL_START", "forkserver")
    few = list(range(pool.MIN_ITEMS_FOR_POOL // 3))
    assert set(pool.map_in_processes(_pid, few, workers=2, tick=False)) == {os.getpid()}
    with pool.warm_workers(2, 10_000):
        pids = set(pool.map_in_processes(_pid, few, workers=2, chunksize=1, tick=False))
    assert os.getpid() not in pids and pids


def test_forked_workers_start_with_the_preloaded_objects_frozen(monkeypatch):
    """The fork server freezes what it preloaded (gc.freeze): a worker's garbage collections
    then leave those objects, and the memory pages they share with the server, untouched."""
    monkeypatch.setenv("AKHBAR_POOL_START", "forkserver")
    frozen = pool.map_in_processes(_frozen, list(range(pool.MIN_ITEMS_FOR_POOL + 6)), workers=2, tick=False)
    assert min(frozen) > 20_000  # trafilatura, lxml, the date parsers, our modules: ~44k objects


def _frozen(_x: int) -> int:
    import gc

    return gc.get_freeze_count()


def _fork_servers() -> list[int]:
    import psutil

    return [p.pid for p in psutil.Process().children() if "forkserver" in " ".join(p.cmdline())]


def test_a_long_run_stops_its_fork_server_with_its_workers(monkeypatch):
    """ingest-warc and reprocess (keep_server=False) leave no fork server behind for their final
    load and search sync; a scheduled ingest keeps it for the next run in the same process."""
    monkeypatch.setenv("AKHBAR_POOL_START", "forkserver")
    items = list(range(pool.MIN_ITEMS_FOR_POOL * 2))
    with pool.warm_workers(2, 10_000):
        assert sorted(pool.map_in_processes(_pid, items, workers=2, tick=False)) != [os.getpid()] * len(items)
    assert _fork_servers()  # kept
    with pool.warm_workers(2, 10_000, keep_server=False):
        pool.map_in_processes(_pid, items, workers=2, tick=False)
        assert _fork_servers()
    assert not _fork_servers()


def test_feeds_are_parsed_as_they_arrive_with_the_outcomes_parsing_after_gives(fixture_web, dev_catalog):
    """An ingest parses each feed as its answer arrives (poll.fetch_feeds(parsing=...)), while
    the others download: every feed's outcome is the one parsing after the fetch gives."""
    from tasks import poll
    from tasks.catalog import load_catalog
    from tasks.http import HttpSettings

    specs = load_catalog(dev_catalog)
    http = HttpSettings(allow_private_networks=True, per_host_min_interval_s=0.0)
    parsing: dict = {}
    results = poll.fetch_feeds(specs, {}, http, parsing=parsing)
    assert set(parsing) == set(range(len(specs)))
    ahead = poll.parse_fetched(specs, results, {}, None, parsing)
    after = poll.parse_fetched(specs, results, {})

    def seen(outcomes):
        return [(o.outcome, o.error, o.body_hash, o.parsed and [(e.url, e.title, e.published_at) for e in o.parsed.entries])
                for o in outcomes]

    assert seen(ahead) == seen(after)
    assert sum(1 for o in ahead if o.outcome == "ok") >= 5
    assert all(o.fetch is r for o, r in zip(ahead, results, strict=True))


@contextmanager
def _failed_import_searches():
    """The names Python searched sys.path for and did not find, while the block runs (a finder
    after the path finder sees only those). DuckDB's binding looks for pandas once per bound
    value; without pandas installed each look is such a search."""
    import importlib.util
    import sys

    if importlib.util.find_spec("pandas") is not None:
        pytest.skip("pandas is installed here: DuckDB imports it once")
    searched: list[str] = []

    class Finder:
        def find_spec(self, name, path=None, target=None):
            searched.append(name)

    finder = Finder()
    sys.meta_path.append(finder)
    try:
        yield searched
    finally:
        sys.meta_path.remove(finder)


def test_reading_stored_boilerplate_counts_does_not_bind_each_line_hash(tmp_path):
    """A chunk asks the warehouse for the stored counts of ~20,000 boilerplate line hashes.
    DuckDB's binding tries `import pandas` twice for every value bound as a list parameter: with
    pandas absent each try is a failing search of sys.path (3 s of CPU per chunk, holding the
    GIL the fetch and the extraction feed need). The pairs go in as one Arrow table instead."""
    from tasks import stories
    from warehouse.db import writer

    db = tmp_path / "akhbar.duckdb"
    with writer(db):
        pass
    model = stories.load_boilerplate(db)
    with _failed_import_searches() as searched:
        model.prepare([(f"outlet{o}", [f"سطر متكرر رقم {o} {i}" for i in range(2000)]) for o in range(10)])
    assert searched.count("pandas") < 100  # 40,000 when each hash is bound as a list value


def test_reading_a_runs_known_articles_does_not_bind_each_id(tmp_path):
    """A run asks which of its feed entries are stored (2,048 ids for the big web, more for a
    scheduled run over the whole catalog). Bound as a list parameter, each id cost two failing
    searches of sys.path for pandas (DuckDB's binding), holding the GIL before the page fetch
    starts; the ids go in as one Arrow table. Same answer: stored ids and aliases found."""
    from warehouse import queries
    from warehouse.db import writer

    db = tmp_path / "akhbar.duckdb"
    with writer(db) as con:
        con.execute("INSERT INTO articles (article_id, url, canonical_url, source_id, fetched_at, extraction_status, "
                    "fetch_outcome, fetch_attempts) VALUES ('id7', 'https://x.example/7', 'https://x.example/7', 'x', "
                    "now(), 'ok', 'ok', 1)")
        con.execute("INSERT INTO url_aliases VALUES ('alias9', 'https://x.example/amp/7', 'id7')")
    with _failed_import_searches() as searched:
        known = queries.known_articles(db, [f"id{i}" for i in range(2000)] + ["alias9"])
    assert searched.count("pandas") < 100  # ~4,000 when each id is bound as a list value
    assert {k: v["real_id"] for k, v in known.items()} == {"id7": "id7", "alias9": "id7"}


def test_a_settle_reading_its_earlier_signatures_does_not_bind_each_id(tmp_path):
    """A streamed run's last chunk reads back the signatures of its earlier chunks' articles (up
    to 5,000 ids). Bound as a list parameter, each id cost two failing searches of sys.path for
    pandas (10,002 for 5,000 ids, ~0.4 CPU-s holding the GIL); they go in as one Arrow table.
    Same answer: the stored signatures of the asked ids, and only those."""
    from warehouse import queries
    from warehouse.db import writer

    db = tmp_path / "akhbar.duckdb"
    with writer(db) as con:
        con.execute("INSERT INTO article_signatures (article_id, source_id, key_hash, minhash, version) "
                    "SELECT 'id' || i, 'x', 'k' || i, [i, i + 1], 8 FROM range(3) AS r(i)")
    with _failed_import_searches() as searched:
        rows = queries.signatures_of(db, [f"id{i}" for i in range(1, 5000)])
    assert searched.count("pandas") < 100  # ~10,000 when each id is bound as a list value
    assert sorted((r["article_id"], r["key_hash"], list(r["minhash"])) for r in rows) == [
        ("id1", "k1", [1, 2]), ("id2", "k2", [2, 3])]


def test_reading_the_stored_members_of_touched_clusters_does_not_bind_each_id(tmp_path):
    """A chunk (a settle: the whole run's) reads title, outlet and agency of stored articles in
    the clusters it touched; bound as a list parameter, each id cost two failing searches of
    sys.path for pandas. Same rows: the stored ones among the asked ids."""
    from warehouse import queries
    from warehouse.db import writer

    db = tmp_path / "akhbar.duckdb"
    with writer(db) as con:
        con.execute("INSERT INTO articles (article_id, url, canonical_url, source_id, fetched_at, extraction_status, "
                    "fetch_outcome, fetch_attempts, title, wire_agency) VALUES ('id7', 'https://x.example/7', "
                    "'https://x.example/7', 'x', now(), 'ok', 'ok', 1, 'عنوان', 'reuters')")
    with _failed_import_searches() as searched:
        rows = queries.member_articles(db, [f"id{i}" for i in range(3000)])
    assert searched.count("pandas") < 100  # ~6,000 when each id is bound as a list value
    assert [(r["article_id"], r["title"], r["source_id"], r["wire_agency"]) for r in rows] == [
        ("id7", "عنوان", "x", "reuters")]


def _stored_article(con, aid: str, source: str, published: str) -> None:
    con.execute("INSERT INTO articles (article_id, url, canonical_url, source_id, fetched_at, published_at, "
                "extraction_status, fetch_outcome, fetch_attempts, title) VALUES (?, ?, ?, ?, now(), ?, 'ok', 'ok', 1, "
                "'عنوان')", [aid, f"https://{source}.example/{aid}", f"https://{source}.example/{aid}", source,
                            datetime.fromisoformat(published)])


def test_a_reprocess_selects_and_reads_its_articles_without_binding_each_id(tmp_path):
    """A reprocess selects stored articles (by outlet: a catalog's worth of ids) and reads them
    back a batch at a time; bound as list parameters, each id cost two failing searches of
    sys.path for pandas. Same rows: the window's articles of those outlets, and the asked stored
    articles in id order with their first sighting's feed title."""
    from tasks.reprocess import select_article_ids, stored_rows
    from warehouse.db import writer

    db = tmp_path / "akhbar.duckdb"
    with writer(db) as con:
        for aid, source, published in (("b2", "x", "2026-03-02T10:00:00+00:00"), ("a1", "y", "2026-03-01T10:00:00+00:00"),
                                       ("c3", "x", "2026-03-05T10:00:00+00:00"), ("d4", "z", "2026-03-02T11:00:00+00:00")):
            _stored_article(con, aid, source, published)
        con.execute("INSERT INTO article_sightings (article_id, feed_url, source_id, feed_title, first_seen_at) VALUES "
                    "('b2', 'https://x.example/late', 'x', 'متأخر', '2026-03-02 12:00:00+00'), "
                    "('b2', 'https://x.example/rss', 'x', 'أول', '2026-03-02 11:00:00+00')")
    outlets = [f"outlet{i}" for i in range(2000)] + ["x", "y"]
    since, until = datetime(2026, 3, 1, 12), datetime(2026, 3, 5, 10, tzinfo=UTC)
    with _failed_import_searches() as searched:
        picked = select_article_ids(db, since=since, until=until, outlets=outlets)
        rows = stored_rows(db, [f"id{i}" for i in range(3000)] + ["c3", "b2", "a1"])
    assert searched.count("pandas") < 100  # 16,026 when each id is bound as a list value
    assert picked == ["b2"]  # (a1 before the window, c3 at its end, d4 another outlet's)
    assert select_article_ids(db) == ["a1", "b2", "c3", "d4"]
    assert select_article_ids(db, until=until) == ["a1", "b2", "d4"]
    assert [(r["article_id"], r["_feed_title"]) for r in rows] == [("a1", None), ("b2", "أول"), ("c3", None)]


def test_queueing_articles_for_the_search_index_does_not_bind_each_id(tmp_path):
    """A lake's incremental search file queues every article changed since its last snapshot
    (thousands after a run); bound as a list parameter, each id cost two failing searches of
    sys.path for pandas. Same rows: one queue row per id."""
    import duckdb

    from warehouse.search import enqueue

    con = duckdb.connect(str(tmp_path / "search.duckdb"))
    try:
        ids = [f"id{i}" for i in range(3000)]
        with _failed_import_searches() as searched:
            enqueue(con, ids)
        assert searched.count("pandas") < 100  # ~6,000 when each id is bound as a list value
        assert sorted(r[0] for r in con.execute("SELECT article_id FROM search_queue").fetchall()) == sorted(ids)
        assert con.execute("SELECT count(*) FROM search_queue WHERE queued_at IS NULL").fetchone() == (0,)
    finally:
        con.close()


def test_the_reports_cluster_copies_do_not_bind_each_cluster_id(tmp_path):
    """The daily report reads the copies of its biggest clusters; bound as a list parameter, each
    cluster id cost two failing searches of sys.path for pandas. Same rows: none for clusters
    that are not stored."""
    from warehouse.db import reader, writer
    from warehouse.report_data import cluster_copies

    db = tmp_path / "akhbar.duckdb"
    with writer(db):
        pass
    with reader(db) as con, _failed_import_searches() as searched:
        rows = cluster_copies(con, [f"c{i}" for i in range(3000)])
    assert searched.count("pandas") < 100  # ~6,000 when each id is bound as a list value
    assert rows == []


def _worker_processes() -> int:
    return max(0, forked_by_the_server() - 1)  # the fork server itself is one of them


def test_only_the_run_that_started_the_workers_releases_them(monkeypatch):
    """Two runs in one process (threads): the second finds the first's pool running and uses it;
    its last chunk must not stop workers the first may still be extracting with. The first
    run's release does stop them."""
    monkeypatch.setenv("AKHBAR_POOL_START", "forkserver")
    items = list(range(pool.MIN_ITEMS_FOR_POOL * 2))
    with pool.warm_workers(2, 10_000):
        pool.map_in_processes(_pid, items, workers=2, tick=False)
        assert _worker_processes() >= 1

        def other_run() -> None:  # a thread of its own: a context of its own, as another run has
            with pool.warm_workers(2, 10_000):
                pool.release_workers()

        t = threading.Thread(target=other_run)
        t.start()
        t.join()
        assert _worker_processes() >= 1
        assert os.getpid() not in set(pool.map_in_processes(_pid, items, workers=2, tick=False))
        pool.release_workers()
        assert _worker_processes() == 0
        assert set(pool.map_in_processes(_pid, items[:4], workers=2, tick=False)) == {os.getpid()}


def test_a_stream_whose_pool_is_stopped_under_it_finishes_in_process(monkeypatch):
    """Chunks already queued in a pool that is shut down come back cancelled: they are redone
    here, in order, and none is lost."""
    monkeypatch.setenv("AKHBAR_POOL_START", "forkserver")
    items = list(range(200))
    got = []
    with pool.warm_workers(2, 10_000):
        for i, r in enumerate(pool.stream_map(_square, items, workers=2, chunksize=4, window=8)):
            got.append(r)
            if i == 5:
                pool.release_workers()
    assert got == [x * x for x in items]


def test_a_search_sync_looks_up_its_articles_without_binding_each_id(tmp_path):
    """A load's search sync reads the texts of the articles it queued, 256 ids per lookup; bound
    as a list, each id cost two failing searches for pandas (0.3 s of a run's 2,048-article
    sync). The ids go in as one string split in SQL; every queued article is indexed."""
    from warehouse.db import writer
    from warehouse.search import sync_search_index

    db = tmp_path / "akhbar.duckdb"
    with writer(db) as con:
        sync_search_index(con)  # an index exists: the next sync is incremental
        con.execute("INSERT INTO articles (article_id, url, canonical_url, source_id, fetched_at, extraction_status, "
                    "title, text) SELECT 'a' || i, 'https://x.example/' || i, 'https://x.example/' || i, 'x', now(), "
                    "'ok', 'خبر رقم ' || i, 'أعلنت الحكومة اليوم خطة جديدة للمزارعين رقم ' || i FROM range(600) AS r(i)")
        con.execute("INSERT INTO search_queue SELECT article_id, now() FROM articles")
        with _failed_import_searches() as searched:
            stats = sync_search_index(con)
    assert stats["indexed"] == 600 and not stats["rebuilt"]
    assert searched.count("pandas") < 300  # 1,300 when the ids were bound as list values (2 per id)
