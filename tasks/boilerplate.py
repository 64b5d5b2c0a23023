"""Per-outlet boilerplate learned from repetition, over a bounded window of each outlet's pages.

A line that recurs across many pages of one outlet is template text ("تابعونا على تويتر", the
outlet's copyright line), not article text. `BoilerplateModel` counts, per outlet, in how many
documents each (normalised) line occurred and strips a line once it occurs in at least
`min_count` documents **and** in at least `min_share` of them, with at least `min_docs`
documents seen. Counts are per document (a line repeated inside one page counts once). A wire
agency's paragraphs appear once per outlet, so their count stays 1-2 and they are never
stripped; lines longer than `max_line_chars` are never stripped (real paragraphs are long).

**Bounded window.** The statistics cover roughly the outlet's last `window_docs` to
`2 * window_docs` documents, not its whole history: when an outlet's document count reaches
`2 * window_docs`, it and every line count of that outlet are halved (integer halving) and the
outlet's `epoch` goes up by one. Lines whose count falls to 0 are forgotten. So a line seen on a
single page is dropped within ~`window_docs` pages, the stored model holds about
`2 * window_docs` pages' worth of lines per outlet whatever the size of the warehouse, and a
redesign's new template lines are learned (and its old ones forgotten) within a window. Shares
are unchanged by halving (both sides halve), so a template line stays a template line.

Halving is lazy in storage: a stored line row carries the epoch it was written at, and its
count at the outlet's current epoch is ``count >> (epoch - line_epoch)``. Halving an outlet
therefore rewrites only its document row; rows that decayed to 0 are deleted after each load
(warehouse/sql/postload).

**Reads per run.** With a `store` (see `tasks.stories.load_boilerplate`) the model reads only
what it is asked about: the document row of each outlet it meets and the counts of the lines
of the pages at hand (`prepare` batches that into one query per batch of pages), never the
whole table. `changes()` returns (and forgets) the rows to write back: the lines and outlets
this model changed.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


def norm_line(s: str) -> str:
    """NFKC, no tatweel, whitespace collapsed, casefolded: the form a line is compared in."""
    s = unicodedata.normalize("NFKC", s).replace("\u0640", "")
    return " ".join(s.split()).casefold()


@dataclass
class StoredCounts:
    """What a store returns for a request {source_id: line hashes}."""

    docs: dict[str, tuple[int, int]] = field(default_factory=dict)  # source_id -> (n_docs, epoch)
    lines: dict[tuple[str, str], int] = field(default_factory=dict)  # (source_id, hash) -> count at that epoch


# A store answers {source_id: {line_hash, ...}} with the stored counts (missing = never seen).
Store = Callable[[dict[str, set[str]]], StoredCounts]


@dataclass
class BoilerplateModel:
    min_docs: int = 5
    min_count: int = 3
    min_share: float = 0.3
    max_line_chars: int = 400
    window_docs: int = 100
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # source_id -> line_hash -> count
    n_docs: dict[str, int] = field(default_factory=dict)
    epoch: dict[str, int] = field(default_factory=dict)
    store: Store | None = field(default=None, repr=False)
    _asked: dict[str, set[str]] = field(default_factory=dict, repr=False)  # line hashes already read
    _dirty_lines: set[tuple[str, str]] = field(default_factory=set, repr=False)
    _dirty_docs: set[str] = field(default_factory=set, repr=False)
    _halved: set[str] = field(default_factory=set, repr=False)  # outlets halved since the last changes()

    @staticmethod
    def line_hash(line: str) -> str:
        return hashlib.sha1(norm_line(line).encode("utf-8")).hexdigest()[:16]

    def hashes(self, lines: Iterable[str]) -> set[str]:
        """Hashes of the lines that can be boilerplate at all (not empty, not too long)."""
        return {self.line_hash(x) for x in lines if 2 <= len(x.strip()) <= self.max_line_chars}

    # --- reading the stored model ---------------------------------------------------------------

    def prepare(self, docs: Iterable[tuple[str, Iterable[str]]]) -> None:
        """Read, in one request, the stored counts for the lines of these (source_id, lines)
        documents. Optional: observe/strip read what they miss themselves, one request each."""
        wanted: dict[str, set[str]] = {}
        for source_id, lines in docs:
            wanted.setdefault(source_id, set()).update(self.hashes(lines))
        self._fetch(wanted)

    def _fetch(self, wanted: dict[str, set[str]]) -> None:
        if self.store is None:
            return
        missing = {s: hs - self._asked.get(s, set()) for s, hs in wanted.items()}
        missing = {s: hs for s, hs in missing.items() if hs or s not in self._asked}
        if not missing:
            return
        got = self.store(missing)
        for s, hs in missing.items():
            n, stored_epoch = got.docs.get(s, (0, 0))
            if s not in self._asked:  # first time we meet this outlet: take its document row
                self._asked[s] = set()
                if s not in self.n_docs:
                    self.n_docs[s], self.epoch[s] = n, stored_epoch
            shift = max(0, self.epoch.get(s, 0) - stored_epoch)  # halvings since the store's state
            mine = self.counts.setdefault(s, {})
            for h in hs:
                c = got.lines.get((s, h), 0)
                c = c >> shift if shift < 31 else 0
                if c and h not in mine:
                    mine[h] = c
            self._asked[s] |= hs

    # --- learning and stripping -----------------------------------------------------------------

    def observe(self, source_id: str, lines: Iterable[str]) -> None:
        """Count one document of `source_id` (its lines, e.g. `text.splitlines()`)."""
        self.observe_hashes(source_id, self.hashes(lines))

    def observe_hashes(self, source_id: str, hashes: set[str]) -> None:
        """`observe` for lines already hashed with `line_hash` (and filtered like `hashes`)."""
        self._fetch({source_id: hashes})
        self.n_docs[source_id] = self.n_docs.get(source_id, 0) + 1
        self.epoch.setdefault(source_id, 0)
        mine = self.counts.setdefault(source_id, {})
        for h in hashes:
            mine[h] = mine.get(h, 0) + 1
            self._dirty_lines.add((source_id, h))
        self._dirty_docs.add(source_id)
        if self.n_docs[source_id] >= 2 * self.window_docs:
            self._halve(source_id)

    def _halve(self, source_id: str) -> None:
        self.n_docs[source_id] //= 2
        self.epoch[source_id] += 1
        self.counts[source_id] = {h: c // 2 for h, c in self.counts[source_id].items() if c >= 2}
        self._halved.add(source_id)

    def is_boilerplate(self, source_id: str, line: str) -> bool:
        if len(line.strip()) > self.max_line_chars:
            return False
        h = self.line_hash(line)
        self._fetch({source_id: {h}})
        n = self.n_docs.get(source_id, 0)
        if n < self.min_docs:
            return False
        c = self.counts.get(source_id, {}).get(h, 0)
        return c >= self.min_count and c >= self.min_share * n

    def strip(self, source_id: str, text: str) -> str:
        lines = text.splitlines()
        self.prepare([(source_id, lines)])
        return "\n".join(x for x in lines if not self.is_boilerplate(source_id, x))

    # --- writing back ---------------------------------------------------------------------------

    def changes(self) -> tuple[list[dict], list[dict]]:
        """(outlet rows, line rows) changed since the last call, then forgets them.

        Outlet rows: source_id, n_docs, epoch. Line rows: source_id, line_hash, count, epoch
        (the count at that epoch). Lines that decayed to 0 are not returned: their stored rows
        decay to 0 too and are deleted after the load."""
        docs = [dict(source_id=s, n_docs=self.n_docs[s], epoch=self.epoch[s]) for s in sorted(self._dirty_docs)]
        lines = []
        for s, h in sorted(self._dirty_lines):
            c = self.counts.get(s, {}).get(h, 0)
            if c:
                lines.append(dict(source_id=s, line_hash=h, count=c, epoch=self.epoch[s]))
        self._dirty_docs.clear()
        self._dirty_lines.clear()
        # Forget having read the lines a halving dropped: each counts 0 now, and so does its stored
        # row at the new epoch (a stored count is never above the count held here), so reading it
        # again when it is met again changes nothing. A long run (one model for all its chunks)
        # then remembers about a window of lines per outlet, not every line of every page it saw.
        # Done here, between chunks, so a chunk's lines are still read in one request (`prepare`).
        for s in self._halved:
            if s in self._asked:
                self._asked[s] = set(self.counts.get(s, ()))
        self._halved.clear()
        return docs, lines

    def to_rows(self) -> list[tuple[str, str, int, int]]:
        """Every line held in memory as (source_id, line_hash, count, n_docs)."""
        return [(s, h, c, self.n_docs.get(s, 0)) for s in sorted(self.counts) for h, c in sorted(self.counts[s].items())]

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, int, int]], **params: float) -> BoilerplateModel:
        model = cls(**params)  # type: ignore[arg-type]
        for source_id, line_hash, count, n_docs in rows:
            model.counts.setdefault(source_id, {})[line_hash] = int(count)
            model.n_docs[source_id] = max(model.n_docs.get(source_id, 0), int(n_docs))
            model.epoch.setdefault(source_id, 0)
        return model
