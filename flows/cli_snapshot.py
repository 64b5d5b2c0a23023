"""`akhbar snapshot`: publish the read-only snapshot now.

Loads republish it by themselves while the warehouse is small, and on a large warehouse only every
AKHBAR_SNAPSHOT_EVERY_H hours (a copy costs time and disk writes in proportion to the whole
file); this command is the on-demand path. flows/cli.py adds it with ``register(app)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.settings import DEFAULT_DB


def register(app: typer.Typer) -> None:
    @app.command("snapshot")
    def snapshot_cmd(
        db: Annotated[Path, typer.Option("--db", help="DuckDB warehouse file")] = DEFAULT_DB,
        parquet: Annotated[Path | None, typer.Option(
            "--parquet", help="Also write one Parquet file per table into this folder (swapped in whole)")] = None,
        wait: Annotated[float, typer.Option("--wait", min=0, help="Seconds to wait for a load holding the file")] = 120.0,
    ) -> None:
        """Publish the read-only snapshot (<db stem>.snapshot.duckdb) now."""
        import time

        from flows.cli import EXIT_FAILED, _fail, console
        from warehouse.db import WarehouseMissing, exists
        from warehouse.snapshot import publish_parquet_snapshot, publish_snapshot

        if not exists(db):
            raise WarehouseMissing(f"no warehouse at {db}: run `akhbar ingest --db {db}` first")
        started = time.monotonic()
        path = publish_snapshot(db, wait_s=wait)
        if path is None:
            _fail(f"{db} stayed busy for {wait:.0f}s (a load holds it): the previous snapshot is kept; try again",
                  EXIT_FAILED)
            return
        console.print(f"snapshot: {path} ({path.stat().st_size / 2**20:,.0f} MB in {time.monotonic() - started:.1f}s)")
        if parquet is not None:
            out = publish_parquet_snapshot(db, parquet, wait_s=wait)
            console.print(f"parquet snapshot: {out}")
