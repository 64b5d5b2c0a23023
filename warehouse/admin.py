"""Small operator writes (outside an ingest run): enable/disable feeds."""

from __future__ import annotations

from pathlib import Path

from warehouse.db import writer


def set_feed_enabled(db_path: Path, selector: str, enabled: bool) -> int:
    """Match a feed by URL, feed id or outlet id; returns how many feeds changed."""
    with writer(db_path) as con:
        ids = [r[0] for r in con.execute(
            "SELECT feed_id FROM feeds WHERE url = $s OR feed_id = $s OR source_id = $s", {"s": selector}
        ).fetchall()]
        if not ids:
            return 0
        if enabled:
            con.execute(
                "UPDATE feeds SET disabled = FALSE, disabled_reason = NULL, consecutive_failures = 0,"
                " failure_score = 0, next_fetch_at = NULL WHERE feed_id IN (SELECT unnest($ids))", {"ids": ids})
        else:
            con.execute("UPDATE feeds SET disabled = TRUE, disabled_reason = 'manual'"
                        " WHERE feed_id IN (SELECT unnest($ids))", {"ids": ids})
        return len(ids)
