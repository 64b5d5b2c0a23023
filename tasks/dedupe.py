"""Wire-copy clustering: signatures, candidate search, verification, incremental clusters.

Pure functions: no DB, no Prefect. The warehouse stores `Signature.to_row()` and hands the rows back
next run together with the article -> cluster map, so each run only places the new articles. Each
row carries the key's `SIG_VERSION`: a change of what a text hashes to bumps it, and the first load
after the upgrade re-signs the stored rows of older versions from their articles' stored text
(tasks/stories.py `resign_stored`), so the stored window and a new copy are compared on one key.

Pipeline per new article (in publication order):
1. candidates: MinHash LSH banded for recall at low Jaccard (42 bands x 3 rows), a lead-5-gram index
   (the first 50 tokens, for short teasers that fall under every band, and the first two 5-grams of
   every paragraph, for two inner paragraphs pasted under an outlet's own lead) and the exact key
   hash, restricted to +-window_hours;
2. verification on exact 5-gram sets: min-containment plus a paragraph guard (two stories sharing one
   background paragraph are not copies, nor are two that each open with a lead of their own over the
   same closing paragraphs: a follow-up over a story's closing background, or two stories of one desk
   closing with its standing paragraphs; copies share the lead, or rewrite the top of the
   original (one or two paragraphs of their own) over its body, as an update does: `_own_leads`;
   and an update or rewrite names the story's people, places and numbers again, where another
   story of the desk over the same block names its own, and keeps the story's figures where the
   desk's next day's item gives others: `_leads_differ` on `lead_words`); paragraphs recurring across unrelated stories (templates) are
   removed from both sides first, and two texts whose shared numbered paragraphs mostly differ in
   their numbers only are two fillings of one template (two days' tallies), not copies
   (`refilled`); two articles more than a day apart are copies only if the later one is mostly the
   earlier one (a follow-up reuses background paragraphs under its own lead: `_late`);
3. join: the best verified cluster, provided the article also overlaps that cluster's canonical copy
   (stops chaining through a roundup that quotes two stories) and is not a follow-up of it; else
   found a new cluster whose id is the article id. Overlaps that are not copies are kept as
   partial-reuse relations.

Speed: signatures are hashed a batch at a time (`make_signatures`: numpy over all tokens and
5-token windows at once) and the candidate pairs of the whole pool are found with sorts
(`candidate_lists`) instead of per-article dictionary probes; tests/test_dedupe.py checks both
against their straightforward definitions (tests/dedupe_reference.py), bench/dedupe.py that the
cluster output is identical to the per-article code and how it compares with datasketch.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from functools import cached_property, lru_cache
from itertools import chain, compress

import numpy as np

from tasks.attribution import rules_data, strip_for_key
from warehouse.arabic import ARTICLE_PREFIXES, line_tokens, spelling_variants
from warehouse.data_files import data_lines

# The dedupe key's version, stored with every signature: bump it whenever a change alters the
# hashes `sign_paragraphs` gives a text (tokenisation, folds, hashing, lead, paragraphs, or the data
# files the key reads: `key_data`, KEY_DATA_DIGESTS); the next
# load re-signs the stored rows of older versions (tasks/stories.py `resign_stored`). 2: the key
# folds spelling variants (warehouse/arabic.py `fold_key`). 3: numbers as digits, letters and
# digits apart, name transliterations (warehouse/arabic.py `fold_number_tokens`, `KEY_SPELLINGS`).
# 4: the words of the first paragraphs (`Signature.lead_words`, `_batch_lead_words`). 5: their feminine
# nisba and -iya endings off, a first و off under the article too (`content_word`). 6: a count bit
# in the word hashes (`word_hash`, `is_count`). 7: no count bit on a figure given as a round one
# or in thousands groups read apart (`uncounted`: أكثر من 800, نحو 6500; 1.538, 12 412). 8: more agency
# names in warehouse/data/agencies.tsv (the descriptive titles "وكالة الأنباء السورية", "… التونسية", …;
# UPI's "يونايتد برس", Xinhua's "شينهوا"; Europa Press, KCNA, Jiji Press), which `strip_for_key` takes off. 9: APP, PTI, DHA and İhlas
# (Pakistan, India, Turkey) in agencies.tsv.
SIG_VERSION = 9
# The data files the key of each version reads (`key_data`: the words `content_word` drops, the
# spelling variants the tokens fold, the agencies, dateline places and given names `strip_for_key`
# takes datelines, credits and captions off with), each by the digest of what the key read from it
# (`key_data_digests`: parsed, so a comment or blank line changes nothing). tests/test_dedupe_key_data.py fails
# when one differs from the digests recorded for SIG_VERSION: a list edit that can change the key comes
# with a new version (whose first load re-signs the stored rows) and the new digests recorded for it.
KEY_DATA_DIGESTS = {
    6: {
        "tasks/data/dateline_cities.tsv": "f1a6cdb612b018d4",
        "tasks/data/dedupe_stopwords.txt": "ccf362973992ac5e",
        "tasks/data/given_names.txt": "a9587d1cb325d22e",
        "warehouse/data/agencies.tsv": "bceca71722b20add",
        "warehouse/data/spelling_variants.tsv": "1421789b4a5ed6df",
    },
}
KEY_DATA_DIGESTS[7] = KEY_DATA_DIGESTS[6]  # 7 changed the count bit, not the data
KEY_DATA_DIGESTS[8] = {**KEY_DATA_DIGESTS[7], "warehouse/data/agencies.tsv": "47e98a74ae8ba4c6"}
KEY_DATA_DIGESTS[9] = {**KEY_DATA_DIGESTS[8], "warehouse/data/agencies.tsv": "5bb92f99ac2ee010"}
SHINGLE = 5
NUM_PERM = 128
LEAD_TOKENS = 50
PARA_HEAD = 2  # first 5-grams of each paragraph that join the lead (two shared paragraphs: 4 >= lead_min_shared)
PARA_HEAD_MIN = 7  # tokens a paragraph needs for its head to count (three 5-grams)
LEAD_WORD_PARAS = 3  # paragraphs whose content words the signature keeps (`lead_words`)
_MERSENNE = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64(0xFFFFFFFF)
_POLY = np.uint64(0x100000001B3)


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
    short_doc_min_shared: int = 12  # ... and this many 5-grams are shared (a 16-word run: a wire lead sentence)
    min_shared_shingles: int = 25  # 5-grams a pair accepted on Jaccard alone must share
    jaccard_accept: float = 0.5
    canonical_min_containment: float = 0.3  # chaining guard
    partial_min_shared: int = 10
    template_min_docs: int = 3  # a paragraph in >= this many articles ...
    template_min_stories: int = 3  # ... of >= this many unrelated stories is a template
    template_story_containment: float = 0.3
    template_min_remainder: float = 0.35  # a holder counts as its own story if this share of it is its own
    template_max_holders: int = 60
    update_hours: float = 12.0  # closer than this, changed numbers are an update of one story (`refilled`)
    late_hours: float = 24.0  # two dated articles further apart than this ...
    late_min_containment: float = 0.8  # ... are copies only if this share of the later one's 5-grams is the earlier's
    background_min_own: int = 2  # own leads over a shared closing block of 3+ paragraphs: two stories when both have this many paragraphs of their own before it ...
    background_min_story: int = 3  # ... or the original has this many (a lead and body of its own: the block is its closing background) (`_own_leads`)
    lead_min_words: int = 2  # own leads over a shared block: one story only if they share this many content words ...
    lead_min_word_share: float = 0.1  # ... and this share of the shorter side's (`_leads_differ`)
    retold_min_words: int = 8  # own leads over a shared block that share this many content words ...
    retold_min_share: float = 0.7  # ... and this share of the shorter side's, no figures of their own on both: one story retold (`_leads_retold`)


DEFAULT = Params()


# --- hashing ------------------------------------------------------------------------------------


def _h64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads the polynomial combination over all 64 bits."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


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
    """MinHash over the low 32 bits of the shingle hashes (datasketch-style universal hashing:
    ((a*h + b) mod 2^64) mod (2^61-1), low 32 bits). The modulo by the Mersenne prime is done with
    shifts and masks (x = hi*2^61 + lo ≡ hi + lo), which gives the same values as `%`."""
    if len(hashes) == 0:
        return np.full(num_perm, _MAX32, dtype=np.uint64)
    a, b = _permutations(num_perm)
    hv = (hashes & _MAX32)[:, None]
    with np.errstate(over="ignore"):
        x = hv * a
        x += b
    r = x & _MERSENNE
    x >>= np.uint64(61)
    r += x  # r ≡ x (mod p) and 0 <= r <= p + 7
    # r mod p is r - p = r + 1 - 2^61 when r >= p; its low 32 bits are those of r + 1
    r += r >= _MERSENNE
    r &= _MAX32
    return r.min(axis=0)


# --- signatures ---------------------------------------------------------------------------------


@dataclass(eq=False)
class Signature:
    """Everything dedupe needs about one article; persisted as one `article_signatures` row.

    The three long fields are int64 numpy arrays (a list of Python ints costs ~5x the memory and
    gives the garbage collector one more container per field to walk); `to_row` gives lists."""

    article_id: str
    source_id: str
    published_at: datetime | None
    key_hash: str  # sha256[:16] of the whole normalised key: the exact layer
    n_tokens: int
    para_hashes: list[int]  # per matching paragraph, number- and weekday-masked key hash (templates)
    para_exact: list[int]  # per matching paragraph, exact key hash (numbers kept)
    para_offsets: list[int]  # start of each paragraph's run in `shingles`
    shingles: np.ndarray  # 5-gram hashes (int64), paragraph by paragraph, unique within a paragraph
    lead: np.ndarray  # distinct 5-gram hashes (int64) of the first LEAD_TOKENS tokens and paragraph heads
    minhash: np.ndarray  # NUM_PERM values < 2^32 (int64)
    version: int = SIG_VERSION
    # distinct content-word hashes of the first LEAD_WORD_PARAS paragraphs, the paragraph's index in
    # the low two bits, bit 2 set for a count (`lead_words`, `word_hash`); empty for a row signed
    # before SIG_VERSION 4
    lead_words: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def __post_init__(self) -> None:
        for name in ("shingles", "lead", "minhash", "lead_words"):
            value = getattr(self, name)
            if not isinstance(value, np.ndarray) or value.dtype != np.int64:
                setattr(self, name, np.array(value, dtype=np.int64))

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
            "shingles": self.shingles.tolist(),
            "lead": self.lead.tolist(),
            "minhash": self.minhash.tolist(),
            "version": self.version,
            "lead_words": self.lead_words.tolist(),
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
            shingles=np.array(row["shingles"], dtype=np.int64),
            lead=np.array(row["lead"], dtype=np.int64),
            minhash=np.array(row["minhash"], dtype=np.int64),
            version=int(row.get("version", SIG_VERSION)),
            lead_words=np.array(row.get("lead_words") or [], dtype=np.int64),
        )

    @cached_property
    def shingle_set(self) -> frozenset[int]:
        return frozenset(self.shingles.tolist())

    @cached_property
    def paragraphs(self) -> list[frozenset[int]]:
        sh = self.shingles.tolist()
        ends = self.para_offsets[1:] + [len(sh)] if self.para_offsets else []  # a text without a word
        return [frozenset(sh[s:e]) for s, e in zip(self.para_offsets, ends, strict=True)]


_ANY_DIGIT = re.compile(r"\d")
# The weekday a daily item names ("اليوم الأحد", "ختام تعاملات الاثنين") is part of its filling too
# (normalised keys, with the article and a leading و).
WEEKDAYS = frozenset(f"{p}{d}" for p in ("ال", "وال") for d in ("سبت", "احد", "اثنين", "ثلاثاء", "اربعاء", "خميس", "جمعه"))
# every weekday key holds one of these (وال + day holds ال + day): a text holds a weekday key where it
# holds one of them, seven substring tests instead of a pattern's scan
_WEEKDAY_STEMS = tuple(sorted(w for w in WEEKDAYS if not any(o != w and o in w for o in WEEKDAYS)))


def _para_hashes(toks: list[str], joined: str) -> tuple[int, int]:
    """(masked, exact) paragraph hashes of the paragraph's tokens joined by single spaces
    (`joined`). Masked: every token holding a digit and every weekday name becomes "0" (templated
    paragraphs such as daily tallies, forecasts and rates differ only in their numbers and the
    day); one hash when there is nothing to mask. A token of letters only (`isalpha`) holds no digit."""
    exact = _h64(joined)
    if not _ANY_DIGIT.search(joined) and not any(w in joined for w in _WEEKDAY_STEMS):
        return exact, exact
    return _h64(" ".join("0" if t in WEEKDAYS or (not t.isalpha() and _ANY_DIGIT.search(t)) else t
                         for t in toks)), exact


def shingle_hashes(th: np.ndarray, k: int = SHINGLE) -> np.ndarray:
    """Unsigned 64-bit hashes of the word k-grams of a run of token hashes (polynomial combination,
    then splitmix64); a run shorter than k gives one hash of all its tokens."""
    if len(th) == 0:
        return np.zeros(0, dtype=np.uint64)
    k = min(k, len(th))
    n = len(th) - k + 1
    acc = th[:n].copy()
    with np.errstate(over="ignore"):
        for i in range(1, k):
            acc *= _POLY
            acc += th[i : i + n]
        return _mix(acc)


_TOKEN_HASHES: dict[str, int] = {}
_TOKEN_CACHE_MAX = 1_000_000


def _cached(cache: dict[str, int], toks: list[str], value: Callable[[str], int]) -> list[int]:
    """`[value(t) for t in toks]` through a plain dict (one C-level lookup per token), emptied when
    it grows past _TOKEN_CACHE_MAX entries."""
    vals = list(map(cache.get, toks))
    if None in vals:
        if len(cache) > _TOKEN_CACHE_MAX:
            cache.clear()
        for i, v in enumerate(vals):
            if v is None:
                vals[i] = cache[toks[i]] = value(toks[i])
    return vals


def _token_hashes(toks: list[str]) -> np.ndarray:
    """64-bit blake2b of every token (cached)."""
    return np.array(_cached(_TOKEN_HASHES, toks, _h64), dtype=np.uint64)


def _first_per_group(h: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Positions of the first occurrence of each (g, h) pair, in position order; `g` must be
    non-decreasing (then equal pairs sit side by side after a stable sort on h alone)."""
    order = np.argsort(h, kind="stable")
    hs, gs = h[order], g[order]
    dup = (hs[1:] == hs[:-1]) & (gs[1:] == gs[:-1])
    if not dup.any():
        return np.arange(len(h))
    keep = np.ones(len(h), dtype=bool)
    keep[order[1:][dup]] = False
    return np.flatnonzero(keep)


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
    return make_signatures([(article_id, source_id, published_at, text, title)])[0]


