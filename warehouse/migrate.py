"""Numbered SQL migrations, applied in order and recorded in schema_migrations."""

from __future__ import annotations

from importlib import resources

import duckdb

from warehouse.lake import lake_ddl

MIGRATIONS_PACKAGE = "warehouse"


def available_migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every sql/migrations/NNNN_name.sql, sorted."""
    folder = resources.files(MIGRATIONS_PACKAGE).joinpath("sql", "migrations")
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql") and entry.name[:4].isdigit():
            found.append((int(entry.name[:4]), entry.name[5:-4], entry.read_text(encoding="utf-8")))
    return sorted(found)


def applied_versions(con: duckdb.DuckDBPyConnection, lake: bool = False) -> set[int]:
    key = "" if lake else " PRIMARY KEY"  # DuckLake has no key constraints
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        f" version INTEGER{key}, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
    )
    return {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}


def migrate(con: duckdb.DuckDBPyConnection, lake: bool = False) -> list[int]:
    """Apply pending migrations, each in its own transaction; return the versions applied.

    lake=True applies them as DuckLake accepts them (warehouse.lake.lake_ddl: no key
    constraints, no indexes)."""
    done = applied_versions(con, lake)
    applied = []
    for version, name, sql in available_migrations():
        if version in done:
            continue
        con.execute("BEGIN")
        try:
            con.execute(lake_ddl(sql) if lake else sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [version, name])
            con.execute("COMMIT")
        except Exception:
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:
                pass  # a failed COMMIT already ended the transaction: keep the first error
            raise
        applied.append(version)
    return applied
