"""Everything the CLI prints, in one style: rich on a terminal, plain text when piped.

* Results (summaries, tables, query rows) go to **stdout**; errors, warnings, hints and progress
  bars to **stderr**, so `akhbar sql … > out.txt` holds only the result.
* Run summaries are the same Markdown the flows publish as Prefect artifacts (a small subset:
  `#` titles, `-` items, pipe tables, `**bold**`, `` `code` ``). :func:`show_summary` renders it
  with rich styles and tables on a terminal and as plain aligned text otherwise (no `**`, no
  `|---|`, no wrapping), so every command's summary looks the same.
* Set ``NO_COLOR=1`` for a terminal without colours; ``AKHBAR_PLAIN=1`` forces plain output.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

_INLINE = re.compile(r"\*\*(.+?)\*\*|`([^`]+)`")


def _plain_forced() -> bool:
    return os.environ.get("AKHBAR_PLAIN", "") not in ("", "0")


def rich_stdout() -> bool:
    return sys.stdout.isatty() and not _plain_forced()


def out_console() -> Console:
    """stdout: the terminal's width on a terminal; never wrapped when piped."""
    if rich_stdout():
        return Console(highlight=False)
    return Console(width=100_000, no_color=True, highlight=False, soft_wrap=True, force_terminal=False)


def err_console() -> Console:
    if sys.stderr.isatty() and not _plain_forced():
        return Console(stderr=True, highlight=False)
    return Console(stderr=True, width=100_000, no_color=True, highlight=False, soft_wrap=True,
                   force_terminal=False)


def warn(message: str) -> None:
    """One line on stderr (a hint or a warning that does not stop the command)."""
    err_console().print(Text.assemble(("warning: ", "bold yellow"), message), soft_wrap=True)


def note(message: str) -> None:
    """One neutral line on stderr (e.g. "waiting for …")."""
    err_console().print(Text(message, style="dim"), soft_wrap=True)


# ---------------------------------------------------------------- Markdown subset → blocks


@dataclass
class Block:
    kind: str                      # "title", "heading", "item", "text", "table", "blank"
    text: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    right: list[bool] = field(default_factory=list)


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [c.strip() for c in re.split(r"(?<!\\)\|", inner)]


def parse_markdown(md: str) -> list[Block]:
    blocks: list[Block] = []
    lines = md.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("|") and i + 1 < len(lines) and re.fullmatch(r"\|?[\s:|-]+\|?", lines[i + 1].strip()):
            header = _cells(line)
            right = [c.strip().endswith(":") for c in _cells(lines[i + 1])]
            rows = []
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(_cells(lines[i]))
                i += 1
            blocks.append(Block("table", header=header, rows=rows, right=right))
            continue
        if line.startswith("# "):
            blocks.append(Block("title", line[2:].strip()))
        elif line.startswith("#"):
            blocks.append(Block("heading", line.lstrip("#").strip()))
        elif line.lstrip().startswith(("- ", "* ")):
            blocks.append(Block("item", line.lstrip()[2:]))
        elif not line.strip():
            if blocks and blocks[-1].kind != "blank":
                blocks.append(Block("blank"))
        else:
            blocks.append(Block("text", line.strip()))
        i += 1
    while blocks and blocks[-1].kind == "blank":
        blocks.pop()
    return blocks


def strip_inline(text: str) -> str:
    return _INLINE.sub(lambda m: m.group(1) or m.group(2), text).replace("\\|", "|")


def _rich_inline(text: str, style: str = "") -> Text:
    out = Text(style=style)
    pos = 0
    for m in _INLINE.finditer(text):
        out.append(text[pos:m.start()].replace("\\|", "|"))
        if m.group(1) is not None:
            out.append(m.group(1), style="bold")
        else:
            out.append(m.group(2), style="cyan")
        pos = m.end()
    out.append(text[pos:].replace("\\|", "|"))
    return out


def plain_table(header: Sequence[str], rows: Iterable[Sequence[str]], right: Sequence[bool] = ()) -> list[str]:
    """Aligned columns separated by two spaces (terminal cell widths, so Arabic lines up)."""
    rows = [[strip_inline(str(c)) for c in r] for r in rows]
    header = [strip_inline(h) for h in header]
    n = max([len(header)] + [len(r) for r in rows])
    grid = [list(header) + [""] * (n - len(header))] + [r + [""] * (n - len(r)) for r in rows]
    grid = [[c.replace("\n", " ") for c in r] for r in grid]
    widths = [max(cell_len(r[j]) for r in grid) for j in range(n)]
    out = []
    for r in grid:
        parts = []
        for j, c in enumerate(r):
            pad = " " * (widths[j] - cell_len(c))
            is_right = j < len(right) and right[j]
            parts.append(pad + c if is_right else (c + pad if j < n - 1 else c))
        out.append("  ".join(parts).rstrip())
    return out


