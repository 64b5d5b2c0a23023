"""A streamed run's story clusters do not depend on the order its pages arrive in or on where its
chunks end: chunks are placed as they come (provisionally), and the run's last chunk places the
run's articles again, all in publication order (tasks.stories.RunPlacement, cluster_signed's
`settle`), so the warehouse holds what one batch of the same pages gives: the same clusters,
canonical copies, measurements and reuse rows."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from flows.settings import Settings
from flows.streaming import ChunkLoader
from tasks import rows, stories
from tasks.models import Article, Extracted

FIX = Path(__file__).parent / "fixtures"
ROWS = [json.loads(line) for line in (FIX / "web/dev/gold.jsonl").read_text("utf-8").splitlines()]
QUERIES = (
    "SELECT article_id, cluster_id, is_canonical FROM articles",
    "SELECT article_id, cluster_id, is_canonical, similarity, containment, matched_paragraphs FROM cluster_members",
    "SELECT cluster_id, canonical_article_id, canonical_rule, n_articles, n_sources FROM story_clusters",
    "SELECT article_id, reused_article_id, shared_paragraphs, containment FROM article_reuse",
)


@pytest.fixture
def no_prefect_api():
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: None}):  # the file lock alone (no writer slot)
        yield


def _article(row: dict, published: datetime, text: str | None = None, path: str | None = None) -> Article:
    url = "https://" + (path or row["url_path"]).strip("/")
    aid = hashlib.sha256(url.encode()).hexdigest()[:16]
    return Article(article_id=aid, url=url, canonical_url=url, source_id=row["outlet_id"],
                   feed_url=f"https://{row['outlet_id']}.example/rss", fetched_at=published + timedelta(hours=1),
                   extraction=Extracted(status="ok", text=text or "\n\n".join(row["body_paragraphs"]),
                                        title=row["title"], language="ar", published_at=published))


def _web() -> list[Article]:
    """The dev web's 64 pages (wire copies of one story by several outlets at different times,
    rewrites, unrelated stories), and four unrelated stories of one desk an hour apart each
    closing on the same background paragraph (a wire story's), as outlets recycle a standing
    paragraph: it is a template (ignored by the matching) only for a pool holding >= 3 of them."""
    arts = [_article(r, datetime.fromisoformat(r["published"])) for r in ROWS]
    wire = next(r for r in ROWS if r["cluster_key"] == "wire:dev-e09-w" and r["perturbations"] == ["verbatim"])
    t0 = datetime.fromisoformat(wire["published"])
    others = sorted({r["event_id"]: r for r in ROWS if r["kind"] == "independent"}.values(),
                    key=lambda r: r["event_id"])[:4]
    arts += [_article(r, t0 + timedelta(hours=i), path=f"desk.example/{i}",
                      text="\n\n".join(r["body_paragraphs"][:2] + [wire["body_paragraphs"][3]]))
             for i, r in enumerate(others)]
    return arts


def _load_run(db: Path, run_id: str, chunks: list[list[Article]]) -> list[int]:
    """One streamed run of these chunks (the last one settles it), loaded into `db`; the run
    summary's wire copies and new clusters."""
    loader = ChunkLoader(db, run_id, Settings())
    run = stories.RunPlacement()
    counts = [0, 0]
    for k, chunk in enumerate(chunks):
        clustered = stories.cluster_articles(chunk, db, 72, unloaded=loader.unloaded, last=k == len(chunks) - 1,
                                             run=run)
        counts[0] += len(clustered.duplicate_ids) + clustered.duplicates_change
        counts[1] += clustered.new_clusters
        tables = dict(articles=[rows.article_row(a, loader.run_id, 1) for a in chunk], **clustered.tables)
        assert not loader.load(tables, clustered, chunk).error
    return counts


def _tables(db: Path, queries=QUERIES) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {q: sorted(con.execute(q).fetchall(), key=repr) for q in queries}
    finally:
        con.close()


def _run(db: Path, order: list[int], size: int, empty_last: bool = False) -> dict[str, list]:
    """The web's pages in this arrival order, deduped and loaded in chunks of `size` as one
    streamed run (a fresh warehouse); the run summary's counts and the warehouse's story tables."""
    web = _web()
    arts = [web[i] for i in order]
    chunks = [arts[i:i + size] for i in range(0, len(arts), size)] + ([[]] if empty_last else [])
    return {"counts": _load_run(db, "run-order", chunks), **_tables(db)}


N = len(ROWS) + 4
NEWEST_FIRST = sorted(range(N), key=lambda i: (_web()[i].extraction.published_at, i), reverse=True)
SHUFFLED = sorted(range(N), key=lambda i: hashlib.sha256(str(i).encode()).hexdigest())
# (published in order too: without the settle, chunks of two call the desk's recycled paragraph
# no template before its third holder arrives, and link the first stories over it)
IN_ORDER = sorted(range(N), key=lambda i: (_web()[i].extraction.published_at, _web()[i].article_id))


@pytest.fixture(scope="module")
def one_batch(tmp_path_factory) -> dict[str, list]:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: None}):
        want = _run(tmp_path_factory.mktemp("batch") / "batch.duckdb", list(range(N)), N)
    assert len([r for r in want[QUERIES[2]] if r[3] >= 2]) >= 8  # the dev web's wire stories
    assert want[QUERIES[3]] == []  # the recycled paragraph is a template: no reuse over it
    return want


