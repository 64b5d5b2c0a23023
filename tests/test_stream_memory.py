"""A long run's memory does not grow with the number of pages (issue 18, bench/RESULTS.md 'Stream
memory'): what grew was the search index built at the end of a backfill into a new warehouse (all
articles analysed 20,000 at a time, under a 2 GB DuckDB limit). Now the build analyses a bounded
step, and a run's loads (search sync included) run under the run's DuckDB memory limit."""

from __future__ import annotations

import duckdb
import pytest

from flows.settings import Settings
from warehouse import search, search_index
from warehouse.db import writer
from warehouse.load import StagingArea, load_pending


def _limit(con: duckdb.DuckDBPyConnection) -> float:
    return search._bytes(con.execute("SELECT current_setting('memory_limit')").fetchone()[0])


def test_a_full_search_build_analyses_a_bounded_step_whatever_the_number_of_articles(tmp_path, monkeypatch):
    from tests.analysis_fixture import build

    wh = build(tmp_path)
    n0 = len(wh.articles)
    steps: list[int] = []
    real = search_index.add_articles

    def counted(con, batch, stats=None, **kw):  # the real analysis, its batch sizes written down
        steps.append(batch.num_rows)
        return real(con, batch, stats, **kw)

    monkeypatch.setattr(search_index, "add_articles", counted)
    with writer(wh.db) as con:
        copies = -(-(search_index.CHUNK + 1) // n0)  # more articles than one step holds
        for i in range(1, copies + 1):
            con.execute(f"INSERT INTO articles SELECT * REPLACE (article_id || '-{i}' AS article_id, "
                        f"url || '#{i}' AS url) FROM articles WHERE NOT contains(article_id, '-')")
        n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert n > search_index.CHUNK
        stats = search.rebuild_search_index(con, full=True)
    assert stats["indexed"] == n == sum(steps)
    assert len(steps) >= 2 and max(steps) <= search_index.CHUNK <= 2_000


def test_a_runs_load_keeps_its_duckdb_memory_limit_through_the_search_build(tmp_path):
    db = tmp_path / "akhbar.duckdb"
    seen = []

    def after_commit(con):  # what the post-load search sync runs under
        seen.append(_limit(con))
        with search._memory_limit(con, search.BUILD_MEMORY_LIMIT):
            seen.append(_limit(con))
        seen.append(_limit(con))

    area = StagingArea(tmp_path / "staging")
    from warehouse.load import new_batch_id, stage_batch

    stage_batch(area, new_batch_id("run-mem"), {"sources": [dict(source_id="s1", name="s1")]})
    report = load_pending(db, area, after_commit=after_commit, memory_limit=Settings().duckdb_memory)
    assert report.loaded and not report.error
    # the build's 2 GB never raises a run's lower limit; by default a run's DuckDB keeps < 100 MB
    # (256MB took ~90 MB more at the peak of a 10,000-page ingest-warc: bench/RESULTS.md)
    assert seen and all(s <= 100e6 for s in seen)


def test_a_connection_without_a_lower_limit_still_builds_under_the_build_limit(tmp_path):
    with writer(tmp_path / "akhbar.duckdb") as con:
        with search._memory_limit(con, "300MB"):
            assert _limit(con) == pytest.approx(300e6, rel=0.05)
        assert _limit(con) > 300e6


def test_a_reader_in_one_stage_waits_for_the_load_of_another_in_the_same_process(tmp_path):
    # the stream reads the warehouse (stored ids, dedupe window) while another stage loads into it;
    # DuckDB refuses a read-only connection to a file this process has open for writing
    import threading
    import time

    from warehouse.db import reader

    db = tmp_path / "akhbar.duckdb"
    with writer(db):
        pass
    got = []

    def read():
        with reader(db, wait_s=30) as con:
            got.append(con.execute("SELECT count(*) FROM articles").fetchone()[0])

    with writer(db, memory_limit="200MB"):
        t = threading.Thread(target=read)
        t.start()
        time.sleep(0.5)
        assert not got  # still waiting for the writer
    t.join(timeout=30)
    assert got == [0]


def test_a_full_search_build_holds_no_reader_open_across_its_writes(tmp_path, monkeypatch):
    # A reader kept open through the build holds a snapshot: DuckDB keeps every version the build's
    # writes replace and cannot checkpoint until the end (a 1M-article rebuild under a run's 96MB
    # took 458 s that way, bench/RESULTS.md). Between two steps of the build the writer can checkpoint.
    from tests.analysis_fixture import build

    wh = build(tmp_path)
    checkpoints = []
    real = search_index.add_articles

    def then_checkpoint(con, batch, stats=None, **kw):  # the real analysis, then a checkpoint
        rows = real(con, batch, stats, **kw)
        con.execute("CHECKPOINT")
        checkpoints.append(batch.num_rows)
        return rows

    monkeypatch.setattr(search_index, "add_articles", then_checkpoint)
    monkeypatch.setattr(search_index, "CHUNK", 7)
    with writer(wh.db, memory_limit=Settings().duckdb_memory) as con:
        con.execute("DELETE FROM articles WHERE article_id IN (SELECT article_id FROM articles LIMIT 3)")
        n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        stats = search.rebuild_search_index(con, full=True)
    assert stats["indexed"] == n == sum(checkpoints)
    assert len(checkpoints) >= 3 and max(checkpoints) <= 7


def test_a_runs_own_process_does_not_import_the_extraction_libraries():
    """The pages are extracted in the worker processes, forked from a server that preloads
    tasks.extract (tasks/preload.py): the process of an `akhbar` command, a deployment run or
    `akhbar serve`, which imports the flow modules, does not carry trafilatura, lxml, py3langid
    and htmldate as well (~10 MB of RSS and ~95 modules). Fresh interpreter: nothing imported
    before."""
    import subprocess
    import sys
    import textwrap
    from pathlib import Path

    heavy = ["trafilatura", "lxml", "py3langid", "htmldate", "justext", "courlan", "tasks.extract"]
    script = textwrap.dedent(f"""
        import sys
        import flows.cli, flows.cli_backfill, flows.ingest, flows.backfill, flows.reprocess
        print(sorted(m for m in {heavy!r} if m in sys.modules))
    """)
    out = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parent.parent,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]"