def render_plain(md: str) -> str:
    lines: list[str] = []
    for b in parse_markdown(md):
        if b.kind in ("title", "heading", "text"):
            lines.append(strip_inline(b.text))
        elif b.kind == "item":
            lines.append("- " + strip_inline(b.text))
        elif b.kind == "blank":
            lines.append("")
        elif b.kind == "table":
            lines.extend(plain_table(b.header, b.rows, b.right))
    return "\n".join(lines) + "\n"


def _rich_table(header: Sequence[str], rows: Iterable[Sequence[str]], right: Sequence[bool] = (),
                max_width: int | None = None) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    for j, h in enumerate(header):
        table.add_column(strip_inline(h), justify="right" if j < len(right) and right[j] else "left",
                         overflow="fold", max_width=max_width)
    for r in rows:
        table.add_row(*[_rich_inline(str(c)) for c in r])
    return table


def show_summary(md: str) -> None:
    """A run summary (Markdown) on stdout, rich on a terminal, plain when piped."""
    if not rich_stdout():
        sys.stdout.write(render_plain(md))
        sys.stdout.flush()
        return
    console = out_console()
    for b in parse_markdown(md):
        if b.kind == "title":
            console.print(_rich_inline(b.text, "bold"))
        elif b.kind == "heading":
            console.print(_rich_inline(b.text, "bold underline"))
        elif b.kind == "item":
            console.print(Text("• ") + _rich_inline(b.text))
        elif b.kind == "text":
            console.print(_rich_inline(b.text))
        elif b.kind == "blank":
            console.print()
        elif b.kind == "table":
            console.print(_rich_table(b.header, b.rows, b.right))


def print_table(columns: Sequence[str], rows: Sequence[Sequence], title: str | None = None,
                max_width: int = 60) -> None:
    """Rows as a table on stdout: rich on a terminal, aligned plain text when piped."""
    cells = [["" if v is None else str(v) for v in row] for row in rows]
    if not rich_stdout():
        text = ([title] if title else []) + plain_table([str(c) for c in columns], cells)
        sys.stdout.write("\n".join(text) + "\n")
        sys.stdout.flush()
        return
    table = _rich_table([str(c) for c in columns], cells, max_width=max_width)
    table.title = title
    out_console().print(table)


def print_line(text: str) -> None:
    """A one-line result on stdout (e.g. "exported 12 articles to …")."""
    out_console().print(Text(text), soft_wrap=True)


# ---------------------------------------------------------------- progress bars (stderr)


class _RichReporter:
    """Stage progress as rich bars (feeds, pages, extraction) for runs started by hand."""

    LABELS = {"feeds": "feeds  ", "pages": "pages  ", "extract": "extract"}

    def __init__(self, bars: Progress):
        self.bars = bars
        self.ids: dict[str, int] = {}

    def start(self, stage: str, total: int) -> None:
        if stage in self.ids:
            self.bars.update(self.ids[stage], total=total, completed=0)
        else:
            self.ids[stage] = self.bars.add_task(self.LABELS.get(stage, stage), total=total)

    def advance(self, stage: str, n: int = 1) -> None:
        if stage in self.ids:
            self.bars.advance(self.ids[stage], n)


def bars_enabled() -> bool:
    return sys.stderr.isatty() and not _plain_forced()


@contextmanager
def progress_bars() -> Iterator[None]:
    """Stage bars on stderr while the block runs (terminal only: logs and pipes get none)."""
    from tasks import progress

    if not bars_enabled():
        yield
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err_console(), transient=True) as bars:
        progress.set_reporter(_RichReporter(bars))
        try:
            yield
        finally:
            progress.set_reporter(None)


@contextmanager
def byte_progress(total: int, description: str) -> Iterator[Progress | None]:
    """A bytes bar with a status field (WARC reading); None when stderr is not a terminal."""
    from rich.progress import DownloadColumn, TimeRemainingColumn

    if not bars_enabled():
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
               TextColumn("{task.fields[status]}"))
    with Progress(*columns, console=err_console(), transient=True) as bar:
        bar.add_task(description, total=total, status="")
        yield bar
