"""A run with no PREFECT_API_URL serves Prefect's temporary API from its own process
(flows/tempserver.py), not from a second Python process (issue 18, memory goal)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r"""
import json, os
from flows.cli import quiet_prefect
from flows.locks import api_url
from prefect import flow, task

quiet_prefect()

@task
def double(x):
    return 2 * x

@flow
def small():
    return sum(double(i) for i in range(3))

value = small()
def child_cmdline(pid):
    try:
        if open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[1] == str(os.getpid()):
            return open(f"/proc/{pid}/cmdline").read().replace("\0", " ")
    except OSError:  # a process that ended meanwhile
        return None

cmdlines = [c for c in map(child_cmdline, filter(str.isdigit, os.listdir("/proc"))) if c]
print(json.dumps({"value": value, "children": cmdlines, "api_url": api_url(),
                  "env_url": os.environ.get("PREFECT_API_URL", "")}))
"""


def test_a_run_without_a_prefect_server_starts_no_server_process(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               DO_NOT_TRACK="1", PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="120")
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["value"] == 6
    # no uvicorn child (Prefect's SubprocessASGIServer) beside the command
    assert not [c for c in out["children"] if "uvicorn" in c or "prefect.server" in c], out["children"]
    # the flow ran on the in-process server, which is still a throw-away one for the locks
    assert out["env_url"].startswith("http://127.0.0.1:")
    assert out["api_url"] is None
    assert (tmp_path / "prefect" / "prefect.db").exists()  # the same SQLite database as before
    assert "Traceback" not in done.stderr, done.stderr[-3000:]


def test_a_configured_prefect_server_is_used_as_before(monkeypatch):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows import tempserver
    from flows.locks import api_url

    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:4200/api"}):
        assert tempserver.start() is None
        assert api_url() == "http://127.0.0.1:4200/api"


FAILING = r"""
import json, os, time
from flows import tempserver

t = time.monotonic()
try:
    url, error = tempserver.start(), None
except tempserver.TemporaryServerFailed as exc:
    url, error = None, str(exc)
def child_cmdline(pid):
    try:
        if open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[1] == str(os.getpid()):
            return open(f"/proc/{pid}/cmdline").read().replace("\0", " ")
    except OSError:
        return None
cmdlines = [c for c in map(child_cmdline, filter(str.isdigit, os.listdir("/proc"))) if c]
print(json.dumps({"url": url, "error": error, "children": cmdlines, "env_url": os.environ.get("PREFECT_API_URL", "")}))
"""


def test_a_temporary_server_that_cannot_start_fails_at_once_with_its_cause(tmp_path):
    """A damaged Prefect database: the in-process server stops while starting. The command says
    why at once; Prefect's own child server (the old fallback) would fail on the same database,
    and only after its whole startup timeout (here 600 s: the subprocess would time out)."""
    from flows.cli_errors import EXIT_FAILED, exit_code_for
    from flows.tempserver import TemporaryServerFailed

    home = tmp_path / "prefect"
    home.mkdir()
    (home / "prefect.db").write_bytes(b"not an SQLite database, a half-copied file " * 100)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API", "AKHBAR_DEBUG"))}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1",
               PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="600")
    done = subprocess.run([sys.executable, "-c", FAILING], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["url"] is None and out["env_url"] == ""
    assert "file is not a database" in out["error"] and str(home) in out["error"], out["error"]
    assert "\n" not in out["error"]  # one line, the exception's, not uvicorn's traceback
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert not [c for c in out["children"] if "uvicorn" in c or "prefect.server" in c], out["children"]
    assert exit_code_for(TemporaryServerFailed("x")) == EXIT_FAILED  # `error: …`, exit 1