def key_paragraphs(text: str, title: str | None = None) -> list[str]:
    """The paragraphs an article is matched on: `strip_for_key` of the body lines (dateline,
    captions, credit lines, sign-off removed), the title when no body is left."""
    paragraphs = strip_for_key(text.split("\n"))
    if not paragraphs and title:
        paragraphs = [title]
    return paragraphs


def make_signatures(items: Sequence[tuple[str, str, datetime | None, str, str | None]]) -> list[Signature]:
    """`make_signature(*item)` for every item, hashed together."""
    return sign_paragraphs([(aid, src, when, key_paragraphs(text, title)) for aid, src, when, text, title in items])


def sign_paragraphs(items: Sequence[tuple[str, str, datetime | None, list[str]]]) -> list[Signature]:
    """Signatures of (article_id, source_id, published_at, key paragraphs) items.

    Definition (per article): per key paragraph, the hashes of its word 5-grams (`shingle_hashes`:
    a paragraph shorter than 5 tokens gives one hash of all its tokens), unique within the
    paragraph, first seen first; lead = the distinct 5-gram hashes of the article's first
    LEAD_TOKENS tokens and the first PARA_HEAD 5-grams of each paragraph of at least PARA_HEAD_MIN
    tokens; MinHash over all shingles. Computed here for a whole batch at once: one
    token-hash array, every 5-token window in one pass, windows that cross a paragraph break
    dropped, duplicates removed with one sort (tests/test_dedupe.py checks the values against the
    per-paragraph definition).
    """
    if not items:
        return []
    docs = [[t for t in line_tokens(paragraphs) if t] for _aid, _src, _when, paragraphs in items]
    para_lens = np.array([len(t) for d in docs for t in d], dtype=np.int64)
    doc_tokens = np.array([sum(len(t) for t in d) for d in docs], dtype=np.int64)
    all_tokens = [w for d in docs for t in d for w in t]
    th = _token_hashes(all_tokens) if all_tokens else np.zeros(0, dtype=np.uint64)
    windows = shingle_hashes(th) if len(th) >= SHINGLE else np.zeros(0, dtype=np.uint64)

    # shingles: windows inside one paragraph, plus one hash per paragraph shorter than SHINGLE
    pid = np.repeat(np.arange(len(para_lens)), para_lens)
    inside = pid[: len(windows)] == pid[SHINGLE - 1 :] if len(windows) else np.zeros(0, dtype=bool)
    sh, sh_pid = windows[inside], pid[: len(windows)][inside]
    short = np.flatnonzero(para_lens < SHINGLE)
    if len(short):
        par_start = np.concatenate(([0], np.cumsum(para_lens)[:-1]))
        extra = np.concatenate([shingle_hashes(th[par_start[i] : par_start[i] + para_lens[i]]) for i in short])
        sh, sh_pid = np.concatenate((sh, extra)), np.concatenate((sh_pid, short))
        order = np.argsort(sh_pid, kind="stable")
        sh, sh_pid = sh[order], sh_pid[order]
    keep = _first_per_group(sh, sh_pid)
    sh, sh_pid = sh[keep], sh_pid[keep]
    par_first = np.searchsorted(sh_pid, np.arange(len(para_lens)))  # start of each paragraph's run

    # lead: windows starting in the first LEAD_TOKENS - SHINGLE + 1 tokens of each article
    doc_start = np.concatenate(([0], np.cumsum(doc_tokens)[:-1]))
    n_lead = np.where(doc_tokens >= SHINGLE, np.minimum(doc_tokens, LEAD_TOKENS) - SHINGLE + 1, 0)
    lead_pos = np.repeat(doc_start, n_lead) + _ranks(n_lead)
    lead_doc = np.repeat(np.arange(len(docs)), n_lead)
    lead_h = windows[lead_pos]
    # ... and the first PARA_HEAD 5-grams of every paragraph of at least PARA_HEAD_MIN tokens, so a
    # copy of two inner paragraphs under an outlet's own lead shares lead 5-grams with the wire
    if len(para_lens):
        par_end = np.append(par_first[1:], len(sh))
        n_head = np.where(para_lens >= PARA_HEAD_MIN, np.minimum(par_end - par_first, PARA_HEAD), 0)
        head_pos = np.repeat(par_first, n_head) + _ranks(n_head)
        par_doc = np.repeat(np.arange(len(docs)), [len(d) for d in docs])
        lead_h = np.concatenate((lead_h, sh[head_pos]))
        lead_doc = np.concatenate((lead_doc, np.repeat(par_doc, n_head)))
    order = np.lexsort((lead_h, lead_doc))
    lead_h, lead_doc = lead_h[order], lead_doc[order]
    if len(lead_h):
        first = np.concatenate(([True], (lead_h[1:] != lead_h[:-1]) | (lead_doc[1:] != lead_doc[:-1])))
        lead_h, lead_doc = lead_h[first], lead_doc[first]
    lead_cut = np.searchsorted(lead_doc, np.arange(len(docs) + 1))
    words, words_cut = _batch_lead_words(docs, all_tokens, para_lens, pid)

    out = []
    para0 = 0
    sh_signed = sh.view(np.int64)
    lead_signed = lead_h.view(np.int64)
    for d, (aid, src, when, _paragraphs) in enumerate(items):
        toks = docs[d]
        n_par = len(toks)
        s0 = int(par_first[para0]) if para0 < len(para_lens) else len(sh)
        s1 = int(par_first[para0 + n_par]) if para0 + n_par < len(para_lens) else len(sh)
        mine = sh[s0:s1]
        joined = [" ".join(t) for t in toks]
        hashes = [_para_hashes(t, j) for t, j in zip(toks, joined, strict=True)]
        out.append(Signature(
            article_id=aid,
            source_id=src,
            published_at=when,
            key_hash=hashlib.sha256(" ".join(joined).encode("utf-8")).hexdigest()[:16],
            n_tokens=int(doc_tokens[d]),
            para_hashes=_signed_ints([m for m, _ in hashes]),
            para_exact=_signed_ints([e for _, e in hashes]),
            para_offsets=(par_first[para0 : para0 + n_par] - s0).tolist(),
            shingles=sh_signed[s0:s1].copy(),  # copies: a view would keep the whole batch alive
            lead=lead_signed[lead_cut[d] : lead_cut[d + 1]].copy(),
            minhash=minhash(mine).astype(np.int64),
            lead_words=words[words_cut[d] : words_cut[d + 1]].copy(),
        ))
        para0 += n_par
    return out


