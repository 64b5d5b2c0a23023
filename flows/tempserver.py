"""Prefect's temporary API server, inside the command's own process.

A run command with no `PREFECT_API_URL` needs a Prefect API for its flow. Prefect 3.9 starts one
as a child process (`SubprocessASGIServer`: a second Python interpreter that imports Prefect,
FastAPI, SQLAlchemy … again): ~230 MB PSS beside the command. `start()` serves the same app
(`create_app(ephemeral=True)`: no UI, no background services, the same SQLite database under
PREFECT_HOME) from a uvicorn server on a daemon thread of the command, on a free loopback port,
and points this process's Prefect settings (and its children's environment) at it. The imports
the command already holds (Prefect's client, pydantic, httpx, anyio …) are not loaded twice: the
server then costs the command ~150 MB PSS instead of a ~230 MB process (issue 18, memory goal).

- Only when no API is configured and Prefect's ephemeral mode is allowed; a configured server
  (`akhbar serve`, a deployment, PREFECT_API_URL) is used as before.
- `is_temporary(url)` tells `flows.locks` that this URL is the throw-away server, not a real one
  (no global concurrency limit there, as before).
- The thread blocks SIGINT/SIGTERM (the CLI's watcher takes them, flows/cli_runs.py) and the
  server is stopped when the process exits.
- If the server cannot be built, stops while starting (its database cannot be migrated, its
  port was taken) or does not answer within PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
  `start` raises `TemporaryServerFailed` with the cause at once (exit 1, one `error:` line).
  Prefect's own child server would run the same app on the same database and fail the same
  way, but only after waiting its whole startup timeout (120 s by default: it does not notice
  that its child has exited) — so nothing falls back to it.
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import socket
import threading
import time
from typing import Any


class TemporaryServerFailed(RuntimeError):
    """Prefect's temporary API did not start in this process (the message says why)."""


class _Errors(logging.Handler):
    """What uvicorn logs at ERROR while the server starts (a failed lifespan: the exception)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None:
            self.seen.append(f"{type(exc).__name__}: {exc}")
            return
        # a traceback logged as text: its exception line ("sqlalchemy.exc.DatabaseError: … file is
        # not a database"), the last one that is not indented nor SQLAlchemy's "(Background on …)"
        lines = [x for x in record.getMessage().splitlines() if x.strip()]
        said = [x for x in lines if not x[0].isspace() and not x.startswith(("(Background", "Traceback", "^"))]
        if said:
            self.seen.append(said[-1].strip())


_KEEP_ONE = "or keep a Prefect server running (`prefect server start`) and set PREFECT_API_URL"
_STOP_WAIT_S = 30.0  # a busy machine's start-up of the temporary server, at worst

_URL: str | None = None
_SERVER: Any = None
_THREAD: threading.Thread | None = None


def is_temporary(url: str | None) -> bool:
    """True for the API URL of the in-process temporary server this process started."""
    return bool(url) and url == _URL


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(server: Any) -> None:
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    server.run()


def start() -> str | None:
    """Serve Prefect's temporary API in this process; returns its URL (None: a server is
    configured or ephemeral mode is off, and Prefect's default applies). Raises
    TemporaryServerFailed when the server does not start."""
    global _URL, _SERVER, _THREAD
    if _URL:
        return _URL
    from prefect.settings import get_current_settings

    settings = get_current_settings()
    if settings.api.url or not settings.server.ephemeral.enabled:
        return None
    import httpx
    import uvicorn

    try:
        from prefect.server.api.server import create_app

        app = create_app(ephemeral=True, final=True)
        port = _free_port()
    except Exception as exc:
        raise TemporaryServerFailed(f"Prefect's temporary server could not be built ({type(exc).__name__}: "
                                    f"{exc}); " + _KEEP_ONE) from exc
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error",
                                           lifespan="on", access_log=False))
    errors = _Errors()
    uvicorn_log = logging.getLogger("uvicorn.error")  # (after Config: it sets uvicorn's logging up)
    uvicorn_log.addHandler(errors)
    # while starting, its failure is said once, in the error raised below (AKHBAR_DEBUG=1: and as
    # uvicorn logs it, with the traceback)
    quiet, uvicorn_log.propagate = uvicorn_log.propagate, bool(os.environ.get("AKHBAR_DEBUG"))
    thread = threading.Thread(target=_serve, args=(server,), name="prefect-temporary-server", daemon=True)
    url = f"http://127.0.0.1:{port}/api"
    timeout_s = float(settings.server.ephemeral.startup_timeout_seconds)
    deadline = time.monotonic() + timeout_s
    try:
        thread.start()
        while time.monotonic() < deadline and thread.is_alive():
            try:
                if httpx.get(f"{url}/health", timeout=5.0).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        else:
            server.should_exit = True
            # a server still starting stops once its start-up is over: wait for that, or the exit
            # finalises the interpreter under its thread (its database in C code: a segfault, exit -11)
            thread.join(_STOP_WAIT_S)
            if time.monotonic() >= deadline:
                raise TemporaryServerFailed(
                    f"Prefect's temporary server did not start within {timeout_s:.0f} s "
                    "(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS): is the machine busy? Try again, "
                    + _KEEP_ONE)
            why = errors.seen[0] if errors.seen else "it stopped while starting"
            raise TemporaryServerFailed(
                f"Prefect's temporary server did not start ({why}; its database is under PREFECT_HOME "
                f"{settings.home}: a damaged prefect.db can be moved away, a new one is made), " + _KEEP_ONE)
    finally:
        uvicorn_log.removeHandler(errors)
        uvicorn_log.propagate = quiet
    _URL, _SERVER, _THREAD = url, server, thread
    atexit.register(stop)
    _point_prefect_at(url)
    return url


def stop(timeout_s: float = 5.0) -> None:
    """Stop the server (at exit): its requests end, its database closes, the thread returns."""
    global _URL, _SERVER, _THREAD
    if _SERVER is not None:
        _SERVER.should_exit = True
    if _THREAD is not None:
        _THREAD.join(timeout_s)
    if _URL and os.environ.get("PREFECT_API_URL") == _URL:
        _point_prefect_at(None)
    _URL, _SERVER, _THREAD = None, None, None


def _point_prefect_at(url: str | None) -> None:
    """This process's Prefect settings (and its children's environment) at `url`; None: unset."""
    if url is None:
        del os.environ["PREFECT_API_URL"]
    else:
        os.environ["PREFECT_API_URL"] = url
    from prefect.context import refresh_global_settings_context

    refresh_global_settings_context()