@pytest.mark.parametrize(("order", "size"), [(NEWEST_FIRST, 9), (SHUFFLED, 6), (IN_ORDER, 2)],
                         ids=["newest-first-9", "shuffled-6", "published-order-2"])
def test_a_streamed_runs_clusters_are_one_batchs_whatever_the_arrival_order_and_chunk_size(
        order, size, one_batch, tmp_path, no_prefect_api):
    assert _run(tmp_path / "stream.duckdb", order, size) == one_batch


def test_an_empty_last_chunk_still_settles_the_run(one_batch, tmp_path, no_prefect_api):
    """A stream hands its last chunk over empty when the pages end on a chunk boundary: the
    run's articles are placed again all the same."""
    assert _run(tmp_path / "empty-last.duckdb", SHUFFLED, 34, empty_last=True) == one_batch


def test_a_run_over_the_limit_keeps_its_chunks_clusters_and_holds_no_ids(tmp_path, no_prefect_api):
    """The last step holds the run's signatures: a run of more articles than the limit (a large
    WARC backfill) stops keeping them once over it, and its last chunk places only its own."""
    db = tmp_path / "over.duckdb"
    web = _web()
    loader = ChunkLoader(db, "run-over", Settings())
    run = stories.RunPlacement(limit=4)
    assert stories.RunPlacement().limit == stories.SETTLE_MAX_ARTICLES
    chunks = [[web[i] for i in NEWEST_FIRST[k:k + 3]] for k in (0, 3)]
    for k, chunk in enumerate(chunks):
        clustered = stories.cluster_articles(chunk, db, 72, unloaded=loader.unloaded, last=k == 1, run=run)
        assert not loader.load(dict(articles=[rows.article_row(a, loader.run_id, 1) for a in chunk],
                                    **clustered.tables), clustered, chunk).error
        assert not run.over and len(run.clusters) == 3
    assert "reuse_withdrawn" in clustered.tables  # under the limit: settled
    run = stories.RunPlacement(limit=4)
    db = tmp_path / "over2.duckdb"
    loader = ChunkLoader(db, "run-over", Settings())
    chunks = [[web[i] for i in NEWEST_FIRST[k:k + 3]] for k in (0, 3, 6)]
    for k, chunk in enumerate(chunks):
        clustered = stories.cluster_articles(chunk, db, 72, unloaded=loader.unloaded, last=k == 2, run=run)
        assert not loader.load(dict(articles=[rows.article_row(a, loader.run_id, 1) for a in chunk],
                                    **clustered.tables), clustered, chunk).error
    assert run.over and not run.clusters
    assert "reuse_withdrawn" not in clustered.tables
    assert {r["article_id"] for r in clustered.tables["cluster_members"]} <= {a.article_id for a in web}


ORPHANS = ("SELECT m.article_id, m.cluster_id FROM cluster_members m "
           "LEFT JOIN story_clusters c USING (cluster_id) WHERE c.cluster_id IS NULL")
SIGNED_AT = "SELECT article_id, fetched_at FROM article_signatures"


def test_a_settled_run_keeps_its_articles_signature_fetch_times(one_batch, tmp_path, no_prefect_api):
    """The last chunk re-reads the earlier chunks' signatures to place them again; it must not
    store them again without their fetch time (the window of an undated article is its fetch
    time), nor rewrite thousands of unchanged rows."""
    web = _web()
    batch, stream = tmp_path / "batch.duckdb", tmp_path / "stream.duckdb"
    _load_run(batch, "run-b", [web])
    _load_run(stream, "run-s", [[web[i] for i in SHUFFLED[k:k + 17]] for k in range(0, N, 17)])
    want = _tables(batch, (SIGNED_AT,))
    assert all(at is not None for _, at in want[SIGNED_AT])
    assert _tables(stream, (SIGNED_AT,)) == want


