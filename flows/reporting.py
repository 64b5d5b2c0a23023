"""Publish a run summary: Prefect artifacts with stable keys (history in the UI) and stdout."""

from __future__ import annotations

import logging
import uuid

from tasks.summary import RunSummary

log = logging.getLogger("akhbar.flows")


def publish_summary(summary: RunSummary, key_prefix: str = "akhbar-ingest") -> None:
    try:
        from prefect.artifacts import create_markdown_artifact, create_table_artifact

        create_table_artifact(table=summary.table(), key=f"{key_prefix}-feeds",
                              description=f"Per-feed outcome of run {summary.run_id}")
        create_markdown_artifact(markdown=summary.markdown(), key=f"{key_prefix}-summary",
                                 description=f"Summary of run {summary.run_id}")
    except Exception as exc:  # artifacts are a convenience; never fail a run over them
        log.warning("could not publish Prefect artifacts: %s", exc)
    try:
        from prefect import get_run_logger

        get_run_logger().info("run summary\n%s", summary.markdown())
    except Exception:  # outside a run: plain logging
        log.info("run summary\n%s", summary.markdown())


def new_run_id(kind: str) -> str:
    """kind-<flow run id prefix>-<random>: readable in the runs table, unique across retries."""
    try:
        from prefect.runtime import flow_run

        if flow_run.id:
            return f"{kind}-{str(flow_run.id)[:8]}-{uuid.uuid4().hex[:4]}"
    except Exception:  # outside a flow run
        pass
    return f"{kind}-{uuid.uuid4().hex[:12]}"


def publish_markdown(markdown: str, key: str) -> None:
    try:
        from prefect.artifacts import create_markdown_artifact

        create_markdown_artifact(markdown=markdown, key=key, description=markdown.splitlines()[0].lstrip("# "))
    except Exception as exc:  # artifacts are a convenience; never fail a run over them
        log.warning("could not publish Prefect artifact: %s", exc)
    print(markdown)