# one clitic run taken off a word before it is compared: the article with one clitic before it
# (warehouse/arabic.py ARTICLE_PREFIXES; two, وبال, are rare and the key was signed without them),
# else the conjunction و (a lone ف ب ل is the first letter of too many words: فيروس, بيان, لجنة)
_CLITICS = (*(p for p in ARTICLE_PREFIXES if len(p) <= 3), "و")
# one ending taken off a word that keeps three letters: the nisba endings, masculine, feminine
# (ة folded to ه) and plural, the -iya of a country's name, and the possessive pronouns (الجزائر,
# الجزائري, الجزائرية, الجزائريين; روسيا, الروسي, الروسية; البلاد, بلاده)
_ENDINGS = ("يين", "يون", "يه", "يا", "هما", "هم", "ها", "ه", "ي")


@lru_cache(maxsize=1)
def stopword_keys() -> frozenset[str]:
    """Words that never name a lead's story, as dedupe key tokens: the key's own list
    (tasks/data/dedupe_stopwords.txt: function words, month names, weekdays and times of day), each
    word read on its own."""
    words = [w for line in data_lines("tasks", "dedupe_stopwords.txt") for w in line.split()]
    return frozenset(chain.from_iterable(line_tokens(words)))


def key_data() -> dict[str, str]:
    """Every data file the key reads (directly, through `strip_for_key` and through the tokeniser),
    by its path in the repository, as what the key read from it, written out: the sorted stopword
    keys, the parsed spelling variants, the attribution rules' lexicons (`attribution.rules_data`)."""
    return {
        "tasks/data/dedupe_stopwords.txt": "\n".join(sorted(stopword_keys())),
        "warehouse/data/spelling_variants.tsv": repr(spelling_variants()),
        **rules_data(),
    }


def key_data_digests() -> dict[str, str]:
    """`key_data` by digest (sha256, 16 hex digits), as KEY_DATA_DIGESTS records it per SIG_VERSION."""
    return {path: hashlib.sha256(read.encode()).hexdigest()[:16] for path, read in sorted(key_data().items())}


def key_data_changes() -> dict[str, str]:
    """The data files whose digest differs from the one recorded for SIG_VERSION (a file added or gone
    included), with their new digests: empty while the stored signatures' data is the key's."""
    recorded, now = KEY_DATA_DIGESTS.get(SIG_VERSION, {}), key_data_digests()
    return {path: now.get(path, "gone") for path in sorted(recorded.keys() | now.keys())
            if recorded.get(path) != now.get(path)}


def content_word(token: str) -> str | None:
    """The word a key token names a lead's story by (people, places, bodies, events, numbers), or
    None: stopwords and day words out, one clitic run (و, the article) and a first و left under
    the article taken off, then one ending (nisba, -iya, possessive), three letters at least;
    numbers kept as their digits."""
    if token.isdigit():
        return token
    stop = stopword_keys()
    if token in stop:
        return None
    for c in _CLITICS:
        if token.startswith(c) and len(token) - len(c) >= 3:
            token = token[len(c):]
            break
    if token.startswith("و") and len(token) >= 4:
        # a word whose first letter is و reads as the conjunction over the rest when bare (وزارة)
        # and not under the article (الوزارة): take it off both ways
        token = token[1:]
    for e in _ENDINGS:
        if token.endswith(e) and len(token) - len(e) >= 3:
            token = token[: -len(e)]
            break
    return token if len(token) >= 3 and token not in stop else None


