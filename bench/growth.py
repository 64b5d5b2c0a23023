"""Growth: what one scheduled run costs as the warehouse grows (issue 13).

    python -m bench.growth                          # 0, 100k and 1M articles; writes "Growth" in RESULTS.md
    python -m bench.growth --sizes 0,100000 --no-write
    python -m bench.growth --build-only --sizes 1000000

On the shared machine run it under the bench lock: `flock /work/coord/bench.lock python -m bench.growth`.

Warehouses. Each size is a year of synthetic-but-realistic Arabic news (dates up to the build
time, 200 outlets with 250 feeds polled every hour, wire stories carried by 2-6 outlets within
hours, the rest single copies; the real schedule polls every 15 minutes, which makes 4x the
`runs`/`feed_fetches` rows: 8.8M a year instead of 2.2M — left out because inserting random
keys into DuckDB's PRIMARY KEY index alone would take most of the build's time budget), written through the project's own path: rows staged by
`warehouse.load.stage_batch` in chunks of 50,000 articles and loaded by
`flows.loading.load_all_pending` (MERGE, post-load SQL, search-index sync). Texts are drawn
from the real Arabic vocabulary of the fixture web (Zipf-weighted, with clitic and suffix
forms); dedupe signatures are computed by `tasks.dedupe.make_signature` on a pool of 40,000
story bodies (copies of one story share its body, as verbatim wire copies do; a body recurs
only weeks apart, outside every dedupe window); outlet boilerplate goes through the real
`BoilerplateModel`. Built files are cached under `<tmp>/akhbar-growth/g<generator version>/` with the schema
version they were built at; a cached warehouse from an older schema (or search index) is first
brought up to date by the real upgrade path (migrations, search-index sync) so the measured run
does not pay that once-only cost; one older than 3 days is rebuilt (the views look at the last
24 hours).

Measurement, per size, on a fresh copy of the cached file: one real `akhbar ingest` (the CLI
entry point, in a child process) of the 64-page dev fixture web (tests/fixtures/web/dev)
served on loopback by a separate process. Reported: the process wall (Prefect's temporary
server included), the flow's wall, every stage's own time, peak RSS of the whole process tree
(the ingest process, its extraction workers and Prefect's server) sampled every 50 ms; then
`akhbar search` latency (in-process `warehouse.search.search`, and the CLI command's wall) and
the analysis views' latency (read-only connection, `SELECT * FROM view LIMIT 100`, and
`count(*)` over the whole view).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402

GEN_VERSION = 2
DEV_WEB = ROOT / "tests" / "fixtures" / "web" / "dev"
CHUNK = 50_000
CHUNK_DAYS = 30  # a chunk also ends after this many days (its runs' feed_fetches: 180k rows)
POOL = 40_000
N_OUTLETS = 200
FEEDS_PER_OUTLET = (1, 2)  # 1 or 2 feeds: 250 feeds in all
RUN_EVERY = timedelta(hours=1)  # the real schedule is every 15 min: 4x the feed_fetches rows (see the docstring)
WIRE_SHARE = 0.35  # share of articles that are copies of a wire story carried by 2-6 outlets
AGENCIES = ["reuters", "afp", "ap", "anadolu", "wam", "spa", "qna", "kuna", "mena", "dpa", "xinhua", "sana"]
COUNTRIES = ["EG", "SA", "AE", "QA", "KW", "BH", "OM", "JO", "LB", "SY", "IQ", "PS", "YE", "SD", "LY",
             "TN", "DZ", "MA"]
SEARCH_QUERIES = ["الأمم المتحدة", "وزير الخارجية", "أسعار النفط", "الحكومة", "اللاجئين", "الانتخابات"]
VIEWS = ["top_stories_24h", "daily_volume", "wire_share", "story_spread", "story_copies", "feed_health",
         "extraction_quality", "extraction_drift"]
MAX_AGE = timedelta(days=3)


def cache_root() -> Path:
    return Path(os.environ.get("AKHBAR_GROWTH_CACHE") or tempfile.gettempdir()) / "akhbar-growth" / f"g{GEN_VERSION}"


def schema_version() -> int:
    from warehouse.migrate import available_migrations

    return max(v for v, _name, _sql in available_migrations())


def bring_up_to_date(db: Path, meta: dict) -> None:
    """A cached warehouse built by an older schema or search index goes through the real upgrade
    path once (migrations, then the search-index sync), so the measured run does not pay it."""
    from warehouse.db import writer
    from warehouse.search import sync_search_index

    t = time.perf_counter()
    with writer(db) as con:  # applies pending migrations
        done = sync_search_index(con)
    meta["schema"] = schema_version()
    meta.setdefault("upgrades", []).append({"at": datetime.now(UTC).isoformat(), "schema": meta["schema"],
                                            "seconds": round(time.perf_counter() - t, 1),
                                            "search": {k: done.get(k) for k in ("added", "rebuilt")}})


# --------------------------------------------------------------------------------- synthetic text


def vocabulary() -> tuple[list[str], np.ndarray]:
    """Words of the fixture web's gold bodies plus clitic/suffix forms, with Zipf weights."""
    import regex

    words: dict[str, int] = {}
    for line in (DEV_WEB / "gold.jsonl").read_text("utf-8").splitlines():
        for p in json.loads(line)["body_paragraphs"]:
            for w in p.split():
                words[w] = words.get(w, 0) + 1
    base = sorted(words, key=lambda w: (-words[w], w))
    arabic = regex.compile(r"^\p{Arabic}{3,}$")
    forms = list(base)
    seen = set(forms)
    for prefix in ("و", "ب", "ل", "ف", "وال", "بال"):
        for w in base:
            if arabic.match(w) and not w.startswith("ال"):
                f = prefix + w
                if f not in seen:
                    seen.add(f)
                    forms.append(f)
    for suffix in ("ها", "هم", "ات", "ين", "ون"):
        for w in base[:3000]:
            if arabic.match(w):
                f = w + suffix
                if f not in seen:
                    seen.add(f)
                    forms.append(f)
    ranks = np.arange(1, len(forms) + 1, dtype=np.float64)
    p = ranks ** -1.07
    return forms, p / p.sum()


