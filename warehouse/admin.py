"""Small operator writes (outside an ingest run): enable/disable feeds."""

from __future__ import annotations

from pathlib import Path

from warehouse.db import WarehouseMissing, exists, writer


def set_feed_enabled(db_path: Path, selector: str, enabled: bool) -> int:
    """Match feeds by URL, feed id or outlet id; returns how many feeds changed."""
    return len(change_feeds_enabled(db_path, selector, enabled))


def change_feeds_enabled(db_path: Path, selector: str, enabled: bool) -> list[tuple[str, str, str]]:
    """Match feeds by URL, feed id or outlet id; returns the (feed_id, source_id, url) changed.

    Never creates a warehouse: a mistyped path is an error, not a new empty file."""
    if not exists(db_path):
        raise WarehouseMissing(f"no warehouse at {db_path}: run `akhbar ingest --db {db_path}` first")
    with writer(db_path) as con:
        matched = [tuple(r) for r in con.execute(
            "SELECT feed_id, source_id, url FROM feeds WHERE url = $s OR feed_id = $s OR source_id = $s "
            "ORDER BY source_id, url", {"s": selector}
        ).fetchall()]
        ids = [m[0] for m in matched]
        if not ids:
            return []
        if enabled:
            con.execute(
                "UPDATE feeds SET disabled = FALSE, disabled_reason = NULL, consecutive_failures = 0,"
                " failure_score = 0, next_fetch_at = NULL WHERE feed_id IN (SELECT unnest($ids))", {"ids": ids})
        else:
            con.execute("UPDATE feeds SET disabled = TRUE, disabled_reason = 'manual'"
                        " WHERE feed_id IN (SELECT unnest($ids))", {"ids": ids})
        return matched
