"""The straightforward (per paragraph, per article, dictionary-probing) definitions of the dedupe
hashing, candidate search, templates and canonical choice, as they were before they were
vectorised. tests/test_dedupe.py checks that tasks/dedupe.py gives the same values, pair sets and
choices; nothing else imports this module.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
import regex

from tasks.dedupe import (
    DEFAULT,
    LEAD_TOKENS,
    LEAD_WORD_PARAS,
    NUM_PERM,
    PARA_HEAD,
    PARA_HEAD_MIN,
    WEEKDAYS,
    ClusterInfo,
    DedupeResult,
    Membership,
    Params,
    PartialReuse,
    Signature,
    _in_window,
    _mix,
    _order_key,
    _permutations,
    _View,
    content_word,
    joins_canonical,
    score_pair,
    uncounted,
    word_hash,
)
from warehouse.arabic import (
    _CHAR_MAP,
    _DIGITS_ONLY,
    COMPOUNDS,
    KEY_SPELLINGS,
    KEY_WORD_ENDS,
    PERSIAN_LETTERS,
    SEAT_FOLD,
    fold_number_tokens,
    spelling_variants,
)

_MERSENNE = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64(0xFFFFFFFF)
_NUMBER_TOKEN = re.compile(r"\S*\d\S*")
_MARKS = regex.compile(r"[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u08D3-\u08FF]")
_FORMAT = regex.compile(r"\p{Cf}")
_WORD = regex.compile(r"\w+")


# --- warehouse.arabic ------------------------------------------------------------------------------


def clean_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _FORMAT.sub("", text)
    text = text.replace("\u0640", "")
    text = _MARKS.sub("", text)
    return text.translate(_DIGITS_ONLY)


def normalize_text(text: str) -> str:
    return clean_text(text).translate(_CHAR_MAP).casefold()


def fold_token(token: str) -> str:
    for variant, canonical in spelling_variants():
        if variant in token:
            token = token.replace(variant, canonical)
    return token


def tokens(text: str) -> list[str]:
    return [fold_token(t) for t in _WORD.findall(normalize_text(text))]


def key_tokens(text: str) -> list[str]:
    key = normalize_text(text).translate(str.maketrans({**SEAT_FOLD, **PERSIAN_LETTERS}))
    for old, new in KEY_SPELLINGS:
        key = key.replace(old, new)
    for old, new in KEY_WORD_ENDS:
        key = regex.sub(old + r"(?!\p{L})", new, key)
    key = regex.sub(r"(?<![0-9])[0-9]{1,3}(?:[,\u060c][0-9]{3})+(?![0-9])",
                    lambda m: regex.sub(r"[,\u060c]", "", m.group()), key)
    for pattern in COMPOUNDS:
        key = regex.sub(r"(?<!\p{L})" + pattern, r"\1 \2", key)
    # letters and digits apart, then numbers as digits (the number grammar itself is tested on its
    # own in tests/test_arabic.py)
    words = [w for t in _WORD.findall(key) for w in regex.findall(r"[0-9]+|[^\W0-9]+", fold_token(t))]
    return fold_number_tokens(words)


# --- signatures ------------------------------------------------------------------------------------


def _h64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def shingle_hashes(toks: list[str], k: int = 5) -> np.ndarray:
    if not toks:
        return np.zeros(0, dtype=np.uint64)
    th = np.fromiter((_h64(t) for t in toks), dtype=np.uint64, count=len(toks))
    k = min(k, len(th))
    n = len(th) - k + 1
    acc = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(k):
            acc = acc * np.uint64(0x100000001B3) + th[i : i + n]
        return _mix(acc)


def _signed(arr: np.ndarray) -> list[int]:
    return arr.astype(np.uint64).view(np.int64).tolist()


def minhash(hashes: np.ndarray, num_perm: int = NUM_PERM) -> np.ndarray:
    if len(hashes) == 0:
        return np.full(num_perm, _MAX32, dtype=np.uint64)
    a, b = _permutations(num_perm)
    hv = (hashes & _MAX32)[:, None]
    with np.errstate(over="ignore"):
        phv = ((hv * a + b) % _MERSENNE) & _MAX32
    return phv.min(axis=0)


def make_signature(article_id, source_id, published_at, text, title=None) -> Signature:
    from tasks.attribution import strip_for_key

    paragraphs = strip_for_key(text.split("\n"))
    if not paragraphs and title:
        paragraphs = [title]
    para_tokens = [t for t in (key_tokens(p) for p in paragraphs) if t]
    all_tokens = [t for p in para_tokens for t in p]
    shingles: list[int] = []
    offsets: list[int] = []
    para_hashes: list[int] = []
    para_exact: list[int] = []
    for toks in para_tokens:
        offsets.append(len(shingles))
        para_hashes.append(_h64(" ".join("0" if t in WEEKDAYS or _NUMBER_TOKEN.fullmatch(t) else t for t in toks)))
        para_exact.append(_h64(" ".join(toks)))
        shingles.extend(dict.fromkeys(_signed(shingle_hashes(toks))))
    heads = [h for toks in para_tokens if len(toks) >= PARA_HEAD_MIN
             for h in list(dict.fromkeys(shingle_hashes(toks).tolist()))[:PARA_HEAD]]
    window = shingle_hashes(all_tokens[:LEAD_TOKENS]) if len(all_tokens) >= 5 else np.zeros(0, dtype=np.uint64)
    lead = _signed(np.unique(np.concatenate((window, np.array(heads, dtype=np.uint64)))))
    mh = minhash(np.array(shingles, dtype=np.int64).view(np.uint64))
    # per paragraph of the first three: its distinct content words, the paragraph's index in the
    # hash's low bits, no count bit on a figure given as a round one
    words = [h | j for j, toks in enumerate(para_tokens[:LEAD_WORD_PARAS])
             for h in dict.fromkeys(word_hash(w) & ~(4 if uncounted(toks, i) else 0)
                                    for i, w in enumerate(map(content_word, toks)) if w is not None)]

    def signed_ints(values: list[int]) -> list[int]:
        return _signed(np.array(values, dtype=np.uint64)) if values else []

    return Signature(
        article_id=article_id, source_id=source_id, published_at=published_at,
        key_hash=hashlib.sha256(" ".join(all_tokens).encode("utf-8")).hexdigest()[:16],
        n_tokens=len(all_tokens), para_hashes=signed_ints(para_hashes), para_exact=signed_ints(para_exact),
        para_offsets=offsets, shingles=shingles, lead=lead, minhash=mh.astype(np.int64).tolist(),
        lead_words=signed_ints(words),
    )


# --- candidates, templates, canonical ---------------------------------------------------------------


def candidates(sigs: list[Signature], params: Params) -> dict[str, set[str]]:
    """What probing a dictionary index of every signature returns for each of them."""
    bands, lead, keys = defaultdict(list), defaultdict(list), defaultdict(list)

    def band_keys(mh: list[int]) -> list[tuple]:
        r = params.lsh_rows
        return [(i, tuple(mh[i * r : (i + 1) * r])) for i in range(params.lsh_bands)]

    for s in sigs:
        if s.n_tokens < params.min_tokens:
            continue
        for key in band_keys(s.minhash):
            bands[key].append(s.article_id)
        for h in s.lead:
            lead[h].append(s.article_id)
        keys[s.key_hash].append(s.article_id)
    out = {}
    for s in sigs:
        if s.n_tokens < params.min_tokens:
            out[s.article_id] = set()
            continue
        found = set(keys.get(s.key_hash, ()))
        for key in band_keys(s.minhash):
            found.update(bands.get(key, ()))
        hits: Counter = Counter()
        for h in s.lead:
            hits.update(lead.get(h, ()))
        found.update(a for a, n in hits.items() if n >= params.lead_min_shared)
        found.discard(s.article_id)
        out[s.article_id] = found
    return out


def find_templates(sigs: list[Signature], params: Params) -> set[int]:
    """Templates counted with a loop over every signature's paragraphs (holders per paragraph)."""
    from tasks.dedupe import _story_count

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