@dataclass
class Pool:
    titles: list[str]
    texts: list[str]
    words: np.ndarray  # word count per story
    line_hashes: list[list[str]]  # boilerplate-model hashes of each body line
    sigs: pa.Table  # article_signatures columns that depend on the text only
    content_hash: list[str]


def build_pool(n: int, seed: int = 7) -> Pool:
    """n story bodies (4-10 paragraphs, ~330 words) with their real dedupe signatures."""
    from tasks.articles import content_hash
    from tasks.boilerplate import BoilerplateModel
    from tasks.dedupe import make_signature

    forms, p = vocabulary()
    rng = np.random.default_rng(seed)
    n_paras = rng.integers(4, 11, size=n)
    cdf = np.cumsum(p)
    titles, texts, words, hashes, rows, chash = [], [], [], [], [], []
    model = BoilerplateModel()
    for k in range(n):
        lens = np.maximum(8, rng.lognormal(3.45, 0.45, size=n_paras[k]).astype(int))
        idx = np.minimum(np.searchsorted(cdf, rng.random(int(lens.sum()) + 10)), len(forms) - 1)
        paras, at = [], 10
        for ln in lens:
            ws = [forms[i] for i in idx[at:at + ln]]
            at += ln
            ws.insert(int(rng.integers(3, max(4, ln - 2))), "،")
            paras.append(" ".join(ws).replace(" ،", "،") + ".")
        text = "\n".join(paras)
        titles.append(" ".join(forms[i] for i in idx[:10]))
        texts.append(text)
        words.append(int(lens.sum()))
        hashes.append(sorted(model.hashes(paras)))
        chash.append(content_hash(text))
        rows.append(make_signature(f"pool{k}", "pool", None, text).to_row())
    keep = ["key_hash", "n_tokens", "para_hashes", "para_exact", "para_offsets", "shingles", "lead", "minhash",
            "version"]
    sigs = pa.Table.from_pylist([{c: r[c] for c in keep} for r in rows])
    return Pool(titles, texts, np.array(words), hashes, sigs, chash)