@pytest.mark.parametrize("which", ["founder", "latest copy"])
def test_an_earlier_runs_article_stored_again_keeps_its_cluster_as_in_one_batch(which, tmp_path, no_prefect_api):
    """A page an earlier run stored (kept cut short, asked again) comes back with another text
    in a streamed run: as in one batch, the stored article keeps its story cluster (existing
    assignments stay fixed), and the settle neither places it again nor withdraws the cluster
    it founded, which the earlier run's copies still hold (no member of a deleted cluster)."""
    web = _web()
    dev = web[:len(ROWS)]
    copies = sorted((a for a, r in zip(dev, ROWS, strict=True) if r["cluster_key"] == "wire:dev-e11-w"),
                    key=lambda a: (a.extraction.published_at, a.article_id))
    founder = copies[0] if which == "founder" else copies[-1]  # (the latest: a wire copy, counted so)
    other = next(a for a, r in zip(dev, ROWS, strict=True) if r["cluster_key"] == "wire:dev-e13-w")
    again = _article(next(r for a, r in zip(dev, ROWS, strict=True) if a is founder),
                     founder.extraction.published_at, text=other.extraction.text)
    assert again.article_id == founder.article_id
    second = [again, *web[len(ROWS):]]
    got = {}
    for name, chunks in (("batch", [second]), ("stream", [second[k:k + 2] for k in range(0, len(second), 2)])):
        db = tmp_path / f"{name}.duckdb"
        _load_run(db, "run-1", [dev])
        counts = _load_run(db, "run-2", chunks)
        got[name] = {"counts": counts, **_tables(db, (*QUERIES, ORPHANS))}
        assert got[name][ORPHANS] == []
    assert got["stream"] == got["batch"]


@pytest.mark.parametrize("size", [1])
def test_a_second_runs_articles_join_the_first_runs_clusters_as_in_one_batch(size, tmp_path, no_prefect_api):
    """A run whose articles join (or, on a recycled paragraph seen by only some chunks, wrongly
    join) the clusters of the run before it: the earlier run's clusters they leave at the settle
    are measured again, none is left without a row, and the tables are one batch's."""
    web = _web()
    late = {}  # each wire story's latest copy (and the desk's stories) come in the second run
    for a, r in sorted(zip(web, ROWS, strict=False), key=lambda ar: (ar[0].extraction.published_at, ar[0].article_id)):
        if r["kind"] == "wire":
            late[r["cluster_key"]] = a
    second = sorted([*late.values(), *web[len(ROWS):]], key=lambda a: (a.extraction.published_at, a.article_id),
                    reverse=True)  # newest first, as feeds list them
    first = [a for a in web if a not in second]
    got = {}
    for name, chunks in (("batch", [second]), ("stream", [second[k:k + size] for k in range(0, len(second), size)])):
        db = tmp_path / f"{name}.duckdb"
        _load_run(db, "run-1", [first])
        counts = _load_run(db, "run-2", chunks)
        got[name] = {"counts": counts, **_tables(db, (*QUERIES, ORPHANS, SIGNED_AT))}
        assert got[name][ORPHANS] == []
    assert got["stream"] == got["batch"]


def test_copies_published_in_the_same_minute_settle_as_in_one_batch_whatever_came_first(tmp_path, no_prefect_api):
    """Outlets stamp a wire story to the minute, so its copies often share one publication time:
    the settle breaks such ties by a stable key (the article id), never by arrival, so the
    founder and canonical copy are one batch's when the copies arrive in either order."""
    keys = ("wire:dev-e13-w", "wire:dev-e05-w")
    picked = [(r, a) for r, a in zip(ROWS, _web(), strict=False) if r["cluster_key"] in keys]
    same = {k: min(datetime.fromisoformat(r["published"]) for r, _ in picked if r["cluster_key"] == k) for k in keys}
    arts = [_article(r, same[r["cluster_key"]]) for r, _ in picked]
    got = []
    for name, order in (("batch", sorted(arts, key=lambda a: a.article_id)),
                        ("up", sorted(arts, key=lambda a: a.article_id)),
                        ("down", sorted(arts, key=lambda a: a.article_id, reverse=True))):
        db = tmp_path / f"{name}.duckdb"
        counts = _load_run(db, "run-tie", [order] if name == "batch" else [[a] for a in order])
        got.append({"counts": counts, **_tables(db, (*QUERIES, ORPHANS))})
    assert len({r[1] for r in got[0][QUERIES[0]]}) == 2  # the two stories, one cluster each
    assert got[1] == got[0]
    assert got[2] == got[0]