def canonical(members: list[_View], agency_source_ids: frozenset[str]) -> str:
    """The canonical-copy choice with per-5-gram dictionaries (see tasks.dedupe.choose_canonical)."""
    own = [v for v in members if v.sig.source_id in agency_source_ids]

    def order(sig: Signature) -> tuple:
        return (sig.published_at.timestamp() if sig.published_at else float("inf"), sig.article_id)

    if own:
        return min(own, key=lambda v: order(v.sig)).sig.article_id
    if len(members) == 1:
        return members[0].sig.article_id
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
        ts, aid = order(v.sig)
        return (round(cov * pur, 6), -ts, len(v.full), tuple(-ord(c) for c in aid))

    return max(members, key=merit).sig.article_id


# --- the whole placement loop, from the pieces above ------------------------------------------------


@dataclass
class EagerView:
    """A signature with template paragraphs removed, built at once (tasks.dedupe._View is lazy)."""

    sig: Signature
    full: frozenset[int]
    paras: list[frozenset[int]]
    filled: dict[int, frozenset[int]]

    def fillings(self) -> dict[int, frozenset[int]]:
        return self.filled


def view(sig: Signature, templates: set[int], params: Params) -> EagerView:
    filled: dict[int, set[int]] = {}
    for h, e, p in zip(sig.para_hashes, sig.para_exact, sig.paragraphs, strict=True):
        if len(p) >= params.para_min_shingles:
            filled.setdefault(h, set()).add(e)
    fillings = {h: frozenset(v) for h, v in filled.items()}
    if not templates or not templates.intersection(sig.para_hashes):
        return EagerView(sig, sig.shingle_set, [p for p in sig.paragraphs if len(p) >= params.para_min_shingles], fillings)
    keep = [p for h, p in zip(sig.para_hashes, sig.paragraphs, strict=True) if h not in templates]
    full = frozenset().union(*keep) if keep else frozenset()
    return EagerView(sig, full, [p for p in keep if len(p) >= params.para_min_shingles], fillings)


