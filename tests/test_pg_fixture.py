"""The PostgreSQL test fixture itself: a real server on a unix socket, one fresh database per test."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.heavy


def test_fresh_database_per_test_on_a_unix_socket(postgres, pg_database):
    name = dict(part.split("=", 1) for part in pg_database.split())["dbname"]
    assert postgres.psql("SELECT current_database()", name).strip() == name
    # Nothing listens on TCP: parallel sessions cannot clash on a port.
    assert postgres.psql("SHOW listen_addresses", name).strip() == ""
    assert postgres.psql("SHOW fsync", name).strip() == "off"
    assert postgres.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", name).strip() == "0"