def load_pool(cache: Path) -> Pool:
    path = cache.parent / f"pool-g{GEN_VERSION}-{POOL}.parquet"
    import pyarrow.parquet as pq

    if path.exists():
        t = pq.read_table(path)
        sig_cols = [c for c in t.column_names if c.startswith("sig_")]
        sigs = t.select(sig_cols).rename_columns([c[4:] for c in sig_cols])
        return Pool(t["title"].to_pylist(), t["text"].to_pylist(), t["words"].to_numpy(),
                    t["line_hashes"].to_pylist(), sigs, t["content_hash"].to_pylist())
    started = time.perf_counter()
    pool = build_pool(POOL)
    t = pa.table({"title": pool.titles, "text": pool.texts, "words": pool.words, "line_hashes": pool.line_hashes,
                  "content_hash": pool.content_hash,
                  **{f"sig_{c}": pool.sigs[c] for c in pool.sigs.column_names}})
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(t, path.with_suffix(".tmp"))
    os.replace(path.with_suffix(".tmp"), path)
    print(f"story pool: {POOL} bodies and signatures in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    return pool


# --------------------------------------------------------------------------------- warehouse rows


@dataclass
class Outlet:
    source_id: str
    name: str
    country: str
    feeds: list[str]
    templates: list[str]


def outlets() -> list[Outlet]:
    from tasks.boilerplate import BoilerplateModel

    rng = np.random.default_rng(3)
    out = []
    for i in range(N_OUTLETS):
        sid = f"outlet{i:03d}"
        host = f"https://{sid}.example"
        feeds = [f"{host}/rss/latest.xml"] + ([f"{host}/rss/world.xml"] if i % 4 == 0 else [])
        name = f"صحيفة المنفذ {i}"
        templates = [f"تابعوا {name} على تويتر وفيسبوك", f"جميع الحقوق محفوظة © {name}"]
        if rng.random() < 0.5:
            templates.append("اقرأ أيضاً: آخر الأخبار العاجلة")
        out.append(Outlet(sid, name, COUNTRIES[i % len(COUNTRIES)], feeds,
                          sorted(BoilerplateModel().hashes(templates))))
    return out


def events(n: int, end: datetime, seed: int = 11) -> list[tuple[float, list[tuple[int, float]]]]:
    """Stories in time order: (first-copy time, [(outlet index, lag hours), ...]), n copies in all."""
    rng = np.random.default_rng(seed)
    span = 365 * 24.0
    out = []
    total = 0
    while total < n:
        if rng.random() < WIRE_SHARE / (WIRE_SHARE + (1 - WIRE_SHARE) * 3.5):
            k = int(min(6, 2 + rng.poisson(1.5)))
        else:
            k = 1
        k = min(k, n - total)
        who = rng.choice(N_OUTLETS, size=k, replace=False)
        lags = np.concatenate([[0.0], np.minimum(rng.exponential(1.5, size=k - 1), 20.0)])
        out.append((float(rng.random()), [(int(o), float(g)) for o, g in zip(who, lags, strict=True)]))
        total += k
    out.sort(key=lambda e: e[0])
    return [(end.timestamp() - span * 3600 * (1 - u), copies) for u, copies in out]


def chunk_tables(first: bool, evs: list, story0: int, pool: Pool, outs: list[Outlet], model, end: datetime,
                 t_from: float, t_to: float) -> dict:
    """The staged tables of one chunk of events (and of the runs between t_from and t_to)."""
    from tasks import stories
    from tasks.models import stable_id

    now = datetime.fromtimestamp(t_to, UTC)
    rng = np.random.default_rng(int(t_from) % (2**31))
    arts, members, clusters, sightings, aliases, reuse, sig_idx, sig_meta = [], [], [], [], [], [], [], []
    for j, (t0, copies) in enumerate(evs):
        k = (story0 + j) % POOL
        agency = AGENCIES[k % len(AGENCIES)] if len(copies) > 1 else None
        cid = None
        times = []
        for rank, (o, lag) in enumerate(copies):
            out = outs[o]
            pub = datetime.fromtimestamp(min(t0 + lag * 3600, end.timestamp() - 60), UTC)
            fetched = min(pub + timedelta(minutes=5 + (k * 7 + rank) % 25), end)
            url = f"https://{out.source_id}.example/news/{k}-{j}-{rank}.html"
            aid = stable_id(url)
            cid = cid or aid
            times.append(pub)
            title = pool.titles[k] if rank == 0 else f"{pool.titles[k]} ({out.name})"
            text = (f"القاهرة - {agency}\n" if agency else "") + pool.texts[k]
            run_id = f"ingest-{int(fetched.timestamp()) // 900}"
            arts.append(dict(
                article_id=aid, url=url + "?utm_source=rss", canonical_url=url, source_id=out.source_id,
                feed_url=out.feeds[0], title=title, author=None if k % 3 else "مراسلنا", published_at=pub,
                fetched_at=fetched, language="ar", text=text, word_count=int(pool.words[k]),
                image=f"https://{out.source_id}.example/img/{k}.jpg", section="أخبار", categories=["سياسة"],
                extraction_status="ok" if k % 50 else "fallback_summary", extraction_error=None,
                extractor_version="akhbar-extract/2", http_status=200, fetch_outcome="ok", fetch_error=None,
                fetch_attempts=1, content_hash=pool.content_hash[k], warc_file=f"{run_id}.warc.gz",
                warc_offset=int(k * 9000 + rank), cluster_id=cid, is_canonical=rank == 0, wire_agency=agency,
                agency_evidence=f"القاهرة - {agency}" if agency else None, run_id=run_id,
                published_at_source="jsonld"))
            sightings.append(dict(article_id=aid, feed_url=out.feeds[0], source_id=out.source_id, raw_link=url,
                                  guid=url, feed_title=title, feed_published_at=pub, first_seen_at=fetched,
                                  run_id=run_id))
            if len(out.feeds) > 1 and k % 3 == 0:
                sightings.append(dict(sightings[-1], feed_url=out.feeds[1]))
            if k % 20 == 0:
                aliases.append(dict(alias_id=stable_id(url + "/amp"), alias_url=url.replace(".html", "/amp"),
                                    article_id=aid))
            members.append(dict(article_id=aid, cluster_id=cid, source_id=out.source_id, is_canonical=rank == 0,
                                similarity=1.0 if rank == 0 else 0.93, containment=1.0 if rank == 0 else 0.97,
                                matched_paragraphs=len(pool.line_hashes[k]), joined_at=fetched))
            sig_idx.append(k)
            sig_meta.append((aid, out.source_id, pub, fetched))
            model.observe_hashes(out.source_id, set(pool.line_hashes[k]) | set(out.templates))
        clusters.append(dict(cluster_id=cid, canonical_article_id=cid, canonical_rule="most_complete", agency=agency,
                             agency_evidence=f"القاهرة - {agency}" if agency else None, title=pool.titles[k],
                             first_seen_at=min(times), last_seen_at=max(times), n_articles=len(copies),
                             n_sources=len(copies), updated_at=now))
        if k % 97 == 0 and len(arts) > 1:
            reuse.append(dict(article_id=arts[-1]["article_id"], reused_article_id=arts[-2]["article_id"],
                              shared_paragraphs=1, containment=0.2, shared_shingles=30, found_at=now))
    sigs = pool.sigs.take(pa.array(sig_idx, type=pa.int64()))
    sigs = sigs.append_column("article_id", pa.array([m[0] for m in sig_meta]))
    sigs = sigs.append_column("source_id", pa.array([m[1] for m in sig_meta]))
    sigs = sigs.append_column("published_at", pa.array([m[2] for m in sig_meta], pa.timestamp("us", "UTC")))
    sigs = sigs.append_column("fetched_at", pa.array([m[3] for m in sig_meta], pa.timestamp("us", "UTC")))

    tables = dict(articles=arts, article_signatures=sigs, cluster_members=members, story_clusters=clusters,
                  article_sightings=sightings, url_aliases=aliases, article_reuse=reuse)
    tables.update(_runs(outs, t_from, t_to, rng))
    tables.update(stories.boilerplate_tables(model))
    if first:
        tables.update(_catalog(outs, end))
    return tables


def _catalog(outs: list[Outlet], end: datetime) -> dict:
    from tasks.models import stable_id

    sources = [dict(source_id=o.source_id, name=o.name, country=o.country, region="pan_arab", language="ar",
                    updated_at=end) for o in outs]
    feeds = [dict(feed_id=stable_id(u), url=u, source_id=o.source_id, section="latest", origin="synthetic",
                  etag=f'"{stable_id(u)}"', last_modified=None, body_hash=stable_id(u + "body"), final_url=u,
                  last_attempt_at=end, last_success_at=end, last_new_at=end, last_outcome="ok", last_status=200,
                  last_error=None, consecutive_failures=0, failure_score=0.0, next_fetch_at=end + RUN_EVERY,
                  disabled=False, disabled_reason=None) for o in outs for u in o.feeds]
    return dict(sources=sources, feeds=feeds)


def _runs(outs: list[Outlet], t_from: float, t_to: float, rng) -> dict:
    """One scheduled run every 15 minutes, each fetching every feed: runs, feed_fetches, run_errors."""
    from tasks.models import stable_id

    feeds = [(stable_id(u), u) for o in outs for u in o.feeds]
    step = RUN_EVERY.total_seconds()
    starts = np.arange(np.ceil(t_from / step) * step, t_to, step)
    runs, errors = [], []
    fetch_id, run_col, feed_col, url_col, at_col, outcome, status, elapsed, entries = ([] for _ in range(9))
    for t in starts:
        at = datetime.fromtimestamp(float(t), UTC)
        run_id = f"ingest-{int(t) // 900}"
        runs.append(dict(run_id=run_id, flow_run_id=None, kind="ingest", started_at=at,
                         finished_at=at + timedelta(seconds=40), status="completed", parameters="{}",
                         feeds_total=len(feeds), feeds_ok=len(feeds) - 5, feeds_failed=5, entries_seen=len(feeds) * 20,
                         new_articles=30, pages_fetched=30, extracted_ok=29, duplicates=8, errors=5,
                         summary_md="## ingest\n" + "| outlet | new |\n" * 40))
        bad = set(rng.choice(len(feeds), size=5, replace=False).tolist())
        for i, (fid, url) in enumerate(feeds):
            fetch_id.append(stable_id(f"{run_id}|{fid}"))
            run_col.append(run_id)
            feed_col.append(fid)
            url_col.append(url)
            at_col.append(at)
            outcome.append("timeout" if i in bad else ("not_modified" if i % 3 else "ok"))
            status.append(None if i in bad else (304 if i % 3 else 200))
            elapsed.append(int(50 + (i * 37) % 900))
            entries.append(0 if i % 3 else 20)
            if i in bad:
                errors.append(dict(error_id=stable_id(f"{run_id}|feed|{url}"), run_id=run_id, stage="feed",
                                   feed_url=url, url=url, outcome="timeout", error="read timeout after 20s",
                                   occurred_at=at))
    fetches = pa.table({"fetch_id": fetch_id, "run_id": run_col, "feed_id": feed_col, "url": url_col,
                        "final_url": url_col, "attempted_at": pa.array(at_col, pa.timestamp("us", "UTC")),
                        "outcome": outcome, "http_status": pa.array(status, pa.int32()),
                        "elapsed_ms": pa.array(elapsed, pa.int32()), "attempts": pa.array([1] * len(fetch_id), pa.int32()),
                        "entries": pa.array(entries, pa.int32()), "new_entries": pa.array(entries, pa.int32())})
    return dict(runs=runs, feed_fetches=fetches, run_errors=errors)


def build(size: int, root: Path) -> dict:
    """The cached warehouse of `size` articles (built through stage_batch + load_all_pending)."""
    target = root / f"n{size}"
    meta_path = target / "meta.json"
    if meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if datetime.now(UTC) - datetime.fromisoformat(meta["end"]) < MAX_AGE:
            if size:
                bring_up_to_date(target / "akhbar.duckdb", meta)
                meta_path.write_text(json.dumps(meta, indent=1))
            return meta
        print(f"cached {size:,} warehouse is older than {MAX_AGE.days} days: rebuilding", file=sys.stderr)
    shutil.rmtree(target, ignore_errors=True)
    work = root / f".n{size}.building"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    db = work / "akhbar.duckdb"
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    meta = {"size": size, "end": end.isoformat(), "built_at": datetime.now(UTC).isoformat(), "gen": GEN_VERSION,
            "schema": schema_version()}
    started = time.perf_counter()
    peak = PeakRss(os.getpid())
    if size:
        from flows.loading import load_all_pending, staging_area
        from flows.settings import Settings
        from tasks.boilerplate import BoilerplateModel
        from warehouse.load import stage_batch

        settings = Settings(publish_snapshot=False)
        pool = load_pool(root)
        outs = outlets()
        evs = events(size, end)
        model = BoilerplateModel()
        area = staging_area(db)
        i, n_chunk, t_from = 0, 0, end.timestamp() - 365 * 24 * 3600
        while i < len(evs):
            j, count = i, 0
            limit = t_from + CHUNK_DAYS * 24 * 3600
            while j < len(evs) and count < CHUNK and evs[j][0] < limit:
                count += len(evs[j][1])
                j += 1
            t_to = min(evs[j][0], limit) if j < len(evs) else end.timestamp()
            t = time.perf_counter()
            tables = chunk_tables(n_chunk == 0, evs[i:j], i, pool, outs, model, end, t_from, t_to)
            stage_batch(area, f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-growth{n_chunk:03d}", tables)
            t_gen = time.perf_counter() - t
            report = load_all_pending(db, settings)
            if report.error:
                raise RuntimeError(report.error)
            print(f"  chunk {n_chunk}: {j:,} events, {count:,} articles; generate+stage {t_gen:.1f}s, "
                  f"load {time.perf_counter() - t - t_gen:.1f}s", file=sys.stderr, flush=True)
            i, t_from, n_chunk = j, t_to, n_chunk + 1
    meta["build_s"] = round(time.perf_counter() - started, 1)
    meta["build_peak_rss_mb"] = round(peak.stop() / 2**20)
    if db.exists():
        import duckdb

        con = duckdb.connect(str(db))
        con.execute("CHECKPOINT")
        meta["rows"] = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in  # noqa: S608
                        ("articles", "article_signatures", "story_clusters", "cluster_members", "feed_fetches",
                         "runs", "boilerplate_lines")}
        con.close()
        meta["file_mb"] = round(db.stat().st_size / 2**20)
    meta_path_tmp = work / "meta.json"
    meta_path_tmp.write_text(json.dumps(meta, indent=1))
    os.rename(work, target)
    return meta


# --------------------------------------------------------------------------------- measurement


class PeakRss:
    """Peak summed RSS of a process and all its descendants, sampled every 50 ms."""

    def __init__(self, pid: int):
        import psutil

        self.proc = psutil.Process(pid)
        self.peak = 0
        self.peak_no_server = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            total = no_server = 0
            try:
                procs = [self.proc, *self.proc.children(recursive=True)]
            except psutil.Error:
                procs = []
            for p in procs:
                try:
                    rss = p.memory_info().rss
                    total += rss
                    if "uvicorn" not in " ".join(p.cmdline()) and "prefect.server" not in " ".join(p.cmdline()):
                        no_server += rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self.peak_no_server = max(self.peak_no_server, no_server)
            self._stop.wait(0.05)

    def stop(self) -> int:
        self._stop.set()
        self._t.join()
        return self.peak


# Functions timed inside the ingest child, besides every Prefect task of flows.ingest.
INNER = [
    ("flows.loading", "load_pending", "load: load_pending (writer open, merges, post-load, close)"),
    ("warehouse.load", "_run_postload", "load: post-load SQL"),
    ("warehouse.load", "_touched_clusters", "load: touched clusters"),
    ("flows.loading", "rebuild_search_index", "load: search-index sync"),
    ("flows.loading", "publish_snapshot", "load: snapshot"),
    ("tasks.stories", "_existing", "dedupe: window read"),
    ("warehouse.queries", "boilerplate_counts", "extract: boilerplate read"),
]


def ingest_child(catalog: str, db: str, out: str) -> None:
    """Child process: the real `akhbar ingest` CLI with every stage timed."""
    import functools
    import importlib

    import psutil
    from prefect import Task

    import flows.ingest as fi
    from bench.pipeline import StageClock

    # Which stage is running, for a sampler thread that keeps each stage's peak RSS: the flow
    # process itself ("main") and the whole tree under it (extraction workers, Prefect's server).
    current = ["start"]
    stage_rss: dict[str, dict[str, float]] = {}

    def labelled(label, fn):
        @functools.wraps(fn)
        def inner_fn(*a, **k):
            outer, current[0] = current[0], label
            try:
                return fn(*a, **k)
            finally:
                current[0] = outer
        return inner_fn

    for obj in vars(fi).values():
        if isinstance(obj, Task):
            obj.fn = labelled(obj.name, obj.fn)
    stop = threading.Event()

    def sample() -> None:
        me = psutil.Process()
        while not stop.is_set():
            try:
                main = me.memory_info().rss
                tree = main + sum(c.memory_info().rss for c in me.children(recursive=True))
            except psutil.Error:
                continue
            peak = stage_rss.setdefault(current[0], {"main_mb": 0.0, "tree_mb": 0.0})
            peak["main_mb"] = max(peak["main_mb"], main / 2**20)
            peak["tree_mb"] = max(peak["tree_mb"], tree / 2**20)
            stop.wait(0.02)
    threading.Thread(target=sample, daemon=True).start()

    clock = StageClock()
    clock.install()
    inner: dict[str, float] = {}
    for mod, name, label in INNER:
        m = importlib.import_module(mod)
        fn = getattr(m, name, None)
        if fn is None:  # renamed by a later change: that line of the table stays empty
            continue

        def timed(*a, _fn=fn, _label=label, **k):
            t = time.perf_counter()
            try:
                return _fn(*a, **k)
            finally:
                inner[_label] = inner.get(_label, 0.0) + time.perf_counter() - t
        setattr(m, name, functools.wraps(fn)(labelled(label, timed)))
    import warehouse.load as wl

    real_merge = wl._merge

    def merge_timed(con, table, *a, **k):
        t = time.perf_counter()
        try:
            return real_merge(con, table, *a, **k)
        finally:
            label = f"load: merge {table}"
            inner[label] = inner.get(label, 0.0) + time.perf_counter() - t
    wl._merge = merge_timed
    from flows import cli

    sys.argv = ["akhbar", "ingest", "--catalog", catalog, "--db", db, "--allow-private-networks"]
    t = time.perf_counter()
    code = 0
    try:
        cli.main()
    except SystemExit as exc:
        code = exc.code or 0
    wall = time.perf_counter() - t
    stop.set()
    snap = clock.snapshot(wall)
    Path(out).write_text(json.dumps({"exit": code, "flow_body_s": snap["flow_body"], "stage_own": snap["stage_own"],
                                     "stage_call": snap["stage_call"], "inner": inner, "cli_wall_s": wall,
                                     "stage_rss": stage_rss}, default=str))


def child_env(home: Path) -> dict:
    env = dict(os.environ)
    env.update(PREFECT_HOME=str(home / "prefect"), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1",
               PREFECT_LOGGING_LEVEL="WARNING", AKHBAR_HOST_INTERVAL_S="0", AKHBAR_HOST_CONCURRENCY="8",
               AKHBAR_EXTRACT_WORKERS=env.get("AKHBAR_EXTRACT_WORKERS", "2"), PYTHONPATH=str(ROOT))
    env.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")  # a loaded machine starts it slowly
    env.pop("PREFECT_API_URL", None)
    return env


def measure(size: int, meta: dict, root: Path, keep: bool) -> dict:
    from bench.pipeline import RemoteWeb

    work = root / "run" / f"n{size}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    db = work / "akhbar.duckdb"
    from warehouse.snapshot import publish_snapshot, snapshot_path

    if size:
        cached = root / f"n{size}" / "akhbar.duckdb"
        t = time.perf_counter()
        shutil.copyfile(cached, db)
        print(f"  copied the {size:,} warehouse in {time.perf_counter() - t:.0f}s", file=sys.stderr)
        # Steady state: a snapshot published just before this run (the cached file has the same
        # content as the copy; a hard link costs no disk, and publishing replaces it by rename).
        os.link(cached, snapshot_path(db))
        os.utime(snapshot_path(db))
    site = RemoteWeb(DEV_WEB)
    res: dict = {"size": size, "file_mb_before": round(db.stat().st_size / 2**20) if db.exists() else 0}
    try:
        catalog = site.write_catalog(work / "catalog.toml")
        out = work / "ingest.json"
        env = child_env(work)
        t = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "bench.growth", "_ingest", str(catalog), str(db), str(out)],
                                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        rss = PeakRss(proc.pid)
        _, err = proc.communicate()
        res["process_wall_s"] = time.perf_counter() - t
        peak = rss.stop()
        res["peak_rss_mb"] = peak / 2**20
        res["peak_rss_no_server_mb"] = rss.peak_no_server / 2**20
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(f"ingest child failed ({proc.returncode}): {err[-3000:]}")
        res.update(json.loads(out.read_text()))
        res["pages_served"] = site.counts()["page_200"]
    finally:
        site.stop()
    res["file_mb_after"] = round(db.stat().st_size / 2**20)
    res["snapshot_published_by_run"] = bool(size) and not os.path.samefile(snapshot_path(db), root / f"n{size}" / "akhbar.duckdb")
    # What one publish costs at this size (the run above did not pay it unless it says so).
    if shutil.disk_usage(work).free > 1.5 * db.stat().st_size:
        t = time.perf_counter()
        publish_snapshot(db)
        res["snapshot_publish_s"] = time.perf_counter() - t
    res["search"] = search_latency(db, work)
    res["views"] = view_latency(db)
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    res["articles_after"] = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    res["new_articles"] = con.execute("SELECT count(*) FROM articles WHERE source_id NOT LIKE 'outlet%'").fetchone()[0]
    con.close()
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return res


