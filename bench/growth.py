"""Growth: what one scheduled run costs as the warehouse grows (issue 13).

    python -m bench.growth                          # 0, 100k and 1M articles; writes "Growth" in RESULTS.md
    python -m bench.growth --sizes 0,100000 --no-write
    python -m bench.growth --build-only --sizes 1000000

On the shared machine run it under the bench lock: `flock /work/coord/bench.lock python -m bench.growth`.

Warehouses. Each size is a year of synthetic-but-realistic Arabic news (dates up to the build
time, 200 outlets with 250 feeds polled every hour, wire stories carried by 2-6 outlets within
hours, the rest single copies; the real schedule polls every 15 minutes, which makes 4x the
`runs`/`feed_fetches` rows: 8.8M a year instead of 2.2M), written through the project's own
path as a backfill writes: rows staged by `warehouse.load.stage_batch` in chunks of 200,000
articles (pyarrow tables made a column at a time: numpy and pyarrow compute, no Python loop per
word or per field) and loaded by `flows.loading.load_all_pending(finalize=False)` (MERGE,
post-load SQL; each load queues its articles for search), then ONE full search-index build
over every article (`full_search_build`) instead of a sync per chunk. Texts are drawn from the
real Arabic vocabulary of the fixture web (Zipf-weighted, with clitic and suffix forms); dedupe
signatures are computed by `tasks.dedupe.make_signature` on a pool of 40,000 story bodies
(built once and cached beside the warehouses; copies of one story share its body, as verbatim
wire copies do; a body recurs only weeks apart, outside every dedupe window); outlet
boilerplate goes through the real `BoilerplateModel` (each outlet's last documents of a chunk:
the model is a window). Built files are cached under `<tmp>/akhbar-growth/g<generator
version>/n<size>/` with the schema version they were built at (meta.json); a cached warehouse
from an older schema (or search index) is first brought up to date by the real upgrade path
(migrations, search-index sync) so the measured run does not pay that once-only cost; one
older than 3 days is rebuilt (the views look at the last 24 hours). meta.json keeps the build's
wall and CPU seconds per part, its peak RSS and the 1-minute load average at start and end.

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

GEN_VERSION = 3  # the warehouses' rows
POOL_VERSION = 2  # the story bodies (bench data, slow to make: kept across GEN_VERSIONs)
DEV_WEB = ROOT / "tests" / "fixtures" / "web" / "dev"
CHUNK = 200_000  # articles per staged batch
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
    titles: pa.Array
    texts: pa.Array  # large_string: a chunk's texts pass 2 GB
    words: np.ndarray  # word count per story
    line_hashes: list[list[str]]  # boilerplate-model hashes of each body line
    n_lines: np.ndarray
    sigs: pa.Table  # article_signatures columns that depend on the text only
    content_hash: pa.Array


def build_pool(n: int, seed: int = 7) -> pa.Table:
    """n story bodies (4-10 paragraphs, ~330 words) with their real dedupe signatures (built
    once and cached: `make_signature` per body is most of it)."""
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
    return pa.table({"title": titles, "text": texts, "words": words, "line_hashes": hashes, "content_hash": chash,
                     **{f"sig_{c}": sigs[c] for c in sigs.column_names}})


def load_pool(cache: Path, n: int = POOL) -> Pool:
    import pyarrow.parquet as pq

    path = cache.parent / f"pool-g{POOL_VERSION}-{n}.parquet"
    if not path.exists():
        started = time.perf_counter()
        t = build_pool(n)
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(t, path.with_suffix(".tmp"))
        os.replace(path.with_suffix(".tmp"), path)
        print(f"story pool: {n} bodies and signatures in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    t = pq.read_table(path)
    sig_cols = [c for c in t.column_names if c.startswith("sig_")]
    sigs = t.select(sig_cols).rename_columns([c[4:] for c in sig_cols])
    hashes = t["line_hashes"].to_pylist()
    return Pool(t["title"].combine_chunks(), t["text"].cast(pa.large_string()).combine_chunks(),
                t["words"].to_numpy(), hashes, np.array([len(h) for h in hashes]), sigs.combine_chunks(),
                t["content_hash"].combine_chunks())


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


@dataclass
class Events:
    """n article copies of S stories, stories in time order, a story's copies next to each other."""

    t0: np.ndarray  # per story: first copy's time (epoch s)
    n_copies: np.ndarray  # per story
    start: np.ndarray  # per story: index of its first copy
    story: np.ndarray  # per copy: its story
    rank: np.ndarray  # per copy: 0 for the first copy of its story
    outlet: np.ndarray  # per copy: outlet index (distinct within a story)
    lag_h: np.ndarray  # per copy: hours after the first copy