def content_words(toks: list[str]) -> list[str]:
    """`content_word` of each token that has one, in order."""
    return [w for w in map(content_word, toks) if w is not None]


_WORD_HASHES: dict[str, int] = {}  # key token -> `word_hash` of its content word (0: none)


def word_hash(word: str) -> int:
    """`lead_words`' hash of a content word: low two bits clear (the paragraph's index goes
    there), bit 2 set for a count (`is_count`)."""
    return (_h64(word) & ~7) | (4 if is_count(word) else 0)


def is_count(word: str) -> bool:
    """A content word that is a story's own figure: a number of at least two digits that is not a
    year (a toll, a tally, an amount, an age, a date's day), where 1 to 9 count the days, rounds
    and people of any story and a year dates it."""
    digits = word.lstrip("0")  # read as text: a run of thousands of digits is no int Python reads
    return word.isdecimal() and len(digits) >= 2 and not (len(digits) == 4 and 1900 <= int(digits) <= 2100)


# words that give the figure after them as a round one ("أكثر من 800" for 838, "نحو 6500" for
# 6528), as an outlet restating a wire's figures a day later writes them (key tokens; with و ف ب ل
# before them too: بنحو, ولأكثر من), the words that may stand between (أكثر من, ما يزيد على الـ800)
# and the words that say it after the figure or its noun (6500 حالة تقريبا, 800 ونيف, 18 عاما فأكثر)
_ROUNDING = frozenset(p + w for w in ("نحو حوالي قرابه زهاء اكثر ازيد اقل يزيد تزيد يقارب تقارب قارب قاربت "
                                      "يناهز تناهز ناهز ناهزت يقل تقل يربو تربو يفوق تفوق يقرب تقرب تجاوز "
                                      "تجاوزت يتجاوز تتجاوز تخطي تخطت يتخطي تتخطي").split()
                      for p in ("", "و", "ف", "ب", "ل", "وب", "ول", "فب"))
_ROUNDING_LINKS = frozenset({"من", "عن", "علي", "ال"})
# rounding words that also mean "carries" (يقل = يُقلّ: "قارب يقل 45 مهاجرا", "حافلة تقل 30 راكبا", an
# exact count) or "fewer" only with their link ("لا يقل عن 800", "أقل من 90"): rounding only so
_ROUNDING_LINKED = frozenset(w for w in _ROUNDING if w.endswith(("يقل", "تقل", "اقل")))
_ROUNDING_AFTER = frozenset({"تقريبا", "ونيف", "فاكثر"})


def _thousands(a: str, b: str) -> bool:
    """Two digit tokens side by side that may be one number's thousands groups (1 538, 12 412, 50 000:
    up to three digits, then three)."""
    return len(a) <= 3 and len(b) == 3 and a.isdecimal() and b.isdecimal()


# what shows two groups to be a figure and its fraction, not thousands (key tokens): a scale word
# after them ("1.538 مليار دولار", as every outlet writes a budget) or a currency of thousandths
# (the dinars of Kuwait, Bahrain, Jordan, Tunisia, Libya and Iraq, Oman's riyal: "سعر الدولار
# 0.305 دينار", "1.538 دينار" is a price in fils or millimes)
_FRACTION_AFTER = frozenset("مليون مليار ترليون تريليون دينار دينارا دنانير ريال ريالا ريالات".split())


def _grouped(toks: Sequence[str], i: int, start: int, end: int) -> bool:
    """`toks[i]` is one group of a figure written in thousands groups (`_thousands`), not a figure
    with a fraction of three digits: a run of three groups or more (12.412.000), or of two whose first
    is no 0 and after which no `_FRACTION_AFTER` word comes."""
    lo = i
    while lo > start and _thousands(toks[lo - 1], toks[lo]):
        lo -= 1
    hi = i
    while hi + 1 < end and _thousands(toks[hi], toks[hi + 1]):
        hi += 1
    if hi - lo >= 2:
        return True
    return hi > lo and toks[lo].lstrip("0") != "" and (hi + 1 >= end or toks[hi + 1] not in _FRACTION_AFTER)


def uncounted(toks: Sequence[str], i: int, start: int = 0, end: int | None = None) -> bool:
    """`toks[i]` (a figure, in a paragraph's tokens `toks[start:end]`) is no count of the lead's
    own (`_batch_lead_words` clears its count bit): it is given as a round one (a rounding word,
    `_ROUNDING`, before it, up to two linking words apart, or one of `_ROUNDING_AFTER` one or two
    tokens after it), which restates the story's figure in other words, or it is one group of a
    figure written in thousands groups the key reads apart (`_thousands`: 1.538 and 12 412, as
    Maghreb and French-style outlets group them where others write 1,538 or 1538), whose whole
    depends on the outlet's separators (`_grouped`). Decimals, times and dates in parts (15.73,
    21.25, 10:30, 31/3) stay counts, and so do three decimals before a scale word or a currency of
    thousandths (1.538 مليار, 0.305 دينار: a day's exchange rate in Kuwait is its own figure)."""
    end = len(toks) if end is None else end
    if _grouped(toks, i, start, end):
        return True
    j = i - 1
    while j >= start and i - j <= 2 and toks[j] in _ROUNDING_LINKS:
        j -= 1
    return (j >= start and toks[j] in _ROUNDING and (j < i - 1 or toks[j] not in _ROUNDING_LINKED)) or not _ROUNDING_AFTER.isdisjoint(toks[i + 1: min(i + 3, end)])


def _word_hash(token: str) -> int:
    """`word_hash` of a token's content word; 0: it has none."""
    w = content_word(token)
    return 0 if w is None else word_hash(w)


