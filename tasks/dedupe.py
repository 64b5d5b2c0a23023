"""Wire-copy clustering: signatures, candidate search, verification, incremental clusters.

Pure functions: no DB, no Prefect. The warehouse stores `Signature.to_row()` and hands the rows back
next run together with the article -> cluster map, so each run only places the new articles.

Pipeline per new article (in publication order):
1. candidates: MinHash LSH banded for recall at low Jaccard (42 bands x 3 rows), a lead-5-gram index
   (short teasers fall under every band) and the exact key hash, restricted to +-window_hours;
2. verification on exact 5-gram sets: min-containment plus a paragraph guard (two stories sharing one
   background paragraph are not copies); paragraphs recurring across unrelated stories (templates) are
   removed from both sides first;
3. join: the best verified cluster, provided the article also overlaps that cluster's canonical copy
   (stops chaining through a roundup that quotes two stories); else found a new cluster whose id is
   the article id. Overlaps that are not copies are kept as partial-reuse relations.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from functools import cached_property, lru_cache

import numpy as np

from tasks.attribution import strip_for_key
from warehouse.arabic import tokens

SIG_VERSION = 1
SHINGLE = 5
NUM_PERM = 128
LEAD_TOKENS = 50
_MERSENNE = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64(0xFFFFFFFF)
_NUMBER_TOKEN = re.compile(r"\S*\d\S*")  # keys are already normalised: ASCII digits only


@dataclass(frozen=True)
class Params:
    """Calibrated on the dev web and the SemEval Arabic pairs (bench/RESULTS.md, "Dedupe")."""

    window_hours: float = 72.0
    lsh_bands: int = 42
    lsh_rows: int = 3
    lead_min_shared: int = 3
    min_tokens: int = 12  # below this a text is a headline/teaser stub: never matched
    min_containment: float = 0.5
    para_containment: float = 0.5  # a paragraph "matches" if this share of its 5-grams is in the other doc
    para_min_shingles: int = 3  # paragraphs shorter than this never count as evidence
    min_matched_paragraphs: int = 2
    short_doc_paragraphs: int = 2  # shorter doc this short: accept on containment alone ...
    short_doc_containment: float = 0.7  # ... if it is this high ...
    min_shared_shingles: int = 25  # ... and enough 5-grams are shared
    jaccard_accept: float = 0.5
    canonical_min_containment: float = 0.3  # chaining guard
    partial_min_shared: int = 10
    template_min_docs: int = 3  # a paragraph in >= this many articles ...
    template_min_stories: int = 3  # ... of >= this many unrelated stories is a template
    template_story_containment: float = 0.3
    template_min_remainder: float = 0.35  # a holder counts as its own story if this share of it is its own
    template_max_holders: int = 60


DEFAULT = Params()


# --- hashing ------------------------------------------------------------------------------------


def _h64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


@lru_cache(maxsize=500_000)
def _token_hash(token: str) -> int:
    return _h64(token)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads the polynomial combination over all 64 bits."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def shingle_hashes(toks: list[str], k: int = SHINGLE) -> np.ndarray:
    """Unsigned 64-bit hashes of word k-grams; a text shorter than k gives one hash of all its tokens."""
    if not toks:
        return np.zeros(0, dtype=np.uint64)
    th = np.fromiter((_token_hash(t) for t in toks), dtype=np.uint64, count=len(toks))
    k = min(k, len(th))
    n = len(th) - k + 1
    acc = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(k):
            acc = acc * np.uint64(0x100000001B3) + th[i : i + n]
        return _mix(acc)


def _signed(arr: np.ndarray) -> list[int]:
    """uint64 -> int64 list (DuckDB BIGINT / Arrow int64 friendly)."""
    return arr.astype(np.uint64).view(np.int64).tolist()


@lru_cache(maxsize=4)
def _permutations(num_perm: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    # Same generator scheme as datasketch.MinHash (a, b < 2^61-1 from RandomState(seed)).
    gen = np.random.RandomState(seed)
    ab = np.array(
        [(gen.randint(1, _MERSENNE, dtype=np.uint64), gen.randint(0, _MERSENNE, dtype=np.uint64)) for _ in range(num_perm)],
        dtype=np.uint64,
    ).T
    return ab[0], ab[1]


def minhash(hashes: np.ndarray, num_perm: int = NUM_PERM) -> np.ndarray:
    """MinHash over the low 32 bits of the shingle hashes (datasketch-style universal hashing)."""
    if len(hashes) == 0:
        return np.full(num_perm, _MAX32, dtype=np.uint64)
    a, b = _permutations(num_perm)
    hv = (hashes & _MAX32)[:, None]
    with np.errstate(over="ignore"):
        phv = ((hv * a + b) % _MERSENNE) & _MAX32
    return phv.min(axis=0)


# --- signatures ---------------------------------------------------------------------------------


@dataclass
class Signature:
    """Everything dedupe needs about one article; persisted as one `article_signatures` row."""

    article_id: str
    source_id: str
    published_at: datetime | None
    key_hash: str  # sha256[:16] of the whole normalised key: the exact layer
    n_tokens: int
    para_hashes: list[int]  # per matching paragraph, digit-masked key hash (template detection)
    para_exact: list[int]  # per matching paragraph, exact key hash (numbers kept)
    para_offsets: list[int]  # start of each paragraph's run in `shingles`
    shingles: list[int]  # 5-gram hashes (int64), paragraph by paragraph, unique within a paragraph
    lead: list[int]  # 5-gram hashes of the first LEAD_TOKENS tokens
    minhash: list[int]  # NUM_PERM values < 2^32
    version: int = SIG_VERSION

    def to_row(self) -> dict:
        return {
            "article_id": self.article_id,
            "source_id": self.source_id,
            "published_at": self.published_at,
            "key_hash": self.key_hash,
            "n_tokens": self.n_tokens,
            "para_hashes": list(self.para_hashes),
            "para_exact": list(self.para_exact),
            "para_offsets": list(self.para_offsets),
            "shingles": list(self.shingles),
            "lead": list(self.lead),
            "minhash": list(self.minhash),
            "version": self.version,
        }

    @classmethod
    def from_row(cls, row: dict) -> Signature:
        return cls(
            article_id=str(row["article_id"]),
            source_id=str(row["source_id"]),
            published_at=row.get("published_at"),
            key_hash=str(row["key_hash"]),
            n_tokens=int(row["n_tokens"]),
            para_hashes=[int(x) for x in row["para_hashes"]],
            para_exact=[int(x) for x in row["para_exact"]],
            para_offsets=[int(x) for x in row["para_offsets"]],
            shingles=[int(x) for x in row["shingles"]],
            lead=[int(x) for x in row["lead"]],
            minhash=[int(x) for x in row["minhash"]],
            version=int(row.get("version", SIG_VERSION)),
        )

    @cached_property
    def shingle_set(self) -> frozenset[int]:
        return frozenset(self.shingles)

    @cached_property
    def paragraphs(self) -> list[frozenset[int]]:
        ends = self.para_offsets[1:] + [len(self.shingles)]
        return [frozenset(self.shingles[s:e]) for s, e in zip(self.para_offsets, ends, strict=True)]


def _masked_para_hash(toks: list[str]) -> int:
    # Digits masked: templated paragraphs (daily tallies) differ only in their numbers.
    return _h64(_NUMBER_TOKEN.sub("0", " ".join(toks)))


def make_signature(
    article_id: str,
    source_id: str,
    published_at: datetime | None,
    text: str,
    title: str | None = None,
) -> Signature:
    """Signature of an article body (paragraphs separated by "\\n").

    The title is not shingled (headline rewrites are the most common perturbation); it stands in for
    the body only when the body is empty.
    """
    paragraphs = strip_for_key(text.split("\n"))
    if not paragraphs and title:
        paragraphs = [title]
    para_tokens = [t for t in (tokens(p) for p in paragraphs) if t]
    all_tokens = [t for p in para_tokens for t in p]
    shingles: list[int] = []
    offsets: list[int] = []
    para_hashes: list[int] = []
    para_exact: list[int] = []
    for toks in para_tokens:
        offsets.append(len(shingles))
        para_hashes.append(_masked_para_hash(toks))
        para_exact.append(_h64(" ".join(toks)))
        seen: dict[int, None] = dict.fromkeys(_signed(shingle_hashes(toks)))
        shingles.extend(seen)
    lead = _signed(np.unique(shingle_hashes(all_tokens[:LEAD_TOKENS]))) if len(all_tokens) >= SHINGLE else []
    mh = minhash(np.array(shingles, dtype=np.int64).view(np.uint64))
    return Signature(
        article_id=article_id,
        source_id=source_id,
        published_at=published_at,
        key_hash=hashlib.sha256(" ".join(all_tokens).encode("utf-8")).hexdigest()[:16],
        n_tokens=len(all_tokens),
        para_hashes=_signed_ints(para_hashes),
        para_exact=_signed_ints(para_exact),
        para_offsets=offsets,
        shingles=shingles,
        lead=lead,
        minhash=mh.astype(np.int64).tolist(),
    )


def _signed_ints(values: list[int]) -> list[int]:
    return _signed(np.array(values, dtype=np.uint64)) if values else []


# --- verification -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairScore:
    is_copy: bool
    jaccard: float
    containment: float  # |A∩B| / min(|A|, |B|)
    matched_paragraphs: int
    shared: int


@dataclass
class _View:
    """A signature with template paragraphs removed (per run: templates depend on the pool)."""

    sig: Signature
    full: frozenset[int]
    paras: list[frozenset[int]]  # non-template paragraphs with enough shingles to be evidence


def _view(sig: Signature, templates: set[int], params: Params) -> _View:
    if not templates or not templates.intersection(sig.para_hashes):
        paras = [p for p in sig.paragraphs if len(p) >= params.para_min_shingles]
        return _View(sig, sig.shingle_set, paras)
    keep = [p for h, p in zip(sig.para_hashes, sig.paragraphs, strict=True) if h not in templates]
    full = frozenset().union(*keep) if keep else frozenset()
    return _View(sig, full, [p for p in keep if len(p) >= params.para_min_shingles])


def _matched(paras: list[frozenset[int]], other: frozenset[int], threshold: float) -> int:
    return sum(1 for p in paras if len(p & other) >= threshold * len(p))


def score_pair(a: _View, b: _View, params: Params = DEFAULT) -> PairScore:
    if not a.full or not b.full:
        return PairScore(False, 0.0, 0.0, 0, 0)
    shared = len(a.full & b.full)
    if shared == 0:
        return PairScore(False, 0.0, 0.0, 0, 0)
    jac = shared / (len(a.full) + len(b.full) - shared)
    cont = shared / min(len(a.full), len(b.full))
    matched = max(
        _matched(a.paras, b.full, params.para_containment),
        _matched(b.paras, a.full, params.para_containment),
    )
    shorter = a if len(a.full) <= len(b.full) else b
    is_copy = cont >= params.min_containment and (
        matched >= params.min_matched_paragraphs
        or (
            len(shorter.paras) <= params.short_doc_paragraphs
            and cont >= params.short_doc_containment
            and shared >= params.min_shared_shingles
        )
    )
    is_copy = is_copy or (jac >= params.jaccard_accept and shared >= params.min_shared_shingles)
    return PairScore(is_copy, jac, cont, matched, shared)


def compare(a: Signature, b: Signature, params: Params = DEFAULT, templates: set[int] | None = None) -> PairScore:
    """Verify one pair; `templates` (from `find_templates` over a pool) are removed from both sides."""
    t = templates or set()
    return score_pair(_view(a, t, params), _view(b, t, params), params)


# --- templates ----------------------------------------------------------------------------------


def _story_count(group: list[Signature], h: int, templates: set[int], params: Params) -> int:
    """How many unrelated stories hold paragraph h.

    Furniture = h plus every paragraph that two holders share. A holder whose remainder is small is
    a copy of something (wire copies are almost all shared paragraphs) and does not count; the rest
    are grouped when their remainders overlap.
    """
    seen: dict[int, int] = defaultdict(int)
    for s in group:
        for ph in set(s.para_hashes):
            seen[ph] += 1
    furniture = templates | {ph for ph, n in seen.items() if n >= 2} | {h}
    views = []
    for s in group:
        v = _view(s, furniture, params)
        if v.full and len(v.full) >= params.template_min_remainder * len(s.shingle_set):
            views.append(v)
    parent = list(range(len(views)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(views)):
        for j in range(i + 1, len(views)):
            a, b = views[i].full, views[j].full
            if len(a & b) >= params.template_story_containment * min(len(a), len(b)):
                parent[find(i)] = find(j)
    return len({find(i) for i in range(len(views))})


def find_templates(sigs: Iterable[Signature], params: Params = DEFAULT) -> set[int]:
    """Digit-masked paragraph hashes that act as templates in the pool.

    A paragraph held by >= template_min_docs articles is a template when
    (a) it comes in >= template_min_stories different number fillings (daily tallies), or
    (b) its holders form >= template_min_stories groups that do not overlap outside it and the
        templates of (a) (disclaimers, recycled background on unrelated stories).
    Copies of one wire story overlap everywhere else, so their paragraphs are never templates.
    """
    holders: dict[int, list[Signature]] = defaultdict(list)
    fillings: dict[int, set[int]] = defaultdict(set)
    for s in sigs:
        for h, exact in zip(s.para_hashes, s.para_exact, strict=True):
            if not holders[h] or holders[h][-1] is not s:
                holders[h].append(s)
            fillings[h].add(exact)
    frequent = sorted(h for h, v in holders.items() if len(v) >= params.template_min_docs)
    templates = {h for h in frequent if len(fillings[h]) >= params.template_min_stories}
    for h in frequent:
        if h in templates:
            continue
        group = sorted(holders[h], key=lambda s: s.article_id)[: params.template_max_holders]
        if _story_count(group, h, templates, params) >= params.template_min_stories:
            templates.add(h)
    return templates


# --- candidate index ----------------------------------------------------------------------------


class CandidateIndex:
    """LSH bands over MinHash + an exact index of lead 5-grams + the exact key hash."""

    def __init__(self, params: Params = DEFAULT) -> None:
        self.params = params
        self.bands: dict[tuple, list[str]] = defaultdict(list)
        self.lead: dict[int, list[str]] = defaultdict(list)
        self.keys: dict[str, list[str]] = defaultdict(list)

    def _band_keys(self, mh: list[int]) -> list[tuple]:
        r = self.params.lsh_rows
        return [(i, tuple(mh[i * r : (i + 1) * r])) for i in range(self.params.lsh_bands)]

    def add(self, sig: Signature) -> None:
        if sig.n_tokens < self.params.min_tokens:
            return
        for key in self._band_keys(sig.minhash):
            self.bands[key].append(sig.article_id)
        for h in sig.lead:
            self.lead[h].append(sig.article_id)
        self.keys[sig.key_hash].append(sig.article_id)

    def query(self, sig: Signature) -> set[str]:
        if sig.n_tokens < self.params.min_tokens:
            return set()
        found: set[str] = set(self.keys.get(sig.key_hash, ()))
        for key in self._band_keys(sig.minhash):
            found.update(self.bands.get(key, ()))
        lead_hits: dict[str, int] = defaultdict(int)
        for h in sig.lead:
            for aid in self.lead.get(h, ()):
                lead_hits[aid] += 1
        found.update(a for a, n in lead_hits.items() if n >= self.params.lead_min_shared)
        found.discard(sig.article_id)
        return found


# --- clustering ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Membership:
    article_id: str
    cluster_id: str
    is_canonical: bool
    similarity: float  # 5-gram Jaccard against the cluster canonical
    containment: float  # 5-gram min-containment against the canonical
    matched_paragraphs: int


@dataclass(frozen=True)
class PartialReuse:
    article_id: str  # the later article, which quotes ...
    source_article_id: str  # ... paragraphs of this one
    shared_paragraphs: int
    containment: float
    shared_shingles: int


@dataclass(frozen=True)
class ClusterInfo:
    cluster_id: str
    canonical_article_id: str
    size: int  # members whose signatures were available this run
    canonical_rule: str  # agency_copy | most_complete


@dataclass
class DedupeResult:
    memberships: list[Membership] = field(default_factory=list)
    partial_reuse: list[PartialReuse] = field(default_factory=list)
    clusters: list[ClusterInfo] = field(default_factory=list)
    templates: set[int] = field(default_factory=set)

    def cluster_of(self) -> dict[str, str]:
        return {m.article_id: m.cluster_id for m in self.memberships}

    def rows(self) -> dict[str, list[dict]]:
        """Plain dict rows per table (memberships, partial_reuse, clusters) for Arrow/DuckDB."""
        return {
            "memberships": [asdict(m) for m in self.memberships],
            "partial_reuse": [asdict(p) for p in self.partial_reuse],
            "clusters": [asdict(c) for c in self.clusters],
        }


def _order_key(sig: Signature) -> tuple:
    ts = sig.published_at.timestamp() if sig.published_at else float("inf")
    return (ts, sig.article_id)


def _in_window(a: Signature, b: Signature, hours: float) -> bool:
    # Unknown dates match anything: a missing date must not hide a copy (pass fetched_at if known).
    if a.published_at is None or b.published_at is None:
        return True
    return abs(a.published_at - b.published_at) <= timedelta(hours=hours)


def choose_canonical(members: list[_View], agency_source_ids: frozenset[str]) -> tuple[str, str]:
    """(article_id, rule). The agency's own copy if ingested (earliest), else the most complete copy.

    Most complete = max coverage x purity: coverage is the mean share of the other copies' 5-grams found
    in the candidate, purity the share of its 5-grams found in some other copy (outlet additions lower
    it). Ties (a two-copy cluster always ties): earliest, then more 5-grams, then article id; the
    first version of a story is usually the wire text, later ones add roundup or local material.
    """
    own = [v for v in members if v.sig.source_id in agency_source_ids]
    if own:
        return min(own, key=lambda v: _order_key(v.sig)).sig.article_id, "agency_copy"
    if len(members) == 1:
        return members[0].sig.article_id, "most_complete"

    # One pass over the members' 5-grams instead of every pair: for a 5-gram s, count[s] is how
    # many members hold it and weight[s] the sum of 1/|member| over them. Then for member v,
    # sum over the others o of |v & o|/|o| = sum(weight[s] for s in v) - 1, and v's 5-grams found
    # in some other member are those with count >= 2.
    nonempty = [o.full for o in members if o.full]
    count: Counter[int] = Counter()
    weight: dict[int, float] = defaultdict(float)
    for full in nonempty:
        count.update(full)
        inv = 1.0 / len(full)
        for h in full:
            weight[h] += inv

    def merit(v: _View) -> tuple:
        n_others = len(nonempty) - (1 if v.full else 0)
        if v.full:
            cov = (sum(weight[h] for h in v.full) - 1.0) / max(n_others, 1)
            pur = sum(1 for h in v.full if count[h] >= 2) / len(v.full)
        else:
            cov = pur = 0.0
        ts, aid = _order_key(v.sig)
        return (round(cov * pur, 6), -ts, len(v.full), _neg(aid))

    return max(members, key=merit).sig.article_id, "most_complete"


def _neg(s: str) -> tuple:
    return tuple(-ord(c) for c in s)


def assign_clusters(
    new: list[Signature],
    existing: list[Signature],
    existing_clusters: dict[str, str],
    window_hours: float | None = None,
    agency_source_ids: Iterable[str] = (),
    params: Params = DEFAULT,
    rescore_existing: bool = False,
) -> DedupeResult:
    """Place `new` articles into clusters, keeping every existing assignment (and cluster id) fixed.

    `existing` should hold the signatures of articles published within the window, including all
    members of clusters active in it. Articles of `new` already in `existing_clusters` keep their
    cluster (re-running a batch is a no-op). New articles are placed in publication order, so one
    batch and two runs split by time give the same clusters.

    Returns memberships for every available member of each touched cluster, measured against the
    cluster's canonical copy at the end of the run (upsert them), partial-reuse relations found for
    new articles, and per-cluster info.

    rescore_existing: re-submitted articles (re-extracted text, same id) still keep their cluster,
    but their clusters count as touched: canonical copy, info and every member's measurements are
    recomputed from the current signatures (used by reprocess).
    """
    if window_hours is not None:
        params = Params(**{**params.__dict__, "window_hours": window_hours})
    agency_ids = frozenset(agency_source_ids)
    sigs: dict[str, Signature] = {s.article_id: s for s in existing}
    sigs.update({s.article_id: s for s in new})
    cluster_of: dict[str, str] = {aid: existing_clusters.get(aid, aid) for aid in sigs if aid in existing_clusters}
    for s in existing:
        cluster_of.setdefault(s.article_id, s.article_id)  # unclustered history: its own singleton

    templates = find_templates(sigs.values(), params)
    views: dict[str, _View] = {}

    def view(aid: str) -> _View:
        if aid not in views:
            views[aid] = _view(sigs[aid], templates, params)
        return views[aid]

    members: dict[str, list[str]] = defaultdict(list)
    for aid, cid in cluster_of.items():
        members[cid].append(aid)
    canonical: dict[str, str] = {}

    def canon(cid: str) -> str:
        if cid not in canonical:
            canonical[cid] = choose_canonical([view(a) for a in sorted(members[cid])], agency_ids)[0]
        return canonical[cid]

    index = CandidateIndex(params)
    for s in sigs.values():
        index.add(s)

    touched: set[str] = set()
    relations: list[PartialReuse] = []
    todo = sorted((s for s in new if s.article_id not in cluster_of), key=_order_key)
    for sig in todo:
        x = view(sig.article_id)
        best: dict[str, tuple[PairScore, str]] = {}
        overlaps: list[tuple[str, PairScore]] = []
        for cand in sorted(index.query(sig)):
            if cand not in cluster_of or not _in_window(sig, sigs[cand], params.window_hours):
                continue
            score = score_pair(x, view(cand), params)
            if score.is_copy:
                cid = cluster_of[cand]
                if cid not in best or (score.containment, score.shared) > (best[cid][0].containment, best[cid][0].shared):
                    best[cid] = (score, cand)
            overlaps.append((cand, score))
        joined: str | None = None
        for cid, (_score, _cand) in sorted(best.items(), key=lambda kv: (-kv[1][0].containment, kv[0])):
            head = canon(cid)
            guard = score_pair(x, view(head), params)
            if guard.containment >= params.canonical_min_containment:
                joined = cid
                break
        cid = joined or sig.article_id
        cluster_of[sig.article_id] = cid
        members[cid].append(sig.article_id)
        canonical.pop(cid, None)
        touched.add(cid)
        for cand, score in overlaps:
            if cluster_of[cand] == cid:
                continue
            if score.matched_paragraphs >= 1 and score.shared >= params.partial_min_shared:
                relations.append(
                    PartialReuse(sig.article_id, cand, score.matched_paragraphs, round(score.containment, 4), score.shared)
                )

    if rescore_existing:
        touched.update(cluster_of[s.article_id] for s in new if s.article_id in existing_clusters)
    result = DedupeResult(partial_reuse=relations, templates=templates)
    for cid in sorted(touched):
        head, rule = choose_canonical([view(a) for a in sorted(members[cid])], agency_ids)
        result.clusters.append(ClusterInfo(cid, head, len(members[cid]), rule))
        result.memberships.extend(_measure(cid, members[cid], view, agency_ids, params))
    # Re-submitted articles keep their cluster; report them too so a re-run is visibly a no-op.
    reported = {m.article_id for m in result.memberships}
    for s in new:
        if s.article_id not in reported:
            cid = cluster_of[s.article_id]
            result.memberships.extend(
                m for m in _measure(cid, members[cid], view, agency_ids, params) if m.article_id == s.article_id
            )
    return result


def _measure(
    cid: str, ids: list[str], view: Callable[[str], _View], agency_ids: frozenset[str], params: Params
) -> list[Membership]:
    """Memberships of one cluster, each measured against the cluster's canonical copy."""
    vs = [view(a) for a in sorted(ids)]
    head, _ = choose_canonical(vs, agency_ids)
    hv = view(head)
    out = []
    for v in vs:
        if v.sig.article_id == head:
            out.append(Membership(head, cid, True, 1.0, 1.0, len(v.paras)))
        else:
            s = score_pair(v, hv, params)
            out.append(Membership(v.sig.article_id, cid, False, round(s.jaccard, 4), round(s.containment, 4), s.matched_paragraphs))
    return out
