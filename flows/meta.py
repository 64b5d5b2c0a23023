"""What a run and a deployment are called in the Prefect UI: the code version and run names.

- `version()`: the package version, plus the git commit when the code runs from a checkout
  (`0.1.0+g7cccb86`, `.dirty` if tracked files changed): the same string is the flows' version
  (each run shows it) and the deployments' version.
- `run_name(kind)`: a `flow_run_name` callable, so the runs list reads
  `ingest-bundled-20261128-0615` or `ingest-catalog-EG+gulf-dry-run-20261128-0930` instead of
  Prefect's random `practical-horse`: the flow, what it ran on, and when it was due (UTC).
"""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@lru_cache(maxsize=1)
def version() -> str:
    try:
        from importlib.metadata import version as dist_version

        base = dist_version("akhbar")
    except Exception:  # not installed (e.g. run from a bare source tree)
        base = "0+unknown"
    commit = _git_commit()
    if not commit or "+" in base:
        return base
    return f"{base}+g{commit}"


def _git_commit() -> str | None:
    if not (ROOT / ".git").exists():
        return None
    try:
        sha = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{sha}.dirty" if dirty else sha or None


def _slug(text: str, limit: int = 40) -> str:
    text = re.sub(r"[^\w+.-]+", "-", str(text), flags=re.ASCII).strip("-")
    return text[:limit] or "x"


def describe_scope(parameters: dict) -> str:
    """`bundled`, `catalog-EG+gulf`, `… -dry-run`: what a run works on, from its parameters."""
    catalog = parameters.get("catalog")
    parts = [_slug(Path(catalog).stem) if catalog else "bundled"]
    selectors = parameters.get("feeds") or parameters.get("outlets")
    if selectors:
        parts.append(_slug("+".join(map(str, selectors))))
    if parameters.get("dry_run"):
        parts.append("dry-run")
    return "-".join(parts)


def run_name(kind: str, scoped: bool = True):
    """A `flow_run_name` callable for flows of this kind (evaluated when the run starts)."""

    def name() -> str:
        from prefect.runtime import flow_run

        try:
            params = dict(flow_run.parameters or {})
        except Exception:
            params = {}
        when = None
        try:
            when = flow_run.scheduled_start_time
        except Exception:
            pass
        when = when.astimezone(UTC) if isinstance(when, datetime) else datetime.now(UTC)
        middle = f"-{describe_scope(params)}" if scoped else ""
        if kind == "report" and params.get("day"):
            middle = f"-{params['day']}"
        return f"{kind}{middle}-{when:%Y%m%d-%H%M}"

    name.__name__ = f"{kind}_run_name"
    return name