def assign_clusters(new: list[Signature], existing: list[Signature], existing_clusters: dict[str, str],
                    agency_source_ids: frozenset[str] = frozenset(), params: Params = DEFAULT,
                    rescore_existing: bool = False) -> DedupeResult:
    """tasks.dedupe.assign_clusters as it was written before it was vectorised (dictionary index,
    per-paragraph template counting, canonical merit with dictionaries, eager views)."""
    sigs: dict[str, Signature] = {s.article_id: s for s in existing}
    sigs.update({s.article_id: s for s in new})
    cluster_of = {aid: existing_clusters.get(aid, aid) for aid in sigs if aid in existing_clusters}
    for s in existing:
        cluster_of.setdefault(s.article_id, s.article_id)
    templates = find_templates(list(sigs.values()), params)
    views: dict[str, EagerView] = {}

    def v(aid: str) -> EagerView:
        if aid not in views:
            views[aid] = view(sigs[aid], templates, params)
        return views[aid]

    members: dict[str, list[str]] = defaultdict(list)
    for aid, cid in cluster_of.items():
        members[cid].append(aid)
    canon_of: dict[str, str] = {}

    def canon(cid: str) -> str:
        if cid not in canon_of:
            canon_of[cid] = canonical([v(a) for a in sorted(members[cid])], agency_source_ids)
        return canon_of[cid]

    found = candidates(list(sigs.values()), params)
    touched: set[str] = set()
    relations: list[PartialReuse] = []
    for sig in sorted((s for s in new if s.article_id not in cluster_of), key=_order_key):
        x = v(sig.article_id)
        best: dict[str, tuple] = {}
        overlaps = []
        for cand in sorted(found[sig.article_id]):
            if cand not in cluster_of or not _in_window(sig, sigs[cand], params.window_hours):
                continue
            score = score_pair(x, v(cand), params)
            if score.is_copy:
                cid = cluster_of[cand]
                if cid not in best or (score.containment, score.shared) > (best[cid][0].containment, best[cid][0].shared):
                    best[cid] = (score, cand)
            overlaps.append((cand, score))
        joined = None
        for cid, _ in sorted(best.items(), key=lambda kv: (-kv[1][0].containment, kv[0])):
            if joins_canonical(score_pair(x, v(canon(cid)), params), params):
                joined = cid
                break
        cid = joined or sig.article_id
        cluster_of[sig.article_id] = cid
        members[cid].append(sig.article_id)
        canon_of.pop(cid, None)
        touched.add(cid)
        for cand, score in overlaps:
            if cluster_of[cand] != cid and score.matched_paragraphs >= 1 and score.shared >= params.partial_min_shared:
                relations.append(PartialReuse(sig.article_id, cand, score.matched_paragraphs,
                                              round(score.containment, 4), score.shared))
    if rescore_existing:
        touched.update(cluster_of[s.article_id] for s in new if s.article_id in existing_clusters)

    def measure(cid: str) -> list[Membership]:
        vs = [v(a) for a in sorted(members[cid])]
        head = canonical(vs, agency_source_ids)
        out = []
        for w in vs:
            if w.sig.article_id == head:
                out.append(Membership(head, cid, True, 1.0, 1.0, len(w.paras)))
            else:
                s = score_pair(w, v(head), params)
                out.append(Membership(w.sig.article_id, cid, False, round(s.jaccard, 4), round(s.containment, 4),
                                      s.matched_paragraphs))
        return out

    result = DedupeResult(partial_reuse=relations, templates=templates)
    for cid in sorted(touched):
        vs = [v(a) for a in sorted(members[cid])]
        head = canonical(vs, agency_source_ids)
        own = any(w.sig.source_id in agency_source_ids for w in vs)
        result.clusters.append(ClusterInfo(cid, head, len(members[cid]), "agency_copy" if own else "most_complete"))
        result.memberships.extend(measure(cid))
    reported = {m.article_id for m in result.memberships}
    for s in new:
        if s.article_id not in reported:
            result.memberships.extend(m for m in measure(cluster_of[s.article_id]) if m.article_id == s.article_id)
    return result
