"""Shared fixtures: one real HTTP server over the fixture web and one Prefect harness per run."""

from __future__ import annotations

import os
from pathlib import Path

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
def dev_catalog(fixture_web, tmp_path_factory) -> Path:
    return fixture_web.write_catalog(tmp_path_factory.mktemp("catalog") / "catalog.toml")
