"""Outlet boilerplate over a bounded window: same decisions as before on small outlets, bounded
state on big ones, per-run reads of the run's own lines only, through the real load path."""

from __future__ import annotations

import json
import random
from pathlib import Path

import duckdb
import pytest

from tasks import stories
from tasks.boilerplate import BoilerplateModel
from warehouse.load import StagingArea, load_pending, stage_batch
from warehouse.migrate import available_migrations, migrate

GOLD = Path(__file__).parent / "fixtures" / "web" / "dev" / "gold.jsonl"
TEMPLATES = ["تابعونا على تويتر وفيسبوك", "جميع الحقوق محفوظة لصحيفة المثال ©", "اقرأ أيضا في قسم الأخبار"]


def paragraphs() -> list[str]:
    """Real Arabic body paragraphs of the fixture web (the lines a page really has)."""
    out = []
    for line in GOLD.read_text("utf-8").splitlines():
        out.extend(p for p in json.loads(line)["body_paragraphs"] if len(p) > 40)
    return out


def doc(rng: random.Random, paras: list[str], i: int, templates: list[str]) -> list[str]:
    # a page: 3-6 body paragraphs (made unique per page, as real bodies are) plus the template lines
    body = [f"{p} ({i}-{k})" for k, p in enumerate(rng.sample(paras, rng.randint(3, 6)))]
    return [*templates[:1], *body, *templates[1:]]


def test_small_outlet_decisions_unchanged_and_wire_paragraphs_kept():
    # Below two windows nothing is halved: the rule is exactly count >= 3 and share >= 0.3.
    model = BoilerplateModel()
    rng, paras = random.Random(1), paragraphs()
    for i in range(150):
        model.observe("o", doc(rng, paras, i, TEMPLATES))
    assert model.epoch["o"] == 0 and model.n_docs["o"] == 150
    assert all(model.is_boilerplate("o", t) for t in TEMPLATES)
    assert not model.is_boilerplate("o", paras[0] + " (0-0)")
    assert not model.is_boilerplate("other", TEMPLATES[0])


def test_state_stays_bounded_and_templates_stay_stripped():
    model = BoilerplateModel(window_docs=100)
    rng, paras = random.Random(2), paragraphs()
    sizes = []
    for i in range(5000):
        model.observe("o", doc(rng, paras, i, TEMPLATES))
        sizes.append(len(model.counts["o"]))
    # an unbounded model would hold ~5 lines per page seen: 20,000+ lines after 5,000 pages
    assert max(sizes) < 2 * 100 * 7, max(sizes)
    assert max(sizes[2500:]) <= max(sizes[:2500]) + 10          # flat, not growing
    assert 100 <= model.n_docs["o"] < 200 and model.epoch["o"] >= 24
    assert all(model.is_boilerplate("o", t) for t in TEMPLATES)
    assert not model.is_boilerplate("o", f"{paras[3]} (4999-0)")


def test_redesign_new_template_learned_old_one_forgotten():
    model = BoilerplateModel(window_docs=100)
    rng, paras = random.Random(3), paragraphs()
    old, new = ["شريط الأخبار القديم"], ["النشرة البريدية الجديدة: اشترك الآن"]
    for i in range(1000):
        model.observe("o", doc(rng, paras, i, old))
    assert model.is_boilerplate("o", old[0])
    learned_after = None
    for i in range(1000, 1600):
        model.observe("o", doc(rng, paras, i, new))
        if learned_after is None and model.is_boilerplate("o", new[0]):
            learned_after = i - 1000 + 1
    assert learned_after is not None and learned_after <= 100   # within one window
    assert model.is_boilerplate("o", new[0])
    assert not model.is_boilerplate("o", old[0])                # ... and the old one forgotten


def _fresh_db(tmp: Path) -> Path:
    db = tmp / "akhbar.duckdb"
    from warehouse.db import writer

    with writer(db):
        pass
    return db


class CountingStore:
    """The real store (queries.boilerplate_counts on the DuckDB file), recording what it is asked."""

    def __init__(self, db: Path):
        self.inner = stories.load_boilerplate(db).store
        self.asked: list[int] = []

    def __call__(self, wanted):
        self.asked.append(sum(len(v) for v in wanted.values()))
        return self.inner(wanted)


