"""Where a warehouse's side files live (staging batches, WARC archive, snapshots, reports, locks).

A layout fact shared by tasks, flows and the warehouse itself, so it lives here, at the bottom.
"""

from __future__ import annotations

from pathlib import Path

from warehouse import lake


def data_dir_for(db_path: Path | str) -> Path:
    """Staging batches, WARC archive and snapshots live next to the warehouse file (a lake on
    PostgreSQL: in the shared directory every machine mounts, see warehouse/lake.py)."""
    found = lake.parse(db_path)
    if found is not None:
        return found.side_dir
    db_path = Path(db_path)
    return db_path.parent / f"{db_path.stem}.d"
