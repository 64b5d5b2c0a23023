"""Publish a run summary: Prefect artifacts with stable keys (history in the UI) and stdout."""

from __future__ import annotations

import logging
import uuid

from tasks.summary import RunSummary

log = logging.getLogger("akhbar.flows")


OK_OUTCOMES = ("ok", "not_modified", "unchanged")


def feed_rows(summary: RunSummary) -> list[dict]:
    """The per-feed artifact table: worst first, the problem next to the outcome.

    A feed that parsed but carried a parser complaint (feedparser's "bozo", e.g. a
    SAXParseException on a recovered feed) reads `ok (warning)` with the complaint beside it,
    so outcome and problem never contradict each other."""

    def outcome_of(f) -> str:
        return "ok (warning)" if f.outcome == "ok" and f.error else f.outcome

    def rank(f) -> tuple:
        failed = f.outcome not in OK_OUTCOMES
        group = 0 if failed else 1 if f.error else 2 if f.errors else 3
        return (group, f.outcome if failed else "", f.source_id, f.feed_url)

    return [
        {"outcome": outcome_of(f), "problem": (f.error or "")[:200], "outlet": f.source_id,
         "page problems": f.errors - (0 if f.outcome in OK_OUTCOMES else 1), "new articles": f.new_articles,
         "duplicates": f.duplicates, "entries": f.entries, "http": f.http_status or "", "feed": f.feed_url}
        for f in sorted(summary.feeds, key=rank)
    ]


def publish_summary(summary: RunSummary, key_prefix: str = "akhbar-ingest", warnings: tuple[str, ...] = ()) -> None:
    markdown = summary.markdown()
    if warnings:
        head, _, rest = markdown.partition("\n")
        markdown = "\n".join([head, "", *(f"> **warning:** {w}" for w in warnings), rest])
    try:
        from prefect.artifacts import create_markdown_artifact, create_table_artifact

        create_table_artifact(table=feed_rows(summary), key=f"{key_prefix}-feeds",
                              description=f"Per-feed outcome of run {summary.run_id}, worst first")
        create_markdown_artifact(markdown=markdown, key=f"{key_prefix}-summary",
                                 description=f"Summary of run {summary.run_id}")
    except Exception as exc:  # artifacts are a convenience; never fail a run over them
        log.warning("could not publish Prefect artifacts: %s", exc)
    try:
        from prefect import get_run_logger

        get_run_logger().info("run summary\n%s", markdown)
    except Exception:  # outside a run: plain logging
        log.info("run summary\n%s", markdown)


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
