"""The daily report flow: query the views, draw the charts, write one self-contained HTML file and
point to it from a Prefect markdown artifact (key ``akhbar-daily-report``)."""

from __future__ import annotations

import logging
from pathlib import Path

from prefect import flow

from warehouse.paths import data_dir_for

log = logging.getLogger("akhbar.flows")

ARTIFACT_KEY = "akhbar-daily-report"


def write_report(db: str | Path, day: str | None = None, out_dir: str | Path | None = None,
                 days: int = 14, top: int = 10) -> Path:
    """Plain function behind the flow: returns the HTML file written."""
    from tasks.charts import render_report
    from warehouse.report_data import report_data

    db_path = Path(db)
    data = report_data(db_path, day, days=days, top=top)
    folder = Path(out_dir) if out_dir else data_dir_for(db_path) / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"akhbar-report-{data.day.isoformat()}.html"
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(render_report(data), encoding="utf-8")
    tmp.replace(out)
    return out


def _publish(path: Path, day: str | None) -> None:
    try:
        from prefect.artifacts import create_markdown_artifact

        uri = path.resolve().as_uri()
        create_markdown_artifact(
            key=ARTIFACT_KEY,
            markdown=f"# akhbar daily report\n\n[{path.name}]({uri})\n\nFile: `{path.resolve()}` "
                     "(self-contained HTML, opens offline).",
            description=f"Daily report {day or ''}".strip(),
        )
    except Exception as exc:  # the report file is the product; the artifact is a convenience
        log.warning("could not publish report artifact: %s", exc)


@flow(name="akhbar-report", log_prints=True)
def report(db: str, day: str | None = None, out_dir: str | None = None) -> str:
    """Write the daily HTML report (volume, wire share, biggest stories and their spread)."""
    path = write_report(db, day, out_dir)
    _publish(path, day)
    print(f"report written to {path}")
    return str(path)
