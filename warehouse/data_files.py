"""The shipped data files (word lists, lexicons: ``tasks/data``, ``warehouse/data``), read one way.

Read by tasks (the dedupe key, attribution) and by the warehouse (search analysis, the matching
key) alike, so the reader lives here, at the bottom, as warehouse/paths.py and warehouse/arabic.py do.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def data_lines(package: str, name: str, inline_comments: bool | None = None) -> tuple[str, ...]:
    """The lines of ``<package>/data/<name>`` that hold data, their comments off: text after '#'
    (``inline_comments``), or only a line that opens with '#' (a file of regex patterns, where '#'
    may stand: by default a ``.tsv``; indented, too). A line of only whitespace holds none. A byte-order
    mark (a file saved by a Windows editor) is no part of the first line: read there, it would turn
    a first comment into data and a first word into another word."""
    raw = resources.files(package).joinpath(f"data/{name}").read_text("utf-8-sig")
    if inline_comments is None:
        inline_comments = not name.endswith(".tsv")
    if inline_comments:
        lines = (line.split("#", 1)[0] for line in raw.splitlines())
    else:
        lines = (line for line in raw.splitlines() if not line.lstrip().startswith("#"))
    return tuple(line for line in lines if line.strip())


__all__ = ["data_lines"]
