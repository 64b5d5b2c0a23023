"""Where a warehouse's side files live (staging batches, WARC archive, snapshots, reports, locks).

A layout fact shared by tasks, flows and the warehouse itself, so it lives here, at the bottom.
"""

from __future__ import annotations

from pathlib import Path


def data_dir_for(db_path: Path) -> Path:
    """Staging batches, WARC archive and snapshots live next to the warehouse file."""
    return db_path.parent / f"{db_path.stem}.d"