def events(n: int, end: datetime, seed: int = 11) -> Events:
    """A year of stories up to `end`, n copies in all (wire stories on 2-6 outlets, the rest one)."""
    rng = np.random.default_rng(seed)
    p_wire = WIRE_SHARE / (WIRE_SHARE + (1 - WIRE_SHARE) * 3.5)
    k = np.where(rng.random(n) < p_wire, np.minimum(6, 2 + rng.poisson(1.5, n)), 1)
    cum = np.cumsum(k)
    n_stories = int(np.searchsorted(cum, n)) + 1
    k = k[:n_stories].copy()
    k[-1] -= int(cum[n_stories - 1]) - n
    start = np.concatenate([[0], np.cumsum(k)[:-1]])
    t0 = end.timestamp() - 365 * 24 * 3600.0 * (1 - np.sort(rng.random(n_stories)))
    story = np.repeat(np.arange(n_stories), k)
    rank = np.arange(n) - start[story]
    # distinct outlets per story: the first at random, the others at increasing offsets (< 200)
    offsets = np.concatenate([np.zeros((n_stories, 1), np.int64),
                              np.cumsum(rng.integers(1, 34, size=(n_stories, 5)), axis=1)], axis=1)
    outlet = (rng.integers(0, N_OUTLETS, n_stories)[story] + offsets[story, rank]) % N_OUTLETS
    lag = np.where(rank == 0, 0.0, np.minimum(rng.exponential(1.5, n), 20.0))
    return Events(t0, k, start, story, rank, outlet, lag)


def _s(values) -> pa.Array:
    """Numbers as a string array."""
    return pa.compute.cast(pa.array(values), pa.string())


def _cat(*parts) -> pa.Array:
    """Strings and string arrays concatenated row by row (null where a part is null)."""
    typ = pa.large_string() if any(getattr(x, "type", None) == pa.large_string() for x in parts) else pa.string()
    return pa.compute.binary_join_element_wise(
        *(pa.scalar(x, typ) if isinstance(x, str) else x.cast(typ) for x in parts), pa.scalar("", typ))


def _hash16(strings: pa.Array) -> pa.Array:
    """tasks.models.stable_id of each string (one hashlib call per row: 1-2 s per million)."""
    import hashlib

    return pa.array([hashlib.sha256(s.encode("utf-8")).hexdigest()[:16] for s in strings.to_pylist()], pa.string())


def _ts(seconds: np.ndarray) -> pa.Array:
    return pa.array((seconds * 1e6).astype("int64"), pa.timestamp("us", "UTC"))


