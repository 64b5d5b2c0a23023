"""Generate a large simulated Arabic news web in the dev fixture-web layout (deterministic).

    python -m bench.bigweb OUT_DIR [--outlets 32] [--pages 64] [--seed 7]

Layout = tests/fixtures/web/dev: manifest.json, feeds.json, site/<host>/..., served by
tests.webserver.FixtureWeb (with {{BASE}} substitution). How it is built:

* every dev outlet (8 templates) is cloned under new host names (`c01-al-sahil.example`, ...)
  until there are `outlets` outlets; the clone keeps its template family and page charset;
* each outlet gets `pages` article pages, each made from one of its template outlet's dev pages
  under a new URL (`/<host>/news/<n>.html`): the page's own URL (canonical, og:url, JSON-LD) is
  rewritten, the title gets a serial, and every gold body paragraph of 6+ words is replaced by
  a new text: ~half of its words swapped for random dev-vocabulary words and reordered in
  chunks, so 5-gram shingles do not survive and the page is a distinct story;
* ~20 % of pages are wire copies: they take their paragraphs from a shared wire story (2-5
  copies over different outlets; a copy may drop its last paragraph), so dedupe has clusters;
* every HH:MM clock time in a page is replaced by a random one for that page;
* two feeds per outlet: rss2 `rss/latest.xml` (all items, up to 100) and atom
  `feeds/world.atom` (every other item), so some pages are listed twice.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "fixtures" / "web" / "dev"
BASE = "{{BASE}}"
_CLOCK_RE = re.compile(r"(?<![\d:])\d{2}:\d{2}(?=(?::\d{2})?(?![\d:]))")


@dataclass
class Template:
    outlet: dict  # feeds.json row of the outlet (first feed)
    host: str
    pages: list[dict]  # [{entry (manifest), gold, text (decoded html)}]


def _templates() -> list[Template]:
    manifest = json.loads((DEV / "manifest.json").read_text("utf-8"))
    feeds = json.loads((DEV / "feeds.json").read_text("utf-8"))
    gold = {g["url_path"]: g for g in map(json.loads, (DEV / "gold.jsonl").read_text("utf-8").splitlines())}
    out: dict[str, Template] = {}
    for f in feeds:
        out.setdefault(f["host"], Template(outlet=f, host=f["host"], pages=[]))
    for m in manifest:
        if m["kind"] != "page":
            continue
        host = m["url_path"].split("/")[1]
        text = (DEV / m["file"]).read_bytes().decode(m["encoding"])
        out[host].pages.append({"entry": m, "gold": gold[m["url_path"]], "text": text})
    return [t for t in out.values() if t.pages]


def _vocab() -> list[str]:
    words: set[str] = set()
    for line in (DEV / "gold.jsonl").read_text("utf-8").splitlines():
        for p in json.loads(line)["body_paragraphs"]:
            words.update(w for w in p.split() if len(w) > 2)
    return sorted(words)


def _remix(paragraph: str, rng: random.Random, vocab: list[str]) -> str:
    """Same length, about half the words new, chunks reordered: a different story to a shingler."""
    words = paragraph.split()
    words = [rng.choice(vocab) if rng.random() < 0.5 else w for w in words]
    chunks = [words[i:i + 4] for i in range(0, len(words), 4)]
    rng.shuffle(chunks)
    return " ".join(w for c in chunks for w in c)


def _encodable(words: list[str], encoding: str) -> list[str]:
    ok = []
    for w in words:
        try:
            w.encode(encoding)
            ok.append(w)
        except UnicodeEncodeError:
            pass
    return ok


@dataclass
class BigPage:
    outlet: int
    host: str
    oid: str
    name: str
    country: str
    path: str
    body: bytes
    encoding: str
    headers: dict
    published: datetime
    title: str
    summary: str
    wire: bool


def iter_pages(outlets: int = 32, pages_per_outlet: int = 64, seed: int = 7, wire_share: float = 0.2,
               minutes_apart: int = 37) -> Iterator[BigPage]:
    """The article pages of the big web, outlet by outlet (see the module doc). Page i of an
    outlet is published `minutes_apart` x (pages_per_outlet - i) minutes before the web's end
    (2026-11-28 12:00 UTC), outlets 3 minutes apart, so a bigger web spans proportionally more days."""
    rng = random.Random(seed)
    templates = _templates()
    vocab = _vocab()
    vocab_by_enc = {"utf-8": vocab, "windows-1256": _encodable(vocab, "windows-1256")}
    t_end = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)

    # Wire stories: a shared paragraph list per story, copied by 2-5 pages of different outlets.
    total = outlets * pages_per_outlet
    n_wire_pages = int(total * wire_share)
    wire_slots: list[int] = []
    story = 0
    while len(wire_slots) < n_wire_pages:
        wire_slots += [story] * rng.randint(2, 5)
        story += 1
    wire_slots = wire_slots[:n_wire_pages]
    page_story: dict[int, int] = {}
    slots = rng.sample(range(total), len(wire_slots))
    # copies of one story land on the same page index of different outlets (same day, other hosts)
    slots.sort(key=lambda s: (s % pages_per_outlet, s // pages_per_outlet))
    for s, st in zip(slots, sorted(wire_slots), strict=True):
        page_story[s] = st
    wire_texts: dict[int, list[str]] = {}
    iter_pages.wire_stories = story  # type: ignore[attr-defined]

    for o in range(outlets):
        tpl = templates[o % len(templates)]
        clone = o // len(templates) + 1
        host = f"c{clone:02d}-{tpl.host}"
        oid = f"{tpl.outlet['outlet_id']}{clone:02d}"
        name = f"{tpl.outlet['outlet_name']} {clone}"
        for i in range(pages_per_outlet):
            src = tpl.pages[i % len(tpl.pages)]
            entry, g = src["entry"], src["gold"]
            enc = entry["encoding"]
            serial = o * 10_000 + i
            path = f"/{host}/news/{serial}.html"
            text = src["text"]
            old_url = BASE + entry["url_path"]
            text = text.replace(old_url, "\0URL\0")
            # AMP twin links would point at pages we do not serve: fine (404, never fetched).
            text = text.replace(tpl.host, host).replace("\0URL\0", BASE + path)
            title = f"{g['title']} ({serial})"
            text = text.replace(g["title"], escape(title, quote=False))
            global_slot = o * pages_per_outlet + i
            st = page_story.get(global_slot)
            paras = [p for p in g["body_paragraphs"] if len(p.split()) >= 6]
            if st is not None:
                if st not in wire_texts:
                    srng = random.Random(f"{seed}-wire-{st}")
                    wire_texts[st] = [_remix(p, srng, vocab_by_enc["windows-1256"]) for p in paras]
                shared = wire_texts[st]
                new = [shared[k % len(shared)] for k in range(len(paras))]
                if len(new) > 3 and rng.random() < 0.3:
                    new[-1] = _remix(paras[-1], rng, vocab_by_enc[enc])  # copy with a local ending
            else:
                new = [_remix(p, rng, vocab_by_enc[enc]) for p in paras]
            for p, q in zip(paras, new, strict=True):
                text = text.replace(p, q)
            # Own clock time per page (every HH:MM in it), so date strings are not 32 clones of the
            # same 64 values (htmldate/dateparser cache parsed strings; real pages rarely repeat).
            hhmm = f"{rng.randrange(24):02d}:{rng.randrange(60):02d}"
            text = _CLOCK_RE.sub(hhmm, text)
            body = text.encode(enc, errors="xmlcharrefreplace")
            published = t_end - timedelta(minutes=minutes_apart * (pages_per_outlet - i) + 3 * o)
            headers = dict(entry["headers"])
            headers["ETag"] = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
            headers["Last-Modified"] = format_datetime(published, usegmt=True)
            summary = (new[0] if new else g["title"])[:200]
            yield BigPage(o, host, oid, name, tpl.outlet["country"], path, body, enc, headers, published, title,
                          summary, st is not None)


def generate(out: Path, outlets: int = 32, pages_per_outlet: int = 64, seed: int = 7,
             wire_share: float = 0.2) -> dict:
    manifest: list[dict] = []
    feeds_json: list[dict] = []
    t_end = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    stats = {"outlets": outlets, "pages": 0, "wire_pages": 0, "wire_stories": 0, "bytes": 0, "feeds": 0}
    by_outlet: dict[int, list[BigPage]] = {}
    for pg in iter_pages(outlets, pages_per_outlet, seed, wire_share):
        rel = "site" + pg.path
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(pg.body)
        stats["bytes"] += len(pg.body)
        stats["pages"] += 1
        stats["wire_pages"] += pg.wire
        manifest.append({"url_path": pg.path, "file": rel, "status": 200, "kind": "page", "encoding": pg.encoding,
                         "headers": pg.headers})
        by_outlet.setdefault(pg.outlet, []).append(pg)
    stats["wire_stories"] = iter_pages.wire_stories  # type: ignore[attr-defined]
    for pages in by_outlet.values():
        first = pages[0]
        items = [(pg.title, pg.path, pg.published, pg.summary) for pg in pages]
        items.reverse()  # newest first
        for feed_path, fmt, chosen in ((f"/{first.host}/rss/latest.xml", "rss2", items[:100]),
                                       (f"/{first.host}/feeds/world.atom", "atom", items[::2][:100])):
            xml = (_rss(first.name, first.host, feed_path, chosen) if fmt == "rss2"
                   else _atom(first.name, first.host, feed_path, chosen))
            rel = "site" + feed_path
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            data = xml.encode("utf-8")
            (out / rel).write_bytes(data)
            ctype = "application/rss+xml; charset=utf-8" if fmt == "rss2" else "application/atom+xml; charset=utf-8"
            manifest.append({"url_path": feed_path, "file": rel, "status": 200, "kind": "feed", "encoding": "utf-8",
                             "headers": {"Content-Type": ctype,
                                         "ETag": '"' + hashlib.sha1(data).hexdigest()[:20] + '"',
                                         "Last-Modified": format_datetime(t_end, usegmt=True)}})
            feeds_json.append({"outlet_id": first.oid, "outlet_name": first.name, "host": first.host,
                               "country": first.country, "feed_path": feed_path, "format": fmt,
                               "title": first.name})
            stats["feeds"] += 1
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=0), "utf-8")
    (out / "feeds.json").write_text(json.dumps(feeds_json, ensure_ascii=False, indent=0), "utf-8")
    (out / "bigweb.json").write_text(json.dumps(stats), "utf-8")
    return stats


_ISO_DATE = re.compile(rb"20\d\d-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?")


def write_warc(out: Path, pages: int, seed: int = 7, outlets: int = 32) -> dict:
    """A WARC of `pages` big-web article pages (CC-NEWS style: one response record per page, in
    crawl order = publication order), for `akhbar ingest-warc` at scale. The machine-readable
    dates of each page (JSON-LD, meta, <time>) say its own publication time, so articles spread
    over days as on a real crawl (~1,250 a day): the dedupe window holds a few days of them
    whatever the size of the file. Returns counts."""
    import zlib

    from tasks.archive import WarcWriter

    per = -(-pages // outlets)
    out.parent.mkdir(parents=True, exist_ok=True)
    held = []  # (published, path, compressed page): sorted into crawl order before writing
    for pg in iter_pages(outlets, per, seed):
        held.append((pg.published, pg.path, zlib.compress(pg.body, 1), pg.headers))
    held.sort(key=lambda x: (x[0], x[1]))
    batch = held[:pages]
    tmp = out.parent / (out.name + ".parts")
    writer = WarcWriter(tmp, "bigweb", max_bytes=1 << 40)
    for published, path, packed, headers in batch:
        stamp = published.strftime("%Y-%m-%dT%H:%M:%S+00:00").encode()
        body = _ISO_DATE.sub(stamp, zlib.decompress(packed)).replace(BASE.encode(), b"https:/")
        writer.write_response(f"https:/{path}", 200, dict(headers), body, published + timedelta(minutes=5))
    writer.close()
    [part] = sorted(tmp.glob("*.warc.gz"))
    part.rename(out)
    tmp.rmdir()
    return {"pages": len(batch), "bytes": out.stat().st_size, "first": str(batch[0][0]),
            "last": str(batch[-1][0])}


def _rss(name: str, host: str, feed_path: str, items: list) -> str:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', '<rss version="2.0"><channel>',
             f"<title>{escape(name)}</title><link>{BASE}/{host}/</link><description>{escape(name)}</description>"]
    for title, path, published, summary in items:
        parts.append(f"<item><title>{escape(title)}</title><link>{BASE}{path}</link>"
                     f'<guid isPermaLink="true">{BASE}{path}</guid>'
                     f"<pubDate>{format_datetime(published)}</pubDate>"
                     f"<description>{escape(summary)}</description></item>")
    parts.append("</channel></rss>")
    return "\n".join(parts)


def _atom(name: str, host: str, feed_path: str, items: list) -> str:
    parts = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">',
             f"<title>{escape(name)}</title><id>{BASE}{feed_path}</id>"
             f"<updated>{items[0][2].isoformat() if items else '2026-11-28T00:00:00+00:00'}</updated>"]
    for title, path, published, summary in items:
        parts.append(f"<entry><title>{escape(title)}</title><link href=\"{BASE}{path}\"/>"
                     f"<id>{BASE}{path}</id><updated>{published.isoformat()}</updated>"
                     f"<published>{published.isoformat()}</published>"
                     f"<summary>{escape(summary)}</summary></entry>")
    parts.append("</feed>")
    return "\n".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--outlets", type=int, default=32)
    ap.add_argument("--pages", type=int, default=64)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--warc", type=int, default=None, metavar="N",
                    help="write OUT as a WARC of N article pages instead of a web directory")
    a = ap.parse_args()
    if a.warc:
        print(write_warc(a.out, a.warc, a.seed, a.outlets))
        return
    a.out.mkdir(parents=True, exist_ok=True)
    print(generate(a.out, a.outlets, a.pages, a.seed))


if __name__ == "__main__":
    main()
