"""Dedupe reads only what can matter from the +-window (queries.dedupe_pool) and places every new
article exactly as it would with the whole window in memory.

Real texts: the 64 pages of the dev fixture web (13 wire stories copied 2-5 times, hard
negatives on the same events) and the SemEval Arabic articles, plus the furniture that makes
templates: a disclaimer paragraph pasted under unrelated stories (a template by story count) and
a daily tally paragraph with changing numbers (a template by its fillings). History goes into a
real DuckDB file through stage_batch + load_pending; each new batch is then placed twice.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tasks import stories
from tasks.dedupe import DEFAULT, Signature, assign_clusters, make_signature
from warehouse import queries
from warehouse.load import StagingArea, load_pending, stage_batch

FIXTURES = Path(__file__).parent / "fixtures"
DISCLAIMER = ("الآراء الواردة في هذا المقال تعبر عن رأي كاتبها ولا تعكس بالضرورة موقف الصحيفة أو سياستها "
              "التحريرية، وتحتفظ الصحيفة بحق نشر التعليقات أو حذفها وفق شروط الاستخدام")
TALLY = "سجلت وزارة الصحة اليوم {} إصابة جديدة بفيروس كورونا و{} حالات وفاة و{} حالة شفاء خلال الساعات الماضية"
T0 = datetime(2026, 11, 20, tzinfo=UTC)


def corpus() -> list[tuple[str, str, str]]:
    """(article_id, source_id, text) for every real text, with the template furniture added."""
    out = []
    for i, line in enumerate((FIXTURES / "web" / "dev" / "gold.jsonl").read_text("utf-8").splitlines()):
        g = json.loads(line)
        paras = list(g["body_paragraphs"])
        if i % 5 == 0:
            paras.append(DISCLAIMER)
        if i % 7 == 0:
            paras.insert(1, TALLY.format(100 + i, i % 9 + 1, 50 + 3 * i))
        out.append((f"g{i:03d}", g["outlet_id"], "\n".join(paras)))
    semeval = json.loads((FIXTURES / "semeval" / "articles.json").read_text("utf-8"))
    for k, (sid, a) in enumerate(sorted(semeval.items())):
        out.append((f"s{sid}", f"semeval{k % 3}", a["text"] + ("\n" + DISCLAIMER if k % 2 else "")))
    return out


def _load(db: Path, area: StagingArea, sigs: list[Signature], result, batch: str) -> None:
    members = [dict(article_id=m.article_id, cluster_id=m.cluster_id, source_id=None, is_canonical=m.is_canonical,
                    similarity=m.similarity, containment=m.containment, matched_paragraphs=m.matched_paragraphs)
               for m in result.memberships]
    stage_batch(area, batch, {"article_signatures": [{**s.to_row(), "fetched_at": s.published_at} for s in sigs],
                              "cluster_members": members})
    assert load_pending(db, area).error is None


def _outcome(res) -> tuple:
    return (sorted(res.memberships, key=lambda m: m.article_id),
            sorted(res.partial_reuse, key=lambda r: (r.article_id, r.source_article_id)),
            sorted(res.clusters, key=lambda c: c.cluster_id))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pruned_window_places_new_articles_like_the_whole_window(tmp_path, seed):
    rng = random.Random(seed)
    texts = corpus()
    rng.shuffle(texts)
    # publication times over 9 days, so part of the history is outside a new article's window
    sigs = [make_signature(aid, src, T0 + timedelta(hours=rng.uniform(0, 9 * 24)), text) for aid, src, text in texts]
    db, area = tmp_path / "akhbar.duckdb", StagingArea(tmp_path / "staging")
    history = sorted(sigs, key=lambda s: s.published_at)
    cut = [len(sigs) // 3, 2 * len(sigs) // 3]
    first = history[: cut[0]]
    _load(db, area, first, assign_clusters(first, [], {}), "20260101T000000000000-h")
    for b, new in enumerate((history[cut[0]: cut[1]], history[cut[1]:])):
        rng.shuffle(new)
        whole_rows = queries.signatures_between(db, T0 - timedelta(days=30), T0 + timedelta(days=30))
        ids = {s.article_id for s in new}
        whole = [Signature.from_row(r) for r in whole_rows if r["article_id"] not in ids]
        whole_clusters = {r["article_id"]: r["member_cluster_id"] for r in whole_rows if r["member_cluster_id"]}
        pruned, pruned_clusters = stories._existing(db, new, 72, exclude=ids)
        # the whole window is what the old read returned: everything stored in [min - 72 h, max + 72 h]
        lo = min(s.published_at for s in new) - timedelta(hours=72)
        hi = max(s.published_at for s in new) + timedelta(hours=72)
        whole = [s for s in whole if lo <= s.published_at <= hi]
        full_ids = {s.article_id for s in pruned if s.n_tokens}
        assert len(full_ids) < len(whole), "the pruned read should leave most of the window out"
        a = assign_clusters(new, whole, whole_clusters, window_hours=72)
        p = assign_clusters(new, pruned, pruned_clusters, window_hours=72)
        assert _outcome(p) == _outcome(a)
        assert any(m.cluster_id != m.article_id for m in a.memberships if m.article_id in ids)  # copies were found
        _load(db, area, new, a, f"2026010{b + 2}T000000000000-n")


def _both_ways(tmp_path: Path, sigs: list[Signature], new: list[Signature]):
    """Load every other signature as history, then place `new` against the pruned read and
    against the whole window: (pruned pool, whole window, whole result, pruned result)."""
    db, area = tmp_path / "akhbar.duckdb", StagingArea(tmp_path / "staging")
    history = [s for s in sigs if s not in new]
    _load(db, area, history, assign_clusters(history, [], {}), "20260101T000000000000-h")
    pruned, clusters = stories._existing(db, new, 72, exclude={s.article_id for s in new})
    rows = queries.signatures_between(db, T0 - timedelta(days=9), T0 + timedelta(days=9))
    whole = [Signature.from_row(r) for r in rows]
    a = assign_clusters(new, whole, {r["article_id"]: r["member_cluster_id"] for r in rows}, window_hours=72)
    return pruned, whole, a, assign_clusters(new, pruned, clusters, window_hours=72)


def test_templates_of_the_new_articles_are_the_same(tmp_path):
    """The furniture paragraphs (disclaimer by story count, tally by fillings) are templates for
    the pruned read as for the whole window, so they glue no copies together."""
    texts = corpus()
    sigs = [make_signature(aid, src, T0 + timedelta(hours=i % 48), text) for i, (aid, src, text) in enumerate(texts)]
    new = [s for s in sigs if s.article_id in ("g000", "g035", "g014")]   # disclaimer / tally holders
    pruned, _, a, p = _both_ways(tmp_path, sigs, new)
    # holders known by their paragraphs only: those of a paragraph a selected article holds, not
    # the copies of the window's other wire stories (whose paragraphs are frequent too)
    selected = {h for s in [*new, *pruned] if s.n_tokens for h in s.para_hashes}
    light = [s for s in pruned if not s.n_tokens]
    assert light and all(selected & set(s.para_hashes) for s in light)
    theirs = {h for s in new for h in s.para_hashes}
    disclaimer = make_signature("d", "d", None, DISCLAIMER).para_hashes[0]
    tally = make_signature("t", "t", None, TALLY.format(1, 2, 3)).para_hashes[0]
    assert {disclaimer, tally} <= a.templates & theirs
    assert a.templates & theirs == p.templates & theirs
    assert _outcome(p) == _outcome(a)


def test_a_paragraph_held_by_hundreds_reads_only_the_holders_templates_are_judged_on(tmp_path):
    """A paragraph under hundreds of unrelated stories in the window (a disclaimer; at the region's
    volume a dateline line such as "القاهرة - رويترز" printed as its own paragraph) is judged a
    template from its first holders by article id (Params.template_max_holders): only those are
    read in full, the others counted from their paragraph hashes. The placement and the
    templates are those of the whole window."""
    texts = corpus()
    rng = random.Random(4)
    words = [w for _, _, text in texts for w in text.split() if len(w) > 3]
    # 400 more stories, each its own: paragraphs of words drawn from the real texts
    texts += [(f"x{k:03d}", f"outlet{k % 9}", "\n".join(" ".join(rng.choices(words, k=45)) for _ in range(3)))
              for k in range(400)]
    sigs = [make_signature(aid, src, T0 + timedelta(hours=i % 48), text.replace("\n" + DISCLAIMER, "") + "\n" + DISCLAIMER)
            for i, (aid, src, text) in enumerate(texts)]
    new = [s for s in sigs if s.article_id in ("g001", "g002", "g014", "x007")]
    pruned, whole, a, p = _both_ways(tmp_path, sigs, new)
    disclaimer = make_signature("d", "d", None, DISCLAIMER).para_hashes[0]
    holders = [s for s in whole if disclaimer in s.para_hashes]
    read_in_full = [s for s in pruned if s.n_tokens and disclaimer in s.para_hashes]
    assert len(holders) > 300
    # the first holders, plus what the new articles select anyway (copies and their clusters)
    assert len(read_in_full) <= DEFAULT.template_max_holders + 20, len(read_in_full)
    first = sorted(s.article_id for s in holders)[: DEFAULT.template_max_holders]
    assert set(first) <= {s.article_id for s in read_in_full}
    assert disclaimer in a.templates and disclaimer in p.templates
    assert _outcome(p) == _outcome(a)
    assert any(m.cluster_id != m.article_id for m in a.memberships if m.article_id in {s.article_id for s in new})


def test_an_article_dated_far_back_reads_its_own_window_not_the_months_between(tmp_path):
    """One late copy of a months-old story in a run reads the +-72 h around it and around the
    run's other articles, not everything stored in between (the read used to span [oldest - 72 h,
    newest + 72 h]: one old date made it months long), and it still joins its old story."""
    texts = corpus()
    old_text = texts[1][2]
    history = [make_signature(aid, src, T0 + timedelta(hours=i % (9 * 24)), text) for i, (aid, src, text) in enumerate(texts)]
    long_ago = T0 - timedelta(days=200)
    history.append(make_signature("old-original", "outlet-a", long_ago, old_text))
    db, area = tmp_path / "akhbar.duckdb", StagingArea(tmp_path / "staging")
    _load(db, area, history, assign_clusters(history, [], {}), "20260101T000000000000-h")
    late_copy = make_signature("old-late-copy", "outlet-b", long_ago + timedelta(hours=5), old_text)
    recent = [make_signature(f"r{aid}", src, T0 + timedelta(days=4, hours=k), text)
              for k, (aid, src, text) in enumerate(texts[10:14])]
    new = [late_copy, *recent]
    ids = {s.article_id for s in new}
    pool, clusters = stories._existing(db, new, 72, exclude=ids)
    stored = {s.article_id: s.published_at for s in history}
    in_some_window = {aid for aid, t in stored.items() if any(abs(t - s.published_at) <= timedelta(hours=72) for s in new)}
    assert "old-original" in {s.article_id for s in pool}
    assert {s.article_id for s in pool} <= in_some_window       # nothing from the 200 days between
    between = {aid for aid, t in stored.items() if long_ago + timedelta(hours=80) < t < T0 + timedelta(hours=20)}
    assert between and not between & in_some_window              # stored, dated between, out of every window
    assert in_some_window - {"old-original"}                     # the recent articles have a window too
    whole = [s for s in history if s.article_id in in_some_window]
    rows = queries.signatures_between(db, long_ago - timedelta(days=1), T0 + timedelta(days=30))
    whole_clusters = {r["article_id"]: r["member_cluster_id"] for r in rows if r["member_cluster_id"]}
    a = assign_clusters(new, whole, whole_clusters, window_hours=72)
    p = assign_clusters(new, pool, clusters, window_hours=72)
    assert _outcome(p) == _outcome(a)
    placed = {m.article_id: m.cluster_id for m in p.memberships}
    assert placed["old-late-copy"] == whole_clusters["old-original"]
