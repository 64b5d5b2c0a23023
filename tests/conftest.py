"""Shared fixtures: one real HTTP server over the fixture web and one Prefect harness per run."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

# Loopback needs no politeness delay; telemetry off; no stray Prefect profile.
os.environ.setdefault("AKHBAR_HOST_INTERVAL_S", "0")
os.environ.setdefault("AKHBAR_HOST_CONCURRENCY", "8")
os.environ.setdefault("AKHBAR_EXTRACT_WORKERS", "2")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

FIXTURES = Path(__file__).parent / "fixtures"
DEV_WEB = FIXTURES / "web" / "dev"


@pytest.fixture(scope="session")
def fixture_web():
    from tests.webserver import FixtureWeb

    site = FixtureWeb(DEV_WEB).start()
    yield site
    site.stop()


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def postgres():
    """A throw-away PostgreSQL server (tests/pg.py) for the whole session; skips when not installed."""
    from tests.pg import PostgresUnavailable, start_postgres

    try:
        server = start_postgres()
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    yield server
    server.stop()


@pytest.fixture
def pg_database(postgres, request) -> str:
    """A fresh, empty database on the session's PostgreSQL server; returns its libpq DSN."""
    import re
    import uuid

    name = re.sub(r"[^a-z0-9_]", "_", request.node.name.lower())[:40] + "_" + uuid.uuid4().hex[:6]
    return postgres.create_database(name)


@pytest.fixture(scope="session")
def dev_catalog(fixture_web, tmp_path_factory) -> Path:
    return fixture_web.write_catalog(tmp_path_factory.mktemp("catalog") / "catalog.toml")


@pytest.fixture(scope="session")
def agency_catalog(fixture_web, tmp_path_factory) -> Path:
    """The dev catalog with one outlet, the Iraqi rafidain, marked as a wire agency's own service
    (`agency = "ina"`, as the bundled catalog marks aa.com.tr/ar "anadolu"): its pages that
    credit no agency are INA's own copies."""
    path = fixture_web.write_catalog(tmp_path_factory.mktemp("agency-catalog") / "catalog.toml")
    text = path.read_text("utf-8").replace('outlet_id = "rafidain"\n', 'outlet_id = "rafidain"\nagency = "ina"\n')
    assert 'agency = "ina"' in text
    path.write_text(text, "utf-8")
    return path


@pytest.fixture(scope="session")
def ingested(prefect_harness, fixture_web, dev_catalog, tmp_path_factory):
    """Two ingests of the dev web into one warehouse; request counts and row counts of each."""
    from flows.ingest import ingest

    db = tmp_path_factory.mktemp("wh") / "akhbar.duckdb"
    fixture_web.log.clear()
    first = ingest(catalog=str(dev_catalog), db=str(db), allow_private_networks=True)
    first_requests = fixture_web.log.by_kind()
    counts_after_first = table_counts(db)
    fixture_web.log.clear()
    second = ingest(catalog=str(dev_catalog), db=str(db), allow_private_networks=True)
    second_requests = fixture_web.log.by_kind()
    return dict(db=db, first=first, second=second, first_requests=first_requests,
                second_requests=second_requests, counts_first=counts_after_first,
                counts_second=table_counts(db))


def table_counts(db) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = ["articles", "article_sightings", "sources", "feeds", "url_aliases", "story_clusters",
                  "cluster_members"]
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        con.close()