def chunk_tables(first: bool, ev: Events, s_from: int, s_to: int, pool: Pool, outs: list[Outlet], model,
                 end: datetime, t_from: float, t_to: float, run_every: timedelta = RUN_EVERY) -> dict:
    """The staged tables (pyarrow, column at a time) of stories s_from..s_to and of the runs
    between t_from and t_to."""
    import pyarrow.compute as pc

    from tasks import stories

    now = datetime.fromtimestamp(t_to, UTC)
    rng = np.random.default_rng(int(t_from) % (2**31))
    c_from, c_to = int(ev.start[s_from]), int(ev.start[s_to - 1] + ev.n_copies[s_to - 1])
    story, rank = ev.story[c_from:c_to], ev.rank[c_from:c_to]
    o = ev.outlet[c_from:c_to]
    n = len(story)
    k = story % len(pool.words)  # the story's body in the pool
    wire = ev.n_copies[story] > 1
    end_s = end.timestamp()
    pub = np.minimum(ev.t0[story] + ev.lag_h[c_from:c_to] * 3600, end_s - 60)
    fetched = np.minimum(pub + 60.0 * (5 + (k * 7 + rank) % 25), end_s)
    sid = pa.array([x.source_id for x in outs]).take(o)
    oname = pa.array([x.name for x in outs]).take(o)
    feed0 = pa.array([x.feeds[0] for x in outs]).take(o)
    agency = pc.if_else(pa.array(wire), pa.array(np.array(AGENCIES)[k % len(AGENCIES)]), pa.nulls(n, pa.string()))
    url = _cat("https://", sid, ".example/news/", _s(k), "-", _s(story), "-", _s(rank), ".html")
    aid = _hash16(url)
    cid = aid.take(pa.array(ev.start[story] - c_from))  # a story's cluster: its first copy
    canonical = pa.array(rank == 0)
    kk = pa.array(k)
    ptitle = pool.titles.take(kk)
    title = pc.if_else(canonical, ptitle, _cat(ptitle, " (", oname, ")"))
    evidence = _cat("القاهرة - ", agency)  # null where there is no agency
    text = pc.if_else(pa.array(wire), _cat(evidence.cast(pa.large_string()), "\n", pool.texts.take(kk)),
                      pool.texts.take(kk))
    run_id = _cat("ingest-", _s((fetched // 900).astype(np.int64)))
    pub_a, fetched_a = _ts(pub), _ts(fetched)
    arts = pa.table({
        "article_id": aid, "url": _cat(url, "?utm_source=rss"), "canonical_url": url, "source_id": sid,
        "feed_url": feed0, "title": title,
        "author": pc.if_else(pa.array(k % 3 == 0), "مراسلنا", pa.nulls(n, pa.string())),
        "published_at": pub_a, "fetched_at": fetched_a, "language": pa.array(["ar"] * n), "text": text, "word_count": pa.array(pool.words[k], pa.int32()),
        "image": _cat("https://", sid, ".example/img/", _s(k), ".jpg"),
        "section": pa.array(["أخبار"] * n), "categories": pa.array([["سياسة"]] * n, pa.list_(pa.string())),
        "extraction_status": pa.array(np.where(k % 50 != 0, "ok", "fallback_summary")),
        "extraction_error": pa.nulls(n, pa.string()), "extractor_version": pa.array(["akhbar-extract/2"] * n),
        "http_status": pa.array(np.full(n, 200, np.int32)), "fetch_outcome": pa.array(["ok"] * n),
        "fetch_error": pa.nulls(n, pa.string()), "fetch_attempts": pa.array(np.ones(n, np.int32)),
        "content_hash": pool.content_hash.take(kk), "warc_file": _cat(run_id, ".warc.gz"),
        "warc_offset": pa.array(k * 9000 + rank), "cluster_id": cid, "is_canonical": canonical,
        "wire_agency": agency, "agency_evidence": evidence, "run_id": run_id,
        "published_at_source": pa.array(["jsonld"] * n)})
    sightings = pa.table({"article_id": aid, "feed_url": feed0, "source_id": sid, "raw_link": url, "guid": url,
                          "feed_title": title, "feed_published_at": pub_a, "first_seen_at": fetched_a,
                          "run_id": run_id})
    two = np.array([len(x.feeds) > 1 for x in outs])[o] & (k % 3 == 0)
    if two.any():
        extra = sightings.filter(pa.array(two))
        second = pa.array([x.feeds[-1] for x in outs]).take(pa.array(o[two]))
        sightings = pa.concat_tables([sightings, extra.set_column(1, "feed_url", second)])
    amp = pa.array(k % 20 == 0)
    amp_url = pc.replace_substring(url.filter(amp), ".html", "/amp")
    aliases = pa.table({"alias_id": _hash16(_cat(url.filter(amp), "/amp")), "alias_url": amp_url,
                        "article_id": aid.filter(amp)})
    members = pa.table({"article_id": aid, "cluster_id": cid, "source_id": sid, "is_canonical": canonical,
                        "similarity": np.where(rank == 0, 1.0, 0.93), "containment": np.where(rank == 0, 1.0, 0.97),
                        "matched_paragraphs": pa.array(pool.n_lines[k], pa.int32()), "joined_at": fetched_a})
    # one cluster per story: its first copy's row; span over its copies (contiguous rows)
    heads = np.asarray(ev.start[s_from:s_to] - c_from)
    ks = pa.array(k[heads])
    clusters = pa.table({
        "cluster_id": cid.take(pa.array(heads)), "canonical_article_id": cid.take(pa.array(heads)),
        "canonical_rule": pa.array(["most_complete"] * len(heads)), "agency": agency.take(pa.array(heads)),
        "agency_evidence": evidence.take(pa.array(heads)), "title": pool.titles.take(ks),
        "first_seen_at": _ts(np.minimum.reduceat(pub, heads)), "last_seen_at": _ts(np.maximum.reduceat(pub, heads)),
        "n_articles": pa.array(ev.n_copies[s_from:s_to], pa.int32()),
        "n_sources": pa.array(ev.n_copies[s_from:s_to], pa.int32()),
        "updated_at": pa.array([now] * len(heads), pa.timestamp("us", "UTC"))})
    # a reused paragraph now and then: the last copy of every 97th pool story reuses the row before it
    lasts = heads + ev.n_copies[s_from:s_to] - 1
    pick = lasts[(k[heads] % 97 == 0) & (lasts > 0)]
    reuse = pa.table({"article_id": aid.take(pa.array(pick)), "reused_article_id": aid.take(pa.array(pick - 1)),
                      "shared_paragraphs": pa.array(np.ones(len(pick), np.int32)),
                      "containment": np.full(len(pick), 0.2), "shared_shingles": pa.array(np.full(len(pick), 30, np.int32)),
                      "found_at": pa.array([now] * len(pick), pa.timestamp("us", "UTC"))})
    sigs = pool.sigs.take(kk)
    for name, col in (("article_id", aid), ("source_id", sid), ("published_at", pub_a), ("fetched_at", fetched_a)):
        sigs = sigs.append_column(name, col)
    # Outlet boilerplate through the real model. The model is a window (an outlet's counts halve
    # each time it has seen 2 x window_docs documents), so only each outlet's last documents of
    # the chunk are fed to it: what older ones would add has halved away.
    keep = 2 * model.window_docs
    order = np.lexsort((np.arange(n), o))  # by outlet, in time order within it
    o_sorted = o[order]
    last_of = np.searchsorted(o_sorted, o_sorted, side="right")
    tail = order[last_of - np.arange(n) <= keep]  # rows at most `keep` from the end of their outlet's run
    for row in np.sort(tail):
        model.observe_hashes(outs[o[row]].source_id, set(pool.line_hashes[k[row]]) | set(outs[o[row]].templates))
    tables = dict(articles=arts, article_signatures=sigs, cluster_members=members, story_clusters=clusters,
                  article_sightings=sightings, url_aliases=aliases, article_reuse=reuse)
    tables.update(_runs(outs, t_from, t_to, rng, run_every))
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


def _runs(outs: list[Outlet], t_from: float, t_to: float, rng, every: timedelta = RUN_EVERY) -> dict:
    """One scheduled run `every` (RUN_EVERY), each fetching every feed (5 of them time out): runs,
    feed_fetches, run_errors."""
    from tasks.models import stable_id

    urls = [u for o in outs for u in o.feeds]
    fids = pa.array([stable_id(u) for u in urls])
    step = every.total_seconds()
    starts = np.arange(np.ceil(t_from / step) * step, t_to, step)
    n_runs, n_feeds = len(starts), len(urls)
    run_ids = pa.array([f"ingest-{int(t) // 900}" for t in starts], pa.string())
    at = _ts(starts)
    runs = pa.table({
        "run_id": run_ids, "flow_run_id": pa.nulls(n_runs, pa.string()), "kind": pa.array(["ingest"] * n_runs),
        "started_at": at, "finished_at": _ts(starts + 40), "status": pa.array(["completed"] * n_runs),
        "parameters": pa.array(["{}"] * n_runs), "feeds_total": pa.array(np.full(n_runs, n_feeds, np.int32)),
        "feeds_ok": pa.array(np.full(n_runs, n_feeds - 5, np.int32)), "feeds_failed": pa.array(np.full(n_runs, 5, np.int32)),
        "entries_seen": pa.array(np.full(n_runs, n_feeds * 20, np.int32)),
        **{c: pa.array(np.full(n_runs, v, np.int32)) for c, v in (("new_articles", 30), ("pages_fetched", 30),
                                                                 ("extracted_ok", 29), ("duplicates", 8), ("errors", 5))},
        "summary_md": pa.array(["## ingest\n" + "| outlet | new |\n" * 40] * n_runs)})
    # per run, 5 distinct feeds time out
    bad = np.zeros((n_runs, n_feeds), bool)
    bad[np.arange(n_runs)[:, None], np.argpartition(rng.random((n_runs, n_feeds)), 5, axis=1)[:, :5]] = True
    bad = bad.ravel()
    r = pa.array(np.repeat(np.arange(n_runs), n_feeds))
    i = np.tile(np.arange(n_feeds), n_runs)
    run_col, url_col = run_ids.take(r), pa.array(urls).take(pa.array(i))
    fetches = pa.table({
        "fetch_id": _hash16(_cat(run_col, "|", fids.take(pa.array(i)))), "run_id": run_col,
        "feed_id": fids.take(pa.array(i)), "url": url_col, "final_url": url_col, "attempted_at": at.take(r),
        "outcome": pa.array(np.where(bad, "timeout", np.where(i % 3 != 0, "not_modified", "ok"))),
        "http_status": pa.array(np.where(i % 3 != 0, 304, 200), pa.int32(), mask=bad),
        "elapsed_ms": pa.array(50 + (i * 37) % 900, pa.int32()), "attempts": pa.array(np.ones(len(i), np.int32)),
        "entries": pa.array(np.where(i % 3 != 0, 0, 20), pa.int32()),
        "new_entries": pa.array(np.where(i % 3 != 0, 0, 20), pa.int32())})
    failed = pa.array(bad)
    e_run, e_url = run_col.filter(failed), url_col.filter(failed)
    errors = pa.table({"error_id": _hash16(_cat(e_run, "|feed|", e_url)), "run_id": e_run,
                       "stage": pa.array(["feed"] * len(e_run)), "feed_url": e_url, "url": e_url,
                       "outcome": pa.array(["timeout"] * len(e_run)),
                       "error": pa.array(["read timeout after 20s"] * len(e_run)),
                       "occurred_at": at.take(r).filter(failed)})
    return dict(runs=runs, feed_fetches=fetches, run_errors=errors)


def full_search_build(con) -> dict:
    """The one search-index build at the end of a bulk build (every article at once, streamed;
    empties search_queue, which every load filled)."""
    from warehouse.search import rebuild_search_index

    return rebuild_search_index(con, full=True)


def build(size: int, root: Path, chunk: int = CHUNK, pool_n: int = POOL, run_every: timedelta = RUN_EVERY) -> dict:
    """The cached warehouse of `size` articles: chunks of `chunk` articles staged by stage_batch
    and loaded by load_all_pending (MERGE, post-load SQL) without the per-load search sync
    (finalize=False, as a backfill does), then one full search-index build."""
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
            "schema": schema_version(), "chunk": chunk}
    started, cpu0, load_at_start = time.perf_counter(), time.process_time(), round(os.getloadavg()[0], 2)
    peak = PeakRss(os.getpid())
    if size:
        from flows.loading import load_all_pending, staging_area
        from flows.settings import Settings
        from tasks.boilerplate import BoilerplateModel
        from warehouse.db import writer
        from warehouse.load import stage_batch

        # A backfill of 200k-article chunks, not a scheduled run: DuckDB gets 4 GB for its MERGEs
        # (a run loads under AKHBAR_DUCKDB_MEMORY, 96 MB by default).
        settings = Settings(publish_snapshot=False, duckdb_memory="4GB")
        pool = load_pool(root, pool_n)
        outs = outlets()
        ev = events(size, end)
        model = BoilerplateModel()
        area = staging_area(db)
        copies_end = ev.start + ev.n_copies
        n_stories = len(ev.t0)
        s_from, n_chunk, t_from = 0, 0, end.timestamp() - 365 * 24 * 3600
        spent = {"generate_s": 0.0, "stage_s": 0.0, "load_s": 0.0}
        cpu = time.process_time()
        while s_from < n_stories:
            s_to = min(n_stories, int(np.searchsorted(copies_end, ev.start[s_from] + chunk)) + 1)
            t_to = float(ev.t0[s_to]) if s_to < n_stories else end.timestamp()
            t = time.perf_counter()
            tables = chunk_tables(n_chunk == 0, ev, s_from, s_to, pool, outs, model, end, t_from, t_to,
                                  run_every)
            t_gen = time.perf_counter() - t
            stage_batch(area, f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-growth{n_chunk:03d}", tables)
            del tables
            t_stage = time.perf_counter() - t - t_gen
            report = load_all_pending(db, settings, finalize=False)  # the search index: once, below
            if report.error:
                raise RuntimeError(report.error)
            t_load = time.perf_counter() - t - t_gen - t_stage
            spent["generate_s"] += t_gen
            spent["stage_s"] += t_stage
            spent["load_s"] += t_load
            print(f"  chunk {n_chunk}: {int(copies_end[s_to - 1]):,} articles; generate {t_gen:.1f}s, stage "
                  f"{t_stage:.1f}s, load {t_load:.1f}s (rss {peak.peak / 2**20:,.0f} MB so far)",
                  file=sys.stderr, flush=True)
            s_from, t_from, n_chunk = s_to, t_to, n_chunk + 1
        spent["chunks_cpu_s"] = time.process_time() - cpu
        t, cpu = time.perf_counter(), time.process_time()
        with writer(db) as con:
            done = full_search_build(con)
        spent["search_s"] = time.perf_counter() - t
        spent["search_cpu_s"] = time.process_time() - cpu
        print(f"  search index: {done.get('indexed'):,} articles in {spent['search_s']:.0f}s", file=sys.stderr,
              flush=True)
        meta["build_parts_s"] = {k: round(v, 1) for k, v in spent.items()}
    meta["build_s"] = round(time.perf_counter() - started, 1)
    meta["build_cpu_s"] = round(time.process_time() - cpu0, 1)
    meta["load_avg_1m"] = [load_at_start, round(os.getloadavg()[0], 2)]
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
        # AKHBAR_GROWTH_TIMELINE=FILE: every sample (time, [(pid, command tail, RSS MB)]) is appended
        # to FILE as a JSON line when the sampler stops (where a peak is, process by process).
        self.timeline: list | None = [] if os.environ.get("AKHBAR_GROWTH_TIMELINE") else None
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            total = no_server = 0
            seen = []
            try:
                procs = [self.proc, *self.proc.children(recursive=True)]
            except psutil.Error:
                procs = []
            for p in procs:
                try:
                    rss = p.memory_info().rss
                    total += rss
                    cmd = " ".join(p.cmdline())
                    if "uvicorn" not in cmd and "prefect.server" not in cmd:
                        no_server += rss
                    seen.append((p.pid, cmd[-40:], rss >> 20))
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self.peak_no_server = max(self.peak_no_server, no_server)
            if self.timeline is not None:
                self.timeline.append((time.time(), seen))
            self._stop.wait(0.05)

    def stop(self) -> int:
        self._stop.set()
        self._t.join()
        if self.timeline is not None:
            with open(os.environ["AKHBAR_GROWTH_TIMELINE"], "a", encoding="utf-8") as fh:
                fh.writelines(json.dumps(sample) + "\n" for sample in self.timeline)
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
        if res["exit"] != 0:
            raise RuntimeError(f"akhbar ingest exited {res['exit']} on the {size:,} warehouse: {err[-3000:]}")
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
    import resource

    times, cpus, hits = [], [], []
    for _ in range(3):
        for q in SEARCH_QUERIES:
            t, c = time.perf_counter(), time.process_time()  # CPU of the process: DuckDB's threads too
            found = search(db, q)
            times.append(time.perf_counter() - t)
            cpus.append(time.process_time() - c)
            hits.append(len(found))
    cli, cli_cpu = [], []
    akhbar = Path(sys.executable).with_name("akhbar")
    for q in SEARCH_QUERIES[:3]:
        t, c = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([str(akhbar), "search", q, "--db", str(db)], check=True, capture_output=True,
                       env=child_env(work))
        cli.append(time.perf_counter() - t)
        c2 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cli_cpu.append(c2.ru_utime + c2.ru_stime - c.ru_utime - c.ru_stime)
    return {"cold_s": cold, "median_s": statistics.median(times), "max_s": max(times), "hits_min": min(hits),
            "cpu_median_s": statistics.median(cpus), "cli_median_s": statistics.median(cli),
            "cli_cpu_median_s": statistics.median(cli_cpu)}


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


def render(results: list[dict], metas: dict, argv: list[str], loads: tuple[float, float] | None = None) -> str:
    base = next((r for r in results if r["size"] == 0), None)
    lines = ["## Growth: one run's cost as the warehouse grows (bench/growth.py)", "",
             f"Command: `{' '.join(['python -m bench.growth', *argv])}` (on the shared machine, under "
             "`flock /work/coord/bench.lock`). One real `akhbar ingest` of the 64-page dev fixture web "
             "(tests/fixtures/web/dev on loopback) into a copy of a warehouse pre-filled with a year of synthetic "
             "Arabic news (200 outlets, 250 feeds polled hourly, wire stories on 2-6 outlets) built through "
             "stage_batch + load_all_pending. Peak RSS: the whole process tree (ingest, extraction workers, "
             "Prefect's temporary server), sampled every 50 ms. The machine is shared by several developers "
             "(2 cores): ratios measured in one invocation mean more than absolute times."
             + (f" 1-minute load average at the start / end of the measurement: {loads[0]:.2f} / {loads[1]:.2f}."
                if loads else ""), "",
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
              "| existing articles | median wall / CPU | max | cold (first) | `akhbar search` command wall / CPU |",
              "|---:|---:|---:|---:|---:|"]
    for r in results:
        s = r["search"]
        lines.append(f"| {r['size']:,} | {s['median_s']:.3f} / {s.get('cpu_median_s', float('nan')):.3f} | "
                     f"{s['max_s']:.3f} | {s['cold_s']:.3f} | {s['cli_median_s']:.2f} / "
                     f"{s.get('cli_cpu_median_s', float('nan')):.2f} |")
    lines += ["", "Warehouses (cached between runs):", "",
              "| articles | build wall / CPU | of which search index wall / CPU | load average start / end | "
              "build peak RSS | file | rows |", "|---:|---:|---:|---:|---:|---:|---|"]
    for size, m in sorted(metas.items()):
        if size:
            rows = ", ".join(f"{k} {v:,}" for k, v in m.get("rows", {}).items())
            parts, loads = m.get("build_parts_s", {}), m.get("load_avg_1m")
            lines.append(f"| {size:,} | {m['build_s']:.0f} s / {m.get('build_cpu_s', float('nan')):.0f} s | "
                         f"{parts.get('search_s', float('nan')):.0f} s / {parts.get('search_cpu_s', float('nan')):.0f} s | "
                         f"{'–' if not loads else f'{loads[0]:.1f} / {loads[1]:.1f}'} | {m['build_peak_rss_mb']:,} MB | "
                         f"{m['file_mb']:,} MB | {rows} |")
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
    load_start = os.getloadavg()[0]
    for size in sizes:
        r = measure(size, metas[size], root, args.keep)
        results.append(r)
        print(json.dumps({k: r[k] for k in ("size", "process_wall_s", "flow_body_s", "peak_rss_mb",
                                            "new_articles")}), file=sys.stderr, flush=True)
    (root / "results.json").write_text(json.dumps(results, indent=1, default=str))
    text = render(results, metas, sys.argv[1:], (load_start, os.getloadavg()[0]))
    print(text)
    if not args.no_write:
        from bench.results import write_section

        write_section("growth", text)


if __name__ == "__main__":
    main()
