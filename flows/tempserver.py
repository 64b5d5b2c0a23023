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
- If the server does not answer within PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
  nothing is changed and Prefect starts its own child server as before.
"""

from __future__ import annotations

import atexit
import os
import signal
import socket
import threading
import time
from typing import Any

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
    configured, ephemeral mode is off, or it did not start, and Prefect's default applies)."""
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
    except Exception:  # noqa: BLE001 - Prefect's own child server then starts and says what is wrong
        return None
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error",
                                           lifespan="on", access_log=False))
    thread = threading.Thread(target=_serve, args=(server,), name="prefect-temporary-server", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + float(settings.server.ephemeral.startup_timeout_seconds)
    while time.monotonic() < deadline and thread.is_alive():
        try:
            if httpx.get(f"{url}/health", timeout=5.0).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    else:
        server.should_exit = True
        return None
    _URL, _SERVER, _THREAD = url, server, thread
    atexit.register(stop)
    os.environ["PREFECT_API_URL"] = url
    from prefect.context import refresh_global_settings_context

    refresh_global_settings_context()
    return url


def stop(timeout_s: float = 5.0) -> None:
    """Stop the server (at exit): its requests end, its database closes, the thread returns."""
    global _URL, _SERVER, _THREAD
    if _SERVER is not None:
        _SERVER.should_exit = True
    if _THREAD is not None:
        _THREAD.join(timeout_s)
    if _URL and os.environ.get("PREFECT_API_URL") == _URL:
        del os.environ["PREFECT_API_URL"]
        from prefect.context import refresh_global_settings_context

        refresh_global_settings_context()
    _URL, _SERVER, _THREAD = None, None, None