def test_a_job_run_in_this_process_still_extracts_its_page():
    """The lazy import: a job that runs here (one worker, or a pool that fell back) extracts."""
    from tasks.articles import ExtractJob, run_job

    page = ("<html lang='ar'><head><title>خبر</title></head><body><article><h1>وزير الخارجية يلتقي نظيره</h1>"
            "<p>التقى وزير الخارجية اليوم نظيره في العاصمة لبحث العلاقات الثنائية وسبل تعزيزها في مختلف "
            "المجالات الاقتصادية والسياسية.</p><p>وقال الوزير في مؤتمر صحفي إن المحادثات تناولت عددا من "
            "القضايا الإقليمية والدولية ذات الاهتمام المشترك بين البلدين.</p></article></body></html>")
    ext = run_job(ExtractJob(html=page, url="https://example.com/news/1", feed_title=None, feed_summary=None,
                             feed_published=None, site_name=None))
    assert ext.status == "ok", ext.error
    assert "وزير الخارجية" in ext.text


def test_the_workers_fork_server_imports_what_workers_run_and_no_warehouse_library():
    """The fork server imports tasks.preload, then forks every extraction worker from it: it
    loads the workers' entry module (tasks.articles: run_job) and the signing module
    (tasks.stories), but not DuckDB and pyarrow, which only the run's own process uses to read and
    write the warehouse (in the server they held ~100 MB of RSS, and each worker got ~25 MB of
    their heap: a server and two workers 589 -> 453 MB RSS, 276 -> 190 MB PSS). Fresh interpreter."""
    import subprocess
    import sys
    import textwrap
    from pathlib import Path

    script = textwrap.dedent("""
        import sys
        import tasks.preload
        print(sorted(m for m in ("duckdb", "pyarrow", "tasks.articles", "tasks.stories", "tasks.extract")
                     if m in sys.modules))
    """)
    out = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parent.parent,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == str(["tasks.articles", "tasks.extract", "tasks.stories"])


def test_signing_in_a_worker_reports_a_failure_without_the_warehouse_modules(monkeypatch):
    """A signature that fails in a worker is reported with its one-line reason (error_line,
    imported from the warehouse's load module where the failure is handled)."""
    from tasks import stories

    def broken(items):
        raise ValueError("bad\ntext")

    monkeypatch.setattr(stories, "make_signatures", broken)
    [(sig, why)] = stories._signatures([("a1", "s1", None, "نص الخبر", "عنوان")])
    assert sig is None and why.startswith("signature failed (ValueError: bad")


def test_a_worker_that_reports_a_failure_still_holds_no_warehouse_library():
    """A worker's first attribution or signature that fails is reported in one line (error_line)
    without importing DuckDB and pyarrow: imported from the warehouse's load module there, they
    came into the worker for the rest of its life (~100 MB of RSS) on one page a defect fails."""
    import subprocess
    import sys
    import textwrap
    from pathlib import Path

    script = textwrap.dedent("""
        import sys
        from tasks import stories

        def broken(*args):
            raise ValueError("bad\\ntext")

        stories.attribute = broken
        stories.make_signatures = broken
        [(att, sig, why)] = stories._attribute_and_sign_group([("a1", "s1", None, "نص الخبر", "عنوان", True, ())])
        print(why.startswith("attribution failed (ValueError: bad text)"), sig is None,
              sorted(m for m in ("duckdb", "pyarrow") if m in sys.modules))
    """)
    out = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parent.parent,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "True True []"