def search_latency(db: Path, work: Path) -> dict:
    from warehouse.search import search

    first = time.perf_counter()
    search(db, SEARCH_QUERIES[0])
    cold = time.perf_counter() - first
    times, hits = [], []
    for _ in range(3):
        for q in SEARCH_QUERIES:
            t = time.perf_counter()
            found = search(db, q)
            times.append(time.perf_counter() - t)
            hits.append(len(found))
    cli = []
    akhbar = Path(sys.executable).with_name("akhbar")
    for q in SEARCH_QUERIES[:3]:
        t = time.perf_counter()
        subprocess.run([str(akhbar), "search", q, "--db", str(db)], check=True, capture_output=True,
                       env=child_env(work))
        cli.append(time.perf_counter() - t)
    return {"cold_s": cold, "median_s": statistics.median(times), "max_s": max(times), "hits_min": min(hits),
            "cli_median_s": statistics.median(cli)}


def view_latency(db: Path) -> dict:
    import duckdb

    out = {}
    con = duckdb.connect(str(db), read_only=True)
    try:
        for v in VIEWS:
            limit, count = [], []
            for _ in range(3):
                t = time.perf_counter()
                con.execute(f"SELECT * FROM {v} LIMIT 100").fetchall()  # noqa: S608 (our own view names)
                limit.append(time.perf_counter() - t)
                t = time.perf_counter()
                n = con.execute(f"SELECT count(*) FROM {v}").fetchone()[0]  # noqa: S608
                count.append(time.perf_counter() - t)
            out[v] = {"limit100_s": statistics.median(limit), "count_s": statistics.median(count), "rows": n}
    finally:
        con.close()
    return out


