"""An error as one line, for run summaries and the rows that record a failure.

A module of its own, importing nothing: the extraction workers report their failures with it, and
importing it from `warehouse.load` brought DuckDB and pyarrow into a worker (~100 MB of RSS for the
rest of its life) at its first failing page.
"""

from __future__ import annotations


def error_line(exc: BaseException) -> str:
    """An error as one line for a run's summary: its type and message, whitespace folded."""
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:300]
