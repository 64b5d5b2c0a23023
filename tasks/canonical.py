"""When may a page's <link rel=canonical> fold it into another URL? (issue 11, case 6)

A canonical URL folds a page into it only when that cannot lose a story:
* the page is an AMP/mobile/print twin of the canonical URL (same article, other rendering), or
* every page of the run declaring that canonical has the same text (a true duplicate), and the
  article already stored under it (if any) has that text too.
Otherwise -- the common CMS bug of every story declaring its section or home page -- the page
keeps its own URL, and the conflict is recorded (run_errors, stage "canonical").
"""

from __future__ import annotations

from datetime import datetime

from tasks.models import Article, stable_id
from tasks.urls import amp_to_canonical_hint, canonicalize, outlet_key, split_url


def _twin_path(path: str) -> str:
    segs = [seg for seg in path.split("/") if seg and seg.lower() not in ("amp", "print", "mobile", "m")]
    return "/" + "/".join(segs)


def is_twin(url: str, canonical: str) -> bool:
    """An AMP/mobile/print rendering of the same article: the same site (amp./m./mobile./www.
    aside) and the same path but for an amp/print/mobile segment, or the AMP URL patterns of
    tasks.urls.amp_to_canonical_hint."""
    hint = amp_to_canonical_hint(url)
    if hint is not None and canonicalize(hint, url) == canonicalize(canonical, url):
        return True
    a, b = split_url(url), split_url(canonical)
    if a is None or b is None:  # a URL that does not parse is no one's twin
        return False
    return outlet_key(a.hostname) == outlet_key(b.hostname) and _twin_path(a.path) == _twin_path(b.path)


def settle(pages: list, arts: list[Article], stored_hashes: dict[str, str | None]) -> list[dict]:
    """Undo folds that could lose a story; returns one conflict per page kept under its own URL.

    `stored_hashes`: content_hash of articles already stored under the canonical ids involved."""
    groups: dict[str, list[int]] = {}
    own_ids = {p.entry.article_id for p in pages}
    for i, (page, art) in enumerate(zip(pages, arts, strict=True)):
        if art.article_id != page.entry.article_id:
            groups.setdefault(art.article_id, []).append(i)
    conflicts = []
    for canonical_id, members in groups.items():
        twins = [i for i in members if is_twin(pages[i].entry.url, arts[i].canonical_url)]
        rest = [i for i in members if i not in twins]
        if not rest:
            continue
        hashes = {arts[i].content_hash for i in rest}
        if canonical_id in own_ids:  # the canonical page itself was fetched this run
            hashes |= {a.content_hash for p, a in zip(pages, arts, strict=True) if p.entry.article_id == canonical_id}
        if canonical_id in stored_hashes:
            hashes.add(stored_hashes[canonical_id])
        if len(hashes) == 1 and None not in hashes and not _section_of(pages[rest[0]].entry.url, arts[rest[0]].canonical_url):
            continue  # the same text everywhere: a true duplicate
        for i in rest:
            art, page = arts[i], pages[i]
            declared = art.canonical_url
            art.canonical_url = page.entry.url
            art.article_id = stable_id(page.entry.url)
            conflicts.append(dict(feed_url=page.entry.feed_url, url=page.entry.url,
                                  error=f"declares rel=canonical {declared}, which {len(members) - 1} other page(s) "
                                        "of this run or a stored article claim with different text; kept under its "
                                        "own URL"))
    return conflicts


def _section_of(url: str, canonical: str) -> bool:
    """The canonical is a folder above the page (a section index), not the page."""
    a, b = split_url(url), split_url(canonical)
    return a is not None and b is not None and b.path.endswith("/") and a.path.startswith(b.path) and a.path != b.path


def conflict_rows(run_id: str, now: datetime, conflicts: list[dict]) -> list[dict]:
    from tasks.rows import error_row

    return [error_row(run_id, "canonical", feed_url=c["feed_url"], url=c["url"], outcome="canonical_conflict",
                      error=c["error"], at=now) for c in conflicts]


def canonical_ids(arts: list[Article], pages: list) -> list[str]:
    """Ids of the canonical URLs pages were folded into (to read what is stored under them)."""
    return sorted({a.article_id for a, p in zip(arts, pages, strict=True) if a.article_id != p.entry.article_id})