# --------------------------------------------------------------------------------- report


def _met(ok: bool) -> str:
    return "goal met" if ok else "goal NOT met"


def render(results: list[dict], metas: dict, argv: list[str]) -> str:
    base = next((r for r in results if r["size"] == 0), None)
    lines = ["## Growth: one run's cost as the warehouse grows (bench/growth.py)", "",
             f"Command: `{' '.join(['python -m bench.growth', *argv])}` (on the shared machine, under "
             "`flock /work/coord/bench.lock`). One real `akhbar ingest` of the 64-page dev fixture web "
             "(tests/fixtures/web/dev on loopback) into a copy of a warehouse pre-filled with a year of synthetic "
             "Arabic news (200 outlets, 250 feeds polled hourly, wire stories on 2-6 outlets) built through "
             "stage_batch + load_all_pending. Peak RSS: the whole process tree (ingest, extraction workers, "
             "Prefect's temporary server), sampled every 50 ms. The machine is shared by several developers "
             "(2 cores): ratios measured in one invocation mean more than absolute times.", "",
             "| existing articles | run wall (process) | flow wall | peak RSS (tree) | warehouse file | "
             "`akhbar search` (median / cold) | `top_stories_24h` |",
             "|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(
            f"| {r['size']:,} | {r['process_wall_s']:.1f} s | {r['flow_body_s']:.1f} s | {r['peak_rss_mb']:.0f} MB | "
            f"{r['file_mb_after']:,} MB | {r['search']['median_s']:.3f} / {r['search']['cold_s']:.3f} s | "
            f"{r['views']['top_stories_24h']['limit100_s']:.3f} s |")
    if base:
        lines += ["", "Ratios to the empty warehouse (goals, set for 1M: run ≤ 1.3×, peak RSS ≤ 1.2×):", ""]
        for r in results:
            if r["size"]:
                run, rss = r["process_wall_s"] / base["process_wall_s"], r["peak_rss_mb"] / base["peak_rss_mb"]
                lines.append(f"* {r['size']:,}: run {run:.2f}× ({_met(run <= 1.3)}; flow "
                             f"{r['flow_body_s'] / base['flow_body_s']:.2f}×), peak RSS {rss:.2f}× ({_met(rss <= 1.2)})")
    big = max(results, key=lambda r: r["size"])
    lines += ["", f"Latency goals (≤ 0.5 s; the issue sets them at 1M) at {big['size']:,} articles: search median "
              f"{big['search']['median_s']:.3f} s ({_met(big['search']['median_s'] <= 0.5)}), max "
              f"{big['search']['max_s']:.3f} s; `top_stories_24h` {big['views']['top_stories_24h']['limit100_s']:.3f} s "
              f"({_met(big['views']['top_stories_24h']['limit100_s'] <= 0.5)})."]
    stages = sorted({k for r in results for k in r["stage_own"]} | {k for r in results for k in r["inner"]})
    lines += ["", "Per stage (s, the stage's own time; `load:` and the others with a colon are inside a stage):", "",
              "| stage | " + " | ".join(f"{r['size']:,}" for r in results) + " |",
              "|---|" + "---:|" * len(results)]
    for s in stages:
        vals = [r["stage_own"].get(s, r["inner"].get(s)) for r in results]
        lines.append(f"| {s} | " + " | ".join("–" if v is None else f"{v:.2f}" for v in vals) + " |")
    labels = sorted({k for r in results for k in r.get("stage_rss", {})})
    lines += ["", "Peak RSS while each stage runs (MB): the flow process / the whole tree under it (extraction "
              "workers, Prefect's temporary server):", "",
              "| stage | " + " | ".join(f"{r['size']:,}" for r in results) + " |", "|---|" + "---:|" * len(results)]
    for s in labels:
        vals = [r.get("stage_rss", {}).get(s) for r in results]
        lines.append(f"| {s} | " + " | ".join("–" if v is None else f"{v['main_mb']:.0f} / {v['tree_mb']:.0f}"
                                              for v in vals) + " |")
    lines += ["", "Analysis views (s; read-only connection; `LIMIT 100` / `count(*)` over the whole view):", "",
              "| view | " + " | ".join(f"{r['size']:,}" for r in results) + " |", "|---|" + "---:|" * len(results)]
    for v in VIEWS:
        lines.append(f"| {v} | " + " | ".join(
            f"{r['views'][v]['limit100_s']:.3f} / {r['views'][v]['count_s']:.3f}" for r in results) + " |")
    lines += ["", "Search (s): in-process `warehouse.search.search` median / max over "
              f"{len(SEARCH_QUERIES)} queries × 3, and the `akhbar search` command's wall (Python start-up and "
              "imports included):", "",
              "| existing articles | median | max | cold (first) | `akhbar search` command |", "|---:|---:|---:|---:|---:|"]
    for r in results:
        s = r["search"]
        lines.append(f"| {r['size']:,} | {s['median_s']:.3f} | {s['max_s']:.3f} | {s['cold_s']:.3f} | "
                     f"{s['cli_median_s']:.2f} |")
    lines += ["", "Warehouses (cached between runs):", "",
              "| articles | build | build peak RSS | file | rows |", "|---:|---:|---:|---:|---|"]
    for size, m in sorted(metas.items()):
        if size:
            rows = ", ".join(f"{k} {v:,}" for k, v in m.get("rows", {}).items())
            lines.append(f"| {size:,} | {m['build_s']:.0f} s | {m['build_peak_rss_mb']:,} MB | {m['file_mb']:,} MB | "
                         f"{rows} |")
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_ingest":
        ingest_child(*sys.argv[2:5])
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="0,100000,1000000")
    ap.add_argument("--build-only", action="store_true")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the measured copies (under the cache dir)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    print(f"cache: {root}", file=sys.stderr)
    metas, results = {}, []
    for size in sizes:
        t = time.perf_counter()
        metas[size] = build(size, root)
        print(f"warehouse {size:,}: ready in {time.perf_counter() - t:.0f}s "
              f"({metas[size].get('file_mb', 0):,} MB)", file=sys.stderr, flush=True)
    if args.build_only:
        return
    for size in sizes:
        r = measure(size, metas[size], root, args.keep)
        results.append(r)
        print(json.dumps({k: r[k] for k in ("size", "process_wall_s", "flow_body_s", "peak_rss_mb",
                                            "new_articles")}), file=sys.stderr, flush=True)
    (root / "results.json").write_text(json.dumps(results, indent=1, default=str))
    text = render(results, metas, sys.argv[1:])
    print(text)
    if not args.no_write:
        from bench.results import write_section

        write_section("growth", text)


if __name__ == "__main__":
    main()