def test_warehouse_model_equals_in_memory_model_and_reads_only_the_batch(tmp_path):
    """Many runs, each: read the model lazily from DuckDB, learn from its pages, stage the changed
    rows, load them. Every decision equals a model that saw every page in memory; each run reads
    only the lines of its own pages; the table stays bounded (decayed rows are pruned)."""
    db = _fresh_db(tmp_path)
    area = StagingArea(tmp_path / "staging")
    rng, paras = random.Random(4), paragraphs()
    memory = BoilerplateModel(window_docs=20)
    outlets = {"a": TEMPLATES, "b": TEMPLATES[1:], "c": []}
    page = 0
    for run in range(30):
        model = stories.load_boilerplate(db)
        model.window_docs = 20
        counting = CountingStore(db)
        model.store = counting
        docs = []
        for _ in range(rng.randint(3, 12)):
            source = rng.choice(sorted(outlets))
            docs.append((source, doc(rng, paras, page, outlets[source])))
            page += 1
        model.prepare(docs)
        for source, lines in docs:
            model.observe(source, lines)
            memory.observe(source, lines)
        for source, lines in docs:
            for line in lines:
                assert model.is_boilerplate(source, line) == memory.is_boilerplate(source, line), (run, line)
        lines_in_run = sum(len(model.hashes(lines)) for _, lines in docs)
        assert len(counting.asked) == 1 and counting.asked[0] <= lines_in_run   # one read, this run's lines
        stage_batch(area, f"2026010{run // 10}T0000000000{run % 10:02d}-bp", stories.boilerplate_tables(model))
        assert load_pending(db, area).error is None

    con = duckdb.connect(str(db), read_only=True)
    try:
        stored = dict(((s, h), c) for s, h, c in con.execute(
            "SELECT l.source_id, l.line_hash, l.count >> (d.epoch - l.epoch) FROM boilerplate_lines l "
            "JOIN boilerplate_docs d USING (source_id)").fetchall())
        docs_rows = {s: (n, e) for s, n, e in con.execute("SELECT * FROM boilerplate_docs").fetchall()}
    finally:
        con.close()
    assert {s: (memory.n_docs[s], memory.epoch[s]) for s in memory.n_docs} == docs_rows
    assert all(c > 0 for c in stored.values())                            # decayed rows were pruned
    held = {(s, h): c for s, by in memory.counts.items() for h, c in by.items()}
    assert stored == held                                                 # same state, nothing extra
    assert max(e for _, e in docs_rows.values()) >= 3                     # windows really turned over


def test_migration_prunes_an_unbounded_old_table(tmp_path):
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    try:
        old = [m for m in available_migrations() if m[0] <= 4]
        con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                    "applied_at TIMESTAMPTZ NOT NULL)")
        for version, name, sql in old:
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [version, name])
        # what an old warehouse holds: one outlet with 1,000 pages, its template lines in every
        # page, 5,000 body lines seen once; a small outlet with 8 pages
        con.execute("INSERT INTO boilerplate_lines SELECT 'big', 'p' || i, 1, 1000 FROM range(5000) AS r(i)")
        rows = [("big", f"t{i}", 1000, 1000) for i in range(3)]
        rows += [("big", "half", 300, 1000), ("small", "s", 8, 8), ("small", "x", 1, 8)]
        con.executemany("INSERT INTO boilerplate_lines VALUES (?, ?, ?, ?)", rows)
        assert 5 in migrate(con)
        docs = dict((s, (n, e)) for s, n, e in con.execute("SELECT * FROM boilerplate_docs").fetchall())
        lines = dict(((s, h), (c, e)) for s, h, c, e in con.execute(
            "SELECT source_id, line_hash, count, epoch FROM boilerplate_lines").fetchall())
    finally:
        con.close()
    assert docs == {"big": (1000 >> 3, 3), "small": (8, 0)}            # 1000 -> 500 -> 250 -> 125
    assert ("big", "p0") not in lines and len(lines) == 3 + 1 + 2       # body lines gone
    model = stories.load_boilerplate(db)
    model.prepare([("big", ["x"])])
    assert model.n_docs["big"] == 125
    assert model.store({"big": {"t0", "half", "p1"}}).lines == {("big", "t0"): 125, ("big", "half"): 37}


@pytest.mark.heavy  # 20 real loads: ~40 s on the loaded 2-core machine
def test_one_long_run_reads_lazily_and_holds_a_bounded_memory_of_what_it_read(tmp_path):
    """A streamed run keeps one model for all its chunks (each chunk's rows loaded before the
    next): its decisions equal the in-memory model's, and the line hashes it remembers having
    read stay bounded by the window, not by the pages of the run (issue 18, stream memory)."""
    db = _fresh_db(tmp_path)
    area = StagingArea(tmp_path / "staging")
    rng, paras = random.Random(5), paragraphs()
    memory = BoilerplateModel(window_docs=10)
    model = stories.load_boilerplate(db)
    model.window_docs = 10
    asked = []
    page = 0
    for chunk in range(20):
        docs = [(source, doc(rng, paras, page + k, TEMPLATES if source == "a" else TEMPLATES[1:]))
                for k, source in enumerate(rng.choice("ab") for _ in range(20))]
        page += len(docs)
        model.prepare(docs)
        for source, lines in docs:
            model.observe(source, lines)
            memory.observe(source, lines)
            assert [model.is_boilerplate(source, x) for x in lines] == [memory.is_boilerplate(source, x) for x in lines]
        stage_batch(area, f"20260101T00000000{chunk:04d}-bp", stories.boilerplate_tables(model))
        assert load_pending(db, area).error is None
        asked.append(sum(len(v) for v in model._asked.values()))
    assert model.epoch["a"] >= 8                      # many windows turned over in the run
    assert max(asked[10:]) <= max(asked[:10]) + 50     # flat: an unbounded memory grows ~100 hashes a chunk
    assert max(asked) < 2 * (2 * 10 * 8 + 20 * 8)      # about two windows of lines per outlet, plus a chunk
