"""A throw-away PostgreSQL server for tests: `initdb` in a temp dir, a unix socket only, fsync off.

Used by the `postgres` fixture (tests/conftest.py) for the DuckLake-on-PostgreSQL warehouse and
Prefect-server-on-PostgreSQL tests. Nothing listens on TCP, so parallel test sessions never
clash on a port; clients connect through the socket directory (`host=<dir>` for libpq/DuckDB,
`?host=<dir>` for asyncpg/SQLAlchemy).

`initdb` refuses to run as root: when the tests run as root the server runs as the `postgres`
system user (`runuser -u postgres --`), which owns the temp dir. Trust authentication on the
socket: any local user may connect as the `postgres` superuser. Test use only.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    """PostgreSQL is not installed (or cannot start here); the caller skips with this reason."""


def find_bin_dir() -> Path | None:
    """The directory holding initdb/pg_ctl: $AKHBAR_PG_BIN, PATH, or the Debian layout."""
    if os.environ.get("AKHBAR_PG_BIN"):
        return Path(os.environ["AKHBAR_PG_BIN"])
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(os.path.realpath(on_path)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                        key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    return Path(candidates[-1]).parent if candidates else None


@dataclass
class PostgresServer:
    bin_dir: Path
    root: Path           # temp dir: data/, socket, log
    port: int = 5432     # only names the socket file; nothing listens on TCP
    user: str = "postgres"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    def _as_owner(self, argv: list[str]) -> list[str]:
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *argv]
        return argv

    def _run(self, argv: list[str], timeout: float = 120) -> None:
        proc = subprocess.run(self._as_owner(argv), capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0:
            log = self.log_file.read_text(errors="replace")[-2000:] if self.log_file.exists() else ""
            raise PostgresUnavailable(f"{Path(argv[0]).name} failed ({proc.returncode}): "
                                      f"{(proc.stderr or proc.stdout).strip()[-1500:]}\n{log}")

    def start(self) -> PostgresServer:
        self._run([str(self.bin_dir / "initdb"), "-D", str(self.data_dir), "-U", self.user, "-A", "trust",
                   "-E", "UTF8", "--locale=C", "--no-sync"])
        options = (f"-k {self.socket_dir} -p {self.port} -c listen_addresses='' -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run([str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-l", str(self.log_file),
                   "-o", options, "-w", "-t", "60", "start"])
        return self

    def stop(self) -> None:
        if (self.data_dir / "postmaster.pid").exists():
            try:
                self._run([str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "immediate",
                           "-w", "-t", "30", "stop"], timeout=60)
            except (PostgresUnavailable, subprocess.TimeoutExpired):
                pass
        shutil.rmtree(self.root, ignore_errors=True)

    # -- clients -----------------------------------------------------------------------------
    def dsn(self, dbname: str = "postgres") -> str:
        """libpq keyword form (DuckDB's postgres/ducklake extensions, psql)."""
        return f"dbname={dbname} host={self.socket_dir} port={self.port} user={self.user}"

    def sqlalchemy_url(self, dbname: str) -> str:
        """For Prefect's PREFECT_API_DATABASE_CONNECTION_URL (asyncpg over the socket)."""
        return f"postgresql+asyncpg://{self.user}@/{dbname}?host={self.socket_dir}&port={self.port}"

    def psql(self, sql: str, dbname: str = "postgres") -> str:
        proc = subprocess.run([str(self.bin_dir / "psql"), "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1",
                               "-h", str(self.socket_dir), "-p", str(self.port), "-U", self.user,
                               "-d", dbname, "-c", sql], capture_output=True, text=True, timeout=60)
        if proc.returncode != 0:
            raise RuntimeError(f"psql failed: {proc.stderr.strip()}")
        return proc.stdout

    def create_database(self, name: str) -> str:
        """A fresh database; returns its libpq DSN."""
        self.psql(f'CREATE DATABASE "{name}"')
        return self.dsn(name)


def start_postgres() -> PostgresServer:
    """Start a server or raise PostgresUnavailable with the reason to skip."""
    bin_dir = find_bin_dir()
    if bin_dir is None or not (bin_dir / "initdb").exists():
        raise PostgresUnavailable("PostgreSQL is not installed (no initdb/pg_ctl; apt-get install postgresql)")
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            raise PostgresUnavailable("running as root and no runuser to start PostgreSQL as another user")
        try:
            import pwd

            pw = pwd.getpwnam("postgres")
        except KeyError:
            raise PostgresUnavailable("running as root and there is no 'postgres' user to run initdb as") from None
    # /tmp rather than pytest's tmp_path: the server user must be able to reach its directory,
    # and unix socket paths are limited to ~100 bytes.
    root = Path(tempfile.mkdtemp(prefix="akhbar-pg-"))
    if os.geteuid() == 0:
        os.chown(root, pw.pw_uid, pw.pw_gid)
    os.chmod(root, 0o755)  # clients of other users connect through the socket in it
    server = PostgresServer(bin_dir=bin_dir, root=root)
    try:
        return server.start()
    except BaseException:
        server.stop()
        raise
