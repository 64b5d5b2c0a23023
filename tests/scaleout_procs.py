"""Background services for the scale-out tests, started the way an operator would: a Prefect
server (on PostgreSQL), Prefect work-pool workers, a Dask scheduler and Dask workers. Each runs
in its own process group and is stopped by its own pid."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(path: Path, n: int = 3000) -> str:
    return path.read_text(errors="replace")[-n:] if path.exists() else ""


class Proc:
    def __init__(self, argv: list[str], env: dict, log: Path, cwd: Path = ROOT):
        self.log = log
        with log.open("ab") as out:
            self.p = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                      start_new_session=True, cwd=cwd)

    def alive(self) -> bool:
        return self.p.poll() is None

    def stop(self, sig: int = signal.SIGTERM, wait_s: float = 20) -> None:
        if self.p.poll() is not None:
            return
        try:
            os.killpg(self.p.pid, sig)
            self.p.wait(wait_s)
        except subprocess.TimeoutExpired:
            os.killpg(self.p.pid, signal.SIGKILL)
            self.p.wait(10)
        except ProcessLookupError:
            pass


def base_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1", PYTHONPATH=str(ROOT),
               AKHBAR_HOST_INTERVAL_S="0", AKHBAR_HOST_CONCURRENCY="8", AKHBAR_EXTRACT_WORKERS="1",
               PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180")
    env.update(extra)
    return env


def start_prefect_server(home: Path, database_url: str | None = None, timeout_s: float = 180) -> tuple[Proc, str]:
    """`prefect server start` (on PostgreSQL when database_url is given); returns (proc, api url)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/api"
    env = base_env(PREFECT_HOME=str(home), PREFECT_SERVER_UI_API_URL=url,
                   PREFECT_SERVER_CONCURRENCY_LEASE_STORAGE="prefect.server.concurrency.lease_storage.filesystem",
                   PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED="false", PREFECT_SERVER_UI_ENABLED="false")
    if database_url:
        env["PREFECT_API_DATABASE_CONNECTION_URL"] = database_url
    proc = Proc([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                env, home / "server.log", cwd=home)
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            pass
        if not proc.alive() or time.monotonic() > deadline:
            proc.stop()
            raise RuntimeError(f"prefect server did not start:\n{tail(home / 'server.log')}")
        time.sleep(0.5)


def start_dask(workdir: Path, n_workers: int, env: dict) -> tuple[list[Proc], str]:
    """`dask scheduler` + n `dask worker` processes (1 thread, memory-limited); returns their address."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [Proc([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                   "--dashboard-address", ":0", "--no-show"], env, workdir / "dask-scheduler.log")]
    for i in range(n_workers):
        procs.append(Proc([str(BIN / "dask"), "worker", address, "--nthreads", "1", "--nworkers", "1",
                           "--memory-limit", "2GiB", "--name", f"w{i}", "--dashboard-address", ":0"],
                          env, workdir / f"dask-worker-{i}.log"))
    from distributed import Client

    deadline = time.monotonic() + 120
    while True:
        try:
            with Client(address, timeout="5s") as client:
                client.wait_for_workers(n_workers, timeout=60)
                return procs, address
        except Exception:
            if time.monotonic() > deadline:
                for p in procs:
                    p.stop()
                raise RuntimeError(f"dask cluster did not start:\n{tail(workdir / 'dask-scheduler.log')}") from None
            time.sleep(1)