def _batch_lead_words(docs: list[list[list[str]]], all_tokens: list[str], para_lens: np.ndarray,
                      pid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`Signature.lead_words` of every article of a batch (int64, article by article) and where each
    article's run starts (len(docs) + 1 cuts): the hashes of the distinct content words
    (`content_word`) of each article's first LEAD_WORD_PARAS paragraphs, first seen first, the low
    two bits of each hash replaced by the paragraph's index, a figure's count bit cleared where
    `uncounted`. The tokens of every article's first LEAD_WORD_PARAS
    paragraphs looked up at once, duplicates within a paragraph removed with one sort."""
    rank = _ranks(np.array([len(d) for d in docs], dtype=np.int64))  # each paragraph's index in its article
    in_lead = np.repeat(rank < LEAD_WORD_PARAS, para_lens)
    toks = list(compress(all_tokens, in_lead.tolist()))
    wh = np.array(_cached(_WORD_HASHES, toks, _word_hash), dtype=np.uint64)
    g = pid[in_lead]
    for i in np.flatnonzero(wh & np.uint64(4)).tolist():  # counts: few; a round one is none
        lo, hi = np.searchsorted(g, g[i], "left"), np.searchsorted(g, g[i], "right")
        if uncounted(toks, i, int(lo), int(hi)):
            wh[i] &= ~np.uint64(4)
    named = wh != 0
    wh, g = wh[named], g[named]
    first = _first_per_group(wh, g)
    wh, g = wh[first], g[first]
    wh |= rank[g].astype(np.uint64)
    doc_of = np.repeat(np.arange(len(docs)), [len(d) for d in docs])[g]
    return wh.view(np.int64), np.searchsorted(doc_of, np.arange(len(docs) + 1))


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
    late: bool = False  # a follow-up: dated > late_hours after the other and mostly its own text (`_late`)


class _View:
    """A signature with template paragraphs removed (per run: templates depend on the pool).

    Built lazily: most articles of a run never meet a candidate, and only the paragraph count
    (from the offsets) is needed for them."""

    __slots__ = ("sig", "_templates", "_min_shingles", "_full", "_paras", "_array", "_fillings")

    def __init__(self, sig: Signature, templates: set[int], params: Params) -> None:
        self.sig = sig
        self._templates = templates if templates and not templates.isdisjoint(sig.para_hashes) else None
        self._min_shingles = params.para_min_shingles
        self._full: frozenset[int] | None = None
        self._paras: list[frozenset[int]] | None = None
        self._array: np.ndarray | None = None
        self._fillings: dict[int, frozenset[int]] | None = None

    def fillings(self) -> dict[int, frozenset[int]]:
        """Masked hash -> exact hashes of the paragraphs that are evidence, templates included."""
        if self._fillings is None:
            self._fillings = paragraph_fillings(self.sig, self._min_shingles)
        return self._fillings

    def array(self) -> np.ndarray:
        """`full` as an int64 array (unordered)."""
        if self._array is None:
            full = self.full
            self._array = np.fromiter(full, dtype=np.int64, count=len(full))
        return self._array

    @property
    def full(self) -> frozenset[int]:
        if self._full is None:
            if self._templates is None:
                self._full = self.sig.shingle_set
            else:
                keep = self._kept()
                self._full = frozenset().union(*keep) if keep else frozenset()
        return self._full

    @property
    def paras(self) -> list[frozenset[int]]:
        """Non-template paragraphs with enough shingles to be evidence."""
        if self._paras is None:
            source = self.sig.paragraphs if self._templates is None else self._kept()
            self._paras = [p for p in source if len(p) >= self._min_shingles]
        return self._paras

    def n_paras(self) -> int:
        """len(self.paras) from the paragraph offsets (shingles are unique within a paragraph)."""
        sig = self.sig
        offsets, m = sig.para_offsets, self._min_shingles
        ends = offsets[1:] + [len(sig.shingles)] if offsets else []  # a text without a word: no paragraph
        if self._templates is None:
            return sum(e - s >= m for s, e in zip(offsets, ends, strict=True))
        t = self._templates
        return sum(e - s >= m and h not in t for h, s, e in zip(sig.para_hashes, offsets, ends, strict=True))

    def _kept(self) -> list[frozenset[int]]:
        t = self._templates or ()
        return [p for h, p in zip(self.sig.para_hashes, self.sig.paragraphs, strict=True) if h not in t]


def _view(sig: Signature, templates: set[int], params: Params) -> _View:
    return _View(sig, templates, params)


def paragraph_fillings(sig: Signature, min_shingles: int) -> dict[int, frozenset[int]]:
    """Masked paragraph hash -> the exact hashes it has in `sig`, over the paragraphs of at least
    `min_shingles` 5-grams. Templates count too: two days of one daily item whose numbered
    paragraphs are templates in the pool share what is left (an unchanging closing paragraph)."""
    offsets = sig.para_offsets
    ends = offsets[1:] + [len(sig.shingles)] if offsets else []
    out: dict[int, set[int]] = defaultdict(set)
    for h, e, s, t in zip(sig.para_hashes, sig.para_exact, offsets, ends, strict=True):
        if t - s >= min_shingles:
            out[h].add(e)
    return {h: frozenset(v) for h, v in out.items()}


def refilled(a: dict[int, frozenset[int]], b: dict[int, frozenset[int]], hours_apart: float | None = None,
             params: Params = DEFAULT) -> bool:
    """Two fillings of one template, not copies: most of the numbered paragraphs the two texts
    share (same words once every number and weekday is masked) carry different numbers on each
    side, as two days' tallies, forecasts, prayer times, exchange rates or market closes of one
    outlet do. A copy of one story, even an updated one, keeps most of its numbered paragraphs as
    they were, and its unnumbered story paragraphs outnumber the few that changed. Counted over
    the shared paragraphs: `differ` (other numbers or weekday), `same_numbered` (a number or
    weekday, the same on both sides), `same_plain` (nothing to mask: carries no filling, e.g. a
    daily item's unchanging closing advice); refilled when at least two differ and they outnumber
    the same numbered ones and are at least as many as the plain ones. Two texts dated less than
    `update_hours` apart (`hours_apart`; None: unknown) are an update of one story rather than
    the next day's filling unless the differing paragraphs outnumber all the same ones, plain
    included. `find_templates` catches the numbered paragraphs once three or more fillings are in
    the pool."""
    if len(a) > len(b):
        a, b = b, a
    same_numbered = same_plain = differ = 0
    for h, exact in a.items():
        other = b.get(h)
        if other is None:
            continue
        if not exact & other:
            differ += 1
        elif h in exact:  # the masked hash is the exact one: nothing was masked
            same_plain += 1
        else:
            same_numbered += 1
    if hours_apart is not None and hours_apart < params.update_hours:
        return differ >= 2 and differ > same_numbered + same_plain
    return differ >= 2 and differ > same_numbered and differ >= same_plain


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
            and shared >= params.short_doc_min_shared
        )
    )
    is_copy = is_copy or (jac >= params.jaccard_accept and shared >= params.min_shared_shingles)
    if is_copy and _own_leads(a, b, matched, params):
        is_copy = False
    if is_copy and refilled(a.fillings(), b.fillings(), _hours_apart(a, b), params):
        is_copy = False
    if is_copy and _names_refilled(a, b, params):
        is_copy = False
    late = _late(a, b, shared, params)
    return PairScore(is_copy and not late, jac, cont, matched, shared, late)


def _own_leads(a: _View, b: _View, matched: int, params: Params) -> bool:
    """Two stories sharing background, not copies: each text opens with a lead of its own (its
    first evidence paragraph has fewer than `para_min_shingles` 5-grams in the other: a name and
    title at most) and the paragraphs they share close both (every paragraph after the first
    shared one is shared). Copies of one story share its lead: a cut drops the end, a headline
    change or an outlet's boilerplate leaves the lead, an update keeps the old lead's wording or
    most of the old text. A text that opens with its own lead and closes with another story's
    closing paragraphs is a follow-up ("وفي سياق متصل", "يذكر أن", "وكانت ... قد" recaps) or
    another story of the same desk closing with its standing background ("ويشهد السودان منذ ...",
    "وتشن إسرائيل ..."), however long the block and however short the new lead.

    One shape stays a copy: a rewritten top over the original's body, a block of more than
    `min_matched_paragraphs` paragraphs. Outlets rewrite the wire's lead and often its second
    paragraph in their own words (one paragraph or two) and paste the rest, or open with an
    intro of their own and the wire's lead reworded as a recap ("وكان ... قد") over the rest: one
    side then has one paragraph of its own before the block and the other two, whichever is the
    earlier (a day-only date reads as 00:00 and puts the copy before the wire). The block is the
    original's closing background when the original (the earlier text; undated, either) has a
    lead and body of its own before it (`background_min_story` paragraphs), or both texts have
    `background_min_own` (each a lead and body of its own over the desk's standing paragraphs).
    Two short leads over a block of two paragraphs are two stories either way (the desk's
    closing pair, `test_two_stories_with_short_leads_over_...`). What the 5-grams cannot tell
    apart, the words of the leads do (`_leads_differ`): a one-paragraph lead over the last three
    paragraphs of a five-paragraph story, or two stories each one paragraph over one block (the
    shape of an update), are two stories when their own paragraphs share almost no content word.
    Every refusal gives way when the own paragraphs retell one story (`_leads_retold`: most of
    their content words shared, no figures of their own on both sides): an outlet that re-edits
    the wire's top two paragraphs in its own order and verbs over its body (two own paragraphs on
    each side), or folds them into one over a four-paragraph wire's last two. Another outlet's
    independent account of the story shares too few of its words to be told from another story
    of the desk, and stays split there."""
    own_a = _own_lead_paragraphs(a, b.full, params)
    own_b = _own_lead_paragraphs(b, a.full, params)
    if not own_a or not own_b:
        return False
    if matched <= params.min_matched_paragraphs or min(own_a, own_b) >= params.background_min_own:
        return not _leads_retold(a, b, params)
    ta, tb = a.sig.published_at, b.sig.published_at
    if ta is not None and tb is not None and ta != tb:
        original = own_a if ta < tb else own_b
    else:
        original = max(own_a, own_b)
    if original >= params.background_min_story:
        return not _leads_retold(a, b, params)
    return _leads_differ(a, b, params)


# own content words each first paragraph must name that the other text's first paragraphs lack
# for two fillings of one formula (`_names_refilled`)
NAMES_REFILLED_MIN = 3
NAMES_REFILLED_SHARE = 0.12  # and at least this share of its first paragraph's content words
NAMES_REFILLED_SAME = 0.6  # share of the longer first paragraph's content words the two share


def _names_refilled(a: _View, b: _View, params: Params) -> bool:
    """Two fillings of one agency formula with other names, not copies: the desk's protocol and
    condolence items ("استقبل سمو الشيخ ... سفير جمهورية ..."، "بعث ... برقية عزاء ... للرئيس ...")
    and daily bulletins share every paragraph's wording, the first one's included (each first
    paragraph has `para_min_shingles` 5-grams in the other), but not the people, countries and
    places, so their 5-grams pass for a copy. Each first paragraph (`lead_words` of paragraph 0)
    names at least NAMES_REFILLED_MIN (and NAMES_REFILLED_SHARE of its) content words found nowhere
    in the other's first LEAD_WORD_PARAS paragraphs, figures aside (`_figure`: numbers are
    `refilled`'s and `_own_counts`' evidence, and a rewrite groups or rounds them its own way); the
    two first paragraphs share NAMES_REFILLED_SAME of the longer one's words (one formula's lead: a
    text whose first paragraph runs on over the other's first two or three, or opens with its own
    intro, is no filling of the other's). A copy keeps its lead's names (an outlet's spelling of one
    name differs in one or two words: the key folds most); a rewritten lead is `_own_leads`' case.
    Unknown words (a side signed before SIG_VERSION 4): False."""
    wa_all, wb_all = a.sig.lead_words, b.sig.lead_words
    if not len(wa_all) or not len(wb_all) or not a.paras or not b.paras:
        return False
    if len(a.paras[0] & b.full) < params.para_min_shingles or len(b.paras[0] & a.full) < params.para_min_shingles:
        return False  # an own lead on a side: `_own_leads` tells rewrites from other stories
    first_a = set((wa_all[(wa_all & 3) == 0] >> 2).tolist())
    first_b = set((wb_all[(wb_all & 3) == 0] >> 2).tolist())
    if len(first_a & first_b) < NAMES_REFILLED_SAME * max(len(first_a), len(first_b)):
        return False  # not one formula's lead twice (paragraphs split otherwise, an own lead)
    all_a, all_b = set((wa_all >> 2).tolist()), set((wb_all >> 2).tolist())
    own_a, own_b = _swapped_words((wa_all[(wa_all & 3) == 0] >> 2).tolist(),
                                  (wb_all[(wb_all & 3) == 0] >> 2).tolist(), all_a, all_b)
    return all(own >= max(NAMES_REFILLED_MIN, NAMES_REFILLED_SHARE * len(first))
               for own, first in ((own_a, first_a), (own_b, first_b)))


def _swapped_words(seq_a: list[int], seq_b: list[int], all_a: set[int], all_b: set[int]) -> tuple[int, int]:
    """How many non-figure words of each first paragraph (`lead_words` in order) that the other text's
    first paragraphs lack (`all_a`, `all_b`) stand where the other names words of its own: the two
    word runs aligned on their common words (longest common subsequence), the words between two
    common ones, or after the last, counted on a side when the other side has a word of its own
    there too. A formula filled with other names swaps a name for a name in its slot; a copy adds
    words on one side only (an outlet's intro sentence, a title spelled out, an honorific: حفظه الله،
    صاحب السمو، آل نهيان), and what stands before the first common word (a dateline, a byline, an
    intro) is the outlet's, not the formula's."""
    n, m = len(seq_a), len(seq_b)
    lcs = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            lcs[i][j] = lcs[i + 1][j + 1] + 1 if seq_a[i] == seq_b[j] else max(lcs[i + 1][j], lcs[i][j + 1])
    anchors, i, j = [], 0, 0
    while i < n and j < m:
        if seq_a[i] == seq_b[j]:
            anchors.append((i, j))
            i, j = i + 1, j + 1
        elif lcs[i + 1][j] >= lcs[i][j + 1]:
            i += 1
        else:
            j += 1
    own_a = own_b = 0
    for (i0, j0), (i1, j1) in zip(anchors, [*anchors[1:], (n, m)], strict=True):
        ga = sum(not _figure(w) and w not in all_b for w in seq_a[i0 + 1: i1])
        gb = sum(not _figure(w) and w not in all_a for w in seq_b[j0 + 1: j1])
        if ga and gb:
            own_a, own_b = own_a + ga, own_b + gb
    return own_a, own_b


def _leads_retold(a: _View, b: _View, params: Params) -> bool:
    """The own paragraphs of two texts over one block tell one story in other words: most of the
    content words (`lead_words`) of the shorter side's are the other's (at least `retold_min_words`
    and `retold_min_share` of them) and the two do not each give figures of their own (a count one
    side lacks on both sides: two days' tallies or two cases of one court in the desk's words; one
    digit counts here, `_figure`: an agency's formula for the day's raids or strikes, "اعتقلت ...
    أربعة مواطنين" against "... ثلاثة مواطنين" in two places, shares most of its words too, and a
    re-edit keeps its story's small numbers as it keeps its large ones).
    An outlet re-editing a wire rewrites its lead, or its top two paragraphs, in its own order and
    verbs, which leaves no shared 5-gram, but keeps the people, places, bodies and figures it tells;
    two stories of one desk over its standing block each name their own (half their lead words at
    most, `_leads_differ`'s distributions: probe of session 20). Unknown words (a side signed before
    SIG_VERSION 4, a lead of stopwords only): False, the 5-gram rule stands."""
    words = _lead_word_overlap(a, b, params, params.retold_min_words, params.retold_min_share)
    if words is None or not words[2]:
        return False
    wa, wb, _ = words
    return not (any(map(_figure, wa - wb)) and any(map(_figure, wb - wa)))


def _signed_shifted(h: int) -> int:
    """A `word_hash` as `_own_words` gives it (read as int64, paragraph bits shifted off)."""
    return (h - (1 << 64) if h >= 1 << 63 else h) >> 2


# `_own_words` values of the one-digit numbers (أربعة, 3, خمسة as the key folds them): no counts
# (`is_count`: every story's days and rounds), but a lead's own number all the same
_DIGIT_WORDS = frozenset(_signed_shifted(word_hash(str(d))) for d in range(10))


def _figure(w: int) -> bool:
    """An `_own_words` value that is a number the lead gives: a count (bit 0) or one digit."""
    return bool(w & 1) or w in _DIGIT_WORDS


def _leads_differ(a: _View, b: _View, params: Params) -> bool:
    """The own leads of two texts over one block name different stories: the content words
    (`lead_words`) of the paragraphs each has before the block share fewer than `lead_min_words`,
    or less than `lead_min_word_share` of the shorter side's, or each gives more figures of its
    own than the two share (`_own_counts`). An update or an outlet's rewrite of a story's lead
    names the story's people, places and numbers again; a different story of the same desk over
    the same background paragraphs names its own. Unknown (a side signed before SIG_VERSION 4,
    or a lead of stopwords only): False, the 5-gram rule stands."""
    words = _lead_word_overlap(a, b, params, params.lead_min_words, params.lead_min_word_share)
    if words is None:
        return False
    wa, wb, enough = words
    return not enough or _own_counts(wa, wb, _hours_apart(a, b), params)


def _lead_word_overlap(a: _View, b: _View, params: Params, min_words: int,
                       min_share: float) -> tuple[set[int], set[int], bool] | None:
    """The content words of each text's own paragraphs before the block it shares with the other
    (`_own_words`), and whether the two share at least `min_words` of them and `min_share` of the
    shorter side's; None when a side has none."""
    wa, wb = _own_words(a, b.full, params), _own_words(b, a.full, params)
    if not wa or not wb:
        return None
    shared = len(wa & wb)
    return wa, wb, shared >= min_words and shared >= min_share * min(len(wa), len(wb))


def _own_counts(wa: set[int], wb: set[int], hours_apart: float | None, params: Params) -> bool:
    """Each of two own leads gives more figures of its own than the two share (`is_count`: 838
    and 6528 deaths against 812 and 7340, 191 cases against 34, 77 patients home against 31; the
    19 of كوفيد-19 or the 24 of 24 hours in both): two days' or two places' news of one desk in the
    same words, not one story told twice, since an outlet rewriting a lead keeps its figures (or
    most of them: one kept, one dropped and one added from the body stays one story). Not for
    texts dated less than `update_hours` apart (`hours_apart`; None: unknown, the rule applies):
    an update hours later gives a new toll under a rewritten lead, one story, as `refilled` has
    it."""
    if hours_apart is not None and hours_apart < params.update_hours:
        return False
    shared = sum(w & 1 for w in wa & wb)
    return sum(w & 1 for w in wa - wb) > shared and sum(w & 1 for w in wb - wa) > shared


def _own_words(v: _View, other: frozenset[int], params: Params) -> set[int]:
    """The content-word hashes (paragraph index dropped: bit 0 is `word_hash`'s count bit) of the
    paragraphs of `v` before its first evidence paragraph shared with `other`, within the first
    LEAD_WORD_PARAS."""
    sig = v.sig
    if not len(sig.lead_words):
        return set()
    own = len(sig.paragraphs)
    for i, p in enumerate(sig.paragraphs):
        if len(p) >= params.para_min_shingles and len(p & other) >= params.para_containment * len(p):
            own = i
            break
    words = sig.lead_words
    return set((words[(words & 3) < own] >> 2).tolist())


def _own_lead_paragraphs(v: _View, other: frozenset[int], params: Params) -> int:
    """How many evidence paragraphs of `v` come before the first one shared with `other`, when
    `v` opens with a lead of its own (first paragraph: fewer than `para_min_shingles` 5-grams in
    `other`) and every paragraph from the first shared one on is shared; else 0."""
    paras = v.paras
    if len(paras) < 2 or len(paras[0] & other) >= params.para_min_shingles:
        return 0
    shared = [len(p & other) >= params.para_containment * len(p) for p in paras[1:]]
    if True not in shared:
        return 0
    first = shared.index(True)
    return first + 1 if all(shared[first:]) else 0


def _hours_apart(a: _View, b: _View) -> float | None:
    ta, tb = a.sig.published_at, b.sig.published_at
    return None if ta is None or tb is None else abs((ta - tb).total_seconds()) / 3600


def _late(a: _View, b: _View, shared: int, params: Params) -> bool:
    """A follow-up, not a copy: the two are dated more than `late_hours` apart and less than
    `late_min_containment` of the later one's 5-grams are the earlier one's. Outlets republish a
    wire story within hours, and a late copy is still the story (or a cut of it); a story written
    days later on the same event reuses the earlier one's background paragraphs under its own new
    lead, which is what the paragraph evidence alone cannot tell from a copy. Undated articles
    are never late."""
    hours = _hours_apart(a, b)
    if hours is None or hours <= params.late_hours:
        return False
    later = a if a.sig.published_at > b.sig.published_at else b
    return shared < params.late_min_containment * len(later.full)


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
    pool: list[Signature] = []
    for s in sigs:  # the same object twice in a row holds its paragraphs once
        if not pool or pool[-1] is not s:
            pool.append(s)
    lens = np.array([len(s.para_hashes) for s in pool], dtype=np.int64)
    if not lens.sum():
        return set()
    ph = np.fromiter(chain.from_iterable(s.para_hashes for s in pool), dtype=np.int64, count=int(lens.sum()))
    ex = np.fromiter(chain.from_iterable(s.para_exact for s in pool), dtype=np.int64, count=int(lens.sum()))
    owner = np.repeat(np.arange(len(pool)), lens)
    # holders: distinct (paragraph, article) pairs; fillings: distinct (paragraph, exact text) pairs
    held = np.unique(np.stack([ph, owner], axis=1), axis=0)
    hs, n_holders = np.unique(held[:, 0], return_counts=True)
    frequent_mask = n_holders >= params.template_min_docs
    if not frequent_mask.any():
        return set()
    filled = np.unique(np.stack([ph, ex], axis=1), axis=0)
    fs, n_fillings = np.unique(filled[:, 0], return_counts=True)
    fillings = dict(zip(fs.tolist(), n_fillings.tolist(), strict=True))
    frequent = hs[frequent_mask].tolist()  # ascending
    templates = {h for h in frequent if fillings[h] >= params.template_min_stories}
    rest = [h for h in frequent if h not in templates]
    if rest:
        sel = held[np.isin(held[:, 0], np.array(rest, dtype=np.int64))]
        holders: dict[int, list[Signature]] = defaultdict(list)
        for h, i in sel.tolist():
            holders[h].append(pool[i])
        for h in rest:
            # the window read selects exactly these holders in full (sql/queries/dedupe/5_closure.sql)
            group = sorted(holders[h], key=lambda s: s.article_id)[: params.template_max_holders]
            if _story_count(group, h, templates, params) >= params.template_min_stories:
                templates.add(h)
    return templates


# --- candidate index ----------------------------------------------------------------------------


_PAIR_BLOCK = 1_000_000  # pairs generated per numpy block (bounds memory on huge buckets)


def _group_pairs(keys: np.ndarray, query: np.ndarray | None = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Every ordered pair (i, j), i != j, of positions of `keys` holding equal values, in blocks;
    with a boolean `query` mask, only the pairs whose i is a query position (a group without one
    costs nothing: a chunk's new articles against a window of old ones never pairs old with old)."""
    if len(keys) < 2:
        return
    if query is None:
        order = np.argsort(keys, kind="stable")
    else:  # the query members first within each group
        order = np.lexsort((~query, keys))
    k = keys[order]
    starts = np.flatnonzero(np.concatenate(([True], k[1:] != k[:-1])))
    sizes = np.diff(np.append(starts, len(k)))
    asked = sizes if query is None else np.add.reduceat(query[order].astype(np.int64), starts)
    multi = (sizes >= 2) & (asked >= 1)
    starts, sizes, asked = starts[multi], sizes[multi], asked[multi]
    if not len(starts):
        return
    work = sizes.astype(np.int64) * asked
    cost = np.cumsum(work)
    lo = 0
    while lo < len(starts):
        hi = int(np.searchsorted(cost, cost[lo] - work[lo] + _PAIR_BLOCK, side="right"))
        hi = max(hi, lo + 1)
        st, sz, qz = starts[lo:hi], sizes[lo:hi], asked[lo:hi]
        # each asked member of each group (the first qz), then paired with every member of its group
        member_start = np.repeat(st, qz)
        member_size = np.repeat(sz, qz)
        member = member_start + _ranks(qz)
        a = np.repeat(member, member_size)
        b = np.repeat(member_start, member_size) + _ranks(member_size)
        keep = a != b
        yield order[a[keep]], order[b[keep]]
        lo = hi


def _ranks(sizes: np.ndarray) -> np.ndarray:
    """0..n-1 within each run of the given sizes, concatenated."""
    total = int(sizes.sum())
    return np.arange(total) - np.repeat(np.cumsum(sizes) - sizes, sizes)


def _count_codes(blocks: Iterable[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of the blocks and how often each occurs, merged as it goes so memory
    holds about the distinct values, not every occurrence."""
    pairs, counts = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    held: list[tuple[np.ndarray, np.ndarray]] = []
    size = 0

    def merge() -> tuple[np.ndarray, np.ndarray]:
        values, where = np.unique(np.concatenate([pairs] + [v for v, _ in held]), return_inverse=True)
        total = np.bincount(where, weights=np.concatenate([counts] + [c for _, c in held]), minlength=len(values))
        return values, total.astype(np.int64)

    for block in blocks:
        held.append(np.unique(block, return_counts=True))
        size += len(held[-1][0])
        if size > _PAIR_BLOCK:
            pairs, counts = merge()
            held, size = [], 0
    if held:
        pairs, counts = merge()
    return pairs, counts


def _band_hashes(mh: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit hash per (signature, band) of the band's `rows` MinHash values (and its index).
    Only groups candidates: pairs are then checked on the values themselves."""
    x = mh[:, : bands * rows].reshape(len(mh), bands, rows)
    h = np.broadcast_to(np.arange(1, bands + 1, dtype=np.uint64)[None, :], x.shape[:2]).copy()
    with np.errstate(over="ignore"):
        for r in range(rows):
            h = _mix(h * _POLY + x[:, :, r])
    return h


def candidate_lists(sigs: list[Signature], params: Params = DEFAULT,
                    query: Iterable[int] | None = None) -> list[np.ndarray]:
    """For each signature, the indices of the others it must be verified against (sorted).

    Candidates are pairs that share the exact key hash, or all rows of one LSH band of their MinHash
    (`lsh_bands` x `lsh_rows`), or at least `lead_min_shared` lead 5-grams; signatures of texts under
    `min_tokens` tokens take no part. Computed for the whole pool at once with sorts instead of
    per-article dictionary probes (same pairs as probing an index of every signature).
    `query`: the positions whose lists are wanted (default all; the others get empty lists). A
    chunk's new articles against a window of stored ones ask for theirs only: the pairs among the
    stored ones, most of the work on a window sharing common lead phrases, are never made."""
    n = len(sigs)
    asked = np.ones(n, dtype=bool) if query is None else np.isin(np.arange(n), np.fromiter(query, np.int64))
    elig = np.array([i for i, s in enumerate(sigs) if s.n_tokens >= params.min_tokens], dtype=np.int64)
    codes: list[np.ndarray] = []
    if len(elig) >= 2 and asked[elig].any():
        q = None if query is None else asked[elig]
        # exact key hash
        keys = np.array([int(sigs[i].key_hash, 16) for i in elig], dtype=np.uint64)
        for a, b in _group_pairs(keys, q):
            codes.append(elig[a] * n + elig[b])
        # LSH bands, verified on the band values (a hash collision must not make a candidate)
        bands, rows = params.lsh_bands, params.lsh_rows
        mh = np.stack([sigs[i].minhash for i in elig]).astype(np.uint64)
        flat = _band_hashes(mh, bands, rows).ravel()
        vals = mh[:, : bands * rows].reshape(len(elig) * bands, rows)
        for a, b in _group_pairs(flat, None if q is None else np.repeat(q, bands)):
            same = a % bands == b % bands
            for r in range(rows):
                same &= vals[a, r] == vals[b, r]
            codes.append(elig[a[same] // bands] * n + elig[b[same] // bands])
        # lead 5-grams: count shared ones per pair (counted per block, so memory holds the distinct
        # pairs, not one entry per shared 5-gram)
        lens = np.array([len(sigs[i].lead) for i in elig])
        if lens.sum():
            lead = np.concatenate([sigs[i].lead for i in elig])
            owner = np.repeat(elig, lens)
            blocks = (owner[a] * n + owner[b] for a, b in _group_pairs(lead, None if q is None else np.repeat(q, lens)))
            pairs, shared = _count_codes(blocks)
            codes.append(pairs[shared >= params.lead_min_shared])
    out = [np.zeros(0, dtype=np.int64)] * n
    allc = np.unique(np.concatenate(codes)) if codes else np.zeros(0, dtype=np.int64)
    if len(allc):  # no pair at all (a few unrelated articles) is the common case of a small run
        src, dst = np.divmod(allc, n)
        cuts = np.flatnonzero(np.diff(src)) + 1
        for s_, d_ in zip(np.split(src, cuts), np.split(dst, cuts), strict=True):
            out[int(s_[0])] = d_
    return out


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
    # in some other member are those with count >= 2. Vectorised over all members' 5-grams.
    arrays = [v.array() for v in members]
    lens = np.array([len(a) for a in arrays])
    n_nonempty = int((lens > 0).sum())
    merits: list[tuple] = []
    if n_nonempty:
        allh = np.concatenate(arrays)
        uniq, inverse, counts = np.unique(allh, return_inverse=True, return_counts=True)
        nz = lens[lens > 0]
        weight = np.bincount(inverse, weights=np.repeat(1.0 / nz, nz), minlength=len(uniq))
        starts = np.concatenate(([0], np.cumsum(nz)[:-1]))
        wsum = np.add.reduceat(weight[inverse], starts)
        shared = np.add.reduceat((counts[inverse] >= 2).astype(np.int64), starts)
    k = 0
    for v, n in zip(members, lens.tolist(), strict=True):
        if n:
            cov = (float(wsum[k]) - 1.0) / max(n_nonempty - 1, 1)
            pur = int(shared[k]) / n
            k += 1
        else:
            cov = pur = 0.0
        ts, _aid = _order_key(v.sig)
        merits.append((round(cov * pur, 6), -ts, n))
    best = max(merits)
    tied = [v for v, m in zip(members, merits, strict=True) if m == best]
    return max(tied, key=lambda v: _neg(v.sig.article_id)).sig.article_id, "most_complete"


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
    retouch: Iterable[str] = (),
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

    retouch: clusters to re-measure even if no new article joins them (those a streamed run's
    articles were placed in chunk by chunk, before the run's end places them all again:
    tasks.stories.cluster_signed's `settle`); those not read here in full are left out.
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
    canonical: dict[str, tuple[str, str]] = {}  # cluster -> (canonical id, rule) for its current members

    def canon(cid: str) -> tuple[str, str]:
        if cid not in canonical:
            canonical[cid] = choose_canonical([view(a) for a in sorted(members[cid])], agency_ids)
        return canonical[cid]

    pool = list(sigs.values())
    position = {sg.article_id: i for i, sg in enumerate(pool)}
    todo = sorted((s for s in new if s.article_id not in cluster_of), key=_order_key)
    neighbours = candidate_lists(pool, params, query=[position[s.article_id] for s in todo])

    touched: set[str] = set()
    relations: list[PartialReuse] = []
    for sig in todo:
        x = view(sig.article_id)
        best: dict[str, tuple[PairScore, str]] = {}
        overlaps: list[tuple[str, PairScore]] = []
        for cand in sorted(pool[j].article_id for j in neighbours[position[sig.article_id]].tolist()):
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
            head = canon(cid)[0]
            guard = score_pair(x, view(head), params)
            if joins_canonical(guard, params):
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
    # (only clusters read in full: a light pool member, paragraph hashes only, cannot be measured)
    touched.update(cid for cid in retouch if members.get(cid) and all(sigs[a].key_hash for a in members[cid]))
    result = DedupeResult(partial_reuse=relations, templates=templates)
    for cid in sorted(touched):
        head, rule = canon(cid)
        result.clusters.append(ClusterInfo(cid, head, len(members[cid]), rule))
        result.memberships.extend(_measure(cid, members[cid], view, agency_ids, params, head))
    # Re-submitted articles keep their cluster; report them too so a re-run is visibly a no-op.
    reported = {m.article_id for m in result.memberships}
    for s in new:
        if s.article_id not in reported:
            cid = cluster_of[s.article_id]
            result.memberships.extend(
                m for m in _measure(cid, members[cid], view, agency_ids, params) if m.article_id == s.article_id
            )
    return result


def joins_canonical(guard: PairScore, params: Params = DEFAULT) -> bool:
    """The chaining guard: an article joins the cluster of the copy it matched only if it also
    overlaps the cluster's canonical copy (a roundup quoting two stories matches a copy of each)
    and is not a follow-up of it (`_late`: a copy of a late copy is not the first story)."""
    return guard.containment >= params.canonical_min_containment and not guard.late


def _measure(
    cid: str, ids: list[str], view: Callable[[str], _View], agency_ids: frozenset[str], params: Params,
    head: str | None = None,
) -> list[Membership]:
    """Memberships of one cluster, each measured against the cluster's canonical copy (`head`, when
    the caller has just chosen it)."""
    vs = [view(a) for a in sorted(ids)]
    if head is None:
        head, _ = choose_canonical(vs, agency_ids)
    hv = view(head)
    out = []
    for v in vs:
        if v.sig.article_id == head:
            out.append(Membership(head, cid, True, 1.0, 1.0, v.n_paras()))
        else:
            s = score_pair(v, hv, params)
            out.append(Membership(v.sig.article_id, cid, False, round(s.jaccard, 4), round(s.containment, 4), s.matched_paragraphs))
    return out
