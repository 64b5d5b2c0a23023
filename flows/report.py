"""The daily report flow: query the views, draw the charts, write one self-contained HTML file,
and attach the report's key figures to the run (Prefect artifacts `akhbar-daily-report`,
markdown, and `akhbar-report-figures`, a table), so the UI shows them without opening a file.

The file's path is shown as text: the Prefect UI runs in a browser that usually cannot open a
`file://` link on the machine that ran the flow.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import Annotated

from prefect import flow
from pydantic import Field

from flows import runlog, tuning
from flows.meta import run_name, version
from flows.params import OptionalDay
from flows.settings import DEFAULT_DB
from warehouse.paths import data_dir_for

tuning.prepare_process()  # no wait for Prefect's heartbeat thread; imports frozen out of the GC's walks

log = logging.getLogger("akhbar.flows")

ARTIFACT_KEY = "akhbar-daily-report"
FIGURES_KEY = "akhbar-report-figures"
WINDOW_DAYS = 14


def build_report(db: str | Path, day: str | date | None = None, out_dir: str | Path | None = None,
                 days: int = WINDOW_DAYS, top: int = 10):
    """Write the HTML file; returns (path, the ReportData it was drawn from)."""
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
    return out, data


def write_report(db: str | Path, day: str | date | None = None, out_dir: str | Path | None = None,
                 days: int = WINDOW_DAYS, top: int = 10) -> Path:
    """Plain function behind the flow: returns the HTML file written."""
    return build_report(db, day, out_dir, days, top)[0]


def key_figures(data) -> list[dict]:
    """The report's headline numbers, one row each (the table artifact)."""
    window = f"{data.start.isoformat()} to {data.day.isoformat()}"
    day_wire = [w for w in data.wire if w["day"] == data.day]
    top_agency = max(day_wire, key=lambda w: w["articles"], default=None)
    widest = data.clusters[0] if data.clusters else None
    rows = [
        ("articles on the day", data.totals.get("articles_on_day", 0), data.day.isoformat()),
        ("articles in the window", sum(r["articles"] for r in data.volume), window),
        ("outlets publishing in the window", len({r["source_id"] for r in data.volume}), window),
        ("story clusters shared by 2+ outlets", len(data.clusters), f"{window} (top {len(data.clusters)} shown)"),
        ("widest story: outlets", widest["n_outlets"] if widest else 0, (widest or {}).get("title") or ""),
        ("top wire agency on the day", top_agency["agency"] if top_agency else "none",
         f"{top_agency['share']:.0%} of the day's articles" if top_agency and top_agency.get("share") is not None
         else ""),
        ("outlets with extraction drift", len(data.drift), ", ".join(d["source_id"] for d in data.drift[:8])),
        ("articles in the warehouse", data.totals.get("articles", 0), f"{data.totals.get('outlets', 0)} outlets"),
    ]
    return [{"figure": f, "value": v, "detail": d} for f, v, d in rows]


def report_markdown(path: Path, data) -> str:
    lines = [f"# akhbar daily report — {data.day.isoformat()}", "",
             f"File: `{path.resolve()}`", "",
             f"Self-contained HTML (charts work offline), written on the machine that ran this flow; "
             f"window {data.start.isoformat()} to {data.day.isoformat()} ({data.days} days, UTC).", "",
             "## Key figures", "", "| figure | value | detail |", "|---|---:|---|"]
    lines += [f"| {r['figure']} | {r['value']} | {str(r['detail']).replace('|', '/')} |" for r in key_figures(data)]
    if data.clusters:
        lines += ["", "## Biggest stories", "", "| outlets | articles | agency | title |", "|---:|---:|---|---|"]
        lines += [f"| {c['n_outlets']} | {c['n_articles']} | {c.get('agency') or ''} | "
                  f"{(c.get('title') or '').replace('|', '/')} |" for c in data.clusters[:5]]
    return "\n".join(lines) + "\n"


def _publish(path: Path, data) -> None:
    try:
        from prefect.artifacts import create_markdown_artifact, create_table_artifact

        create_markdown_artifact(key=ARTIFACT_KEY, markdown=report_markdown(path, data),
                                 description=f"Daily report {data.day.isoformat()}: {path.resolve()}")
        create_table_artifact(key=FIGURES_KEY, table=key_figures(data),
                              description=f"Key figures of the daily report {data.day.isoformat()}")
    except Exception as exc:  # the report file is the product; the artifacts are a convenience
        log.warning("could not publish report artifacts: %s", exc)


@flow(name="report", log_prints=True, version=version(), flow_run_name=run_name("report", scoped=False),
      description="Write the daily HTML report (volume per outlet, wire share, biggest stories and their "
                  "spread) and attach its key figures to the run.")
@runlog.in_run_scope
def report(
    db: Annotated[str, Field(
        title="Warehouse file", description="DuckDB warehouse the report reads.")] = str(DEFAULT_DB),
    day: Annotated[OptionalDay, Field(
        title="Last day",
        description=f"Last day (UTC) of the {WINDOW_DAYS}-day window the report covers. Empty: today (UTC).")] = None,
    out_dir: Annotated[str | None, Field(
        title="Output folder",
        description="Folder for the HTML file. Empty: `reports/` in the warehouse's side folder "
                    "(<warehouse>.d/reports).")] = None,
) -> str:
    """Write the daily HTML report (volume, wire share, biggest stories and their spread)."""
    path, data = build_report(db, day, out_dir)
    _publish(path, data)
    print(f"report written to {path}")
    return str(path)
