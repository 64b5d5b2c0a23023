"""`akhbar search`: ranked Arabic search over the warehouse (a thin layer over warehouse/search.py).

Registered by flows/cli_analysis.py, so the core CLI file does not change when search grows.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from flows.settings import DEFAULT_DB

MAX_HITS = 100_000  # more is no longer a search (and n x 50 candidates would overflow DuckDB's BIGINT)


class Sort(StrEnum):
    relevance = "relevance"
    recent = "recent"


class Format(StrEnum):
    table = "table"
    jsonl = "jsonl"


def hit_record(hit: dict) -> dict:
    """The JSON object of one hit (`--format jsonl`); fields may be added, never renamed."""
    when = hit.get("published_at")
    return {
        "article_id": hit["article_id"], "title": hit["title"], "source_id": hit["source_id"],
        "outlet": hit.get("outlet"), "published_at": when.isoformat() if when else None, "url": hit["url"],
        "cluster_id": hit["cluster_id"], "copies": hit["copies"], "score": round(float(hit["score"]), 4),
        "matched_words": hit.get("matched_words", []), "snippet": hit.get("snippet", ""),
    }


def _marked(text: str, spans: list[tuple[int, int]]):
    from rich.text import Text

    out = Text(text)
    for a, b in spans:
        out.stylize("bold yellow", a, b)
    return out


def register(app: typer.Typer) -> None:
    # a query may begin with a minus (-word excludes it): an unknown "option" is the query itself
    @app.command("search", context_settings={"ignore_unknown_options": True})
    def search_cmd(
        query: Annotated[str, typer.Argument(help='Words to find, any form of each (حكومة finds الحكومية, '
                                                  'حكومات, وللحكومة...); "a phrase" in double quotes; '
                                                  'A OR B (أو); -word to exclude; prefix*')],
        db: Annotated[Path, typer.Option("--db", help="DuckDB warehouse file")] = DEFAULT_DB,
        limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=MAX_HITS, help="Number of hits")] = 10,
        sort: Annotated[Sort, typer.Option("--sort", help="relevance (title words first, then BM25) or recent")] = Sort.relevance,
        all_copies: Annotated[bool, typer.Option("--all-copies", help="List every copy of a story, not one hit per story cluster")] = False,
        outlet: Annotated[list[str] | None, typer.Option("--outlet", help="Only this outlet (source id); repeatable")] = None,
        country: Annotated[list[str] | None, typer.Option("--country", help="Only outlets of this country (ISO code, e.g. EG); repeatable")] = None,
        agency: Annotated[list[str] | None, typer.Option("--agency", help="Only copies of this wire agency (e.g. reuters, afp); repeatable")] = None,
        since: Annotated[str | None, typer.Option("--since", metavar="TIME", help="Published at or after (YYYY-MM-DD[THH:MM], UTC unless Z/±HH:MM)")] = None,
        until: Annotated[str | None, typer.Option("--until", metavar="TIME", help="Published before (YYYY-MM-DD[THH:MM], UTC unless Z/±HH:MM)")] = None,
        fmt: Annotated[Format, typer.Option("--format", help="table, or jsonl: one JSON object per hit")] = Format.table,
        reindex: Annotated[bool, typer.Option("--reindex", help="Rebuild the search index first (needs the warehouse unlocked)")] = False,
    ) -> None:
        """Arabic full-text search over titles and texts: every word must match, in any of its forms."""
        from flows.cli import _fail, _out, console, require_warehouse
        from flows.params import parse_window
        from warehouse.db import WarehouseLocked, WarehouseMissing, WarehouseUnusable, schema_is_current
        from warehouse.lake import is_lake
        from warehouse.search import SearchIndexMissing, SearchQueryError, refresh_search, search

        start, end = parse_window(since, until, "--since", "--until")  # the shared reading of times
        try:
            # As every reading command: a missing or foreign file is refused, and a warehouse
            # written by an older akhbar has its schema upgraded; its search index (none, or one
            # of an older analyzer) is then rebuilt, as `--reindex` would.
            try:
                older = not is_lake(db) and db.is_file() and not schema_is_current(db)
            except WarehouseUnusable:
                older = False  # require_warehouse says what the file is
            require_warehouse(db)
            if reindex or older:
                stats = refresh_search(db, full=True)
                typer.echo(f"search index rebuilt: {stats['indexed']} articles in {stats['seconds']:.1f}s",
                           err=True)  # stderr: stdout may be --format jsonl
            hits = search(db, query, limit, sort=sort.value, outlets=outlet or None, countries=country or None,
                          agencies=agency or None, since=start, until=end, all_copies=all_copies)
        except (WarehouseMissing, WarehouseLocked, SearchIndexMissing, SearchQueryError) as exc:
            _fail(str(exc))
            return
        if fmt is Format.jsonl:
            for hit in hits:
                sys.stdout.write(json.dumps(hit_record(hit), ensure_ascii=False) + "\n")
            return
        if not hits:
            from warehouse.search import parse_query

            if parse_query(query).empty:
                console.print(f"nothing to search for in {query!r}: only stopwords, punctuation or symbols")
            else:
                console.print(f"no article matches {query!r}")
            return
        from rich.table import Table

        table = Table(title=f"{len(hits)} hit(s) for {query!r}" + ("" if all_copies else " (one per story)"))
        for col in ("#", "title", "outlet", "date", "copies", "snippet", "score"):
            table.add_column(col, overflow="fold", max_width=70)
        for i, h in enumerate(hits, 1):
            table.add_row(str(i), _marked(h["title"] or "", h["title_highlights"]), h["outlet"] or h["source_id"],
                          h["published_at"].strftime("%Y-%m-%d %H:%M") if h["published_at"] else "",
                          str(h["copies"]), _marked(h["snippet"], h["highlights"]), f"{h['score']:.2f}")
        _out().print(table)
