"""Every README code block that can run offline, run as a reader would run it (issue 15).

The README is parsed, not copied: a block added to any section is covered the day it lands.

* ```bash blocks: each command line runs in bash (`&&` chains are split; `export` lines of a block
  apply to the commands after them), with this checkout's `akhbar` first on PATH, in a scratch
  folder that looks like a clone (the repository's top-level entries linked in) whose
  `data/akhbar.duckdb` is a copy of a warehouse filled by a real ingest of the fixture web and whose
  `catalog.toml` points at that fixture web, served on 127.0.0.1. `/tmp/` in a command means the
  test's own temporary folder. Each command must exit 0 — or the status the README documents for it
  (EXPECTED_EXIT).
* ```sql blocks: each statement through `akhbar sql --file` on the same warehouse.
* ```toml blocks holding a catalog: `akhbar feeds list --catalog` must accept them.
* Blocks without a language (diagrams) are not commands.

SKIP lists the only commands that are not run, each with the reason (network, a server that keeps
running, the suite itself, changes outside the scratch folder). Keep it short and explicit.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"

# (pattern on one command, reason) — a command matching one of these is not run.
SKIP: list[tuple[str, str]] = [
    (r"^python3?(\.\d+)? -m venv\b", "creates a virtualenv: the test already runs in one"),
    (r"^(source|\.) \S*activate\b", "activates a virtualenv: the test already runs in one"),
    (r"^python -m pip install\b", "installs packages: the test runs in the installed checkout"),
    (r"^python -m pytest\b", "the test suite itself"),
    (r"^python -m bench\.", "benchmarks: minutes of CPU; bench/RESULTS.md records their runs"),
    (r"^prefect server start\b", "a server that runs until stopped (tests/test_deployments.py starts one)"),
    (r"^prefect config set\b", "changes the reader's Prefect profile"),
    (r"^prefect deployment run\b", "needs the server above (tests/test_deployments.py triggers runs)"),
    (r"^akhbar serve\b", "serves deployments until stopped (tests/test_deployments.py runs it)"),
    (r"^python -m flows\.deployments\b", "serves deployments until stopped (tests/test_deployments.py)"),
    (r"&\s*$", "starts a server in the background (a worker, a scheduler) that runs until stopped"),
    (r"^sudo\b", "administers the machine (PostgreSQL users and databases) as root"),
]
# A command, or the exports before it in its block, naming a host other than this machine (the
# two-machine setup's db1, a Dask scheduler URL) cannot run offline: skipped with that reason.
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}
_HOST = re.compile(r"\b[a-z][a-z0-9+.-]*://(?:[^@/\s]*@)?([^/:\s'\"]+)|\bhost=([^\s'\"]+)")
_ASSIGNMENTS = re.compile(r"""^(?:\w+=(?:'[^']*'|"[^"]*"|\S+)\s+)+""")

# (pattern, exit status the README documents for it, why)
EXPECTED_EXIT: list[tuple[str, int, str]] = [
    (r"^akhbar ingest$", 1, "Quickstart: offline, every feed of the bundled catalog fails and the run "
                            "says so with exit status 1 (README, Exit codes)"),
]

# Commands that would reach the real web if this machine had a network (the bundled catalog).
NEEDS_OFFLINE = [r"^akhbar ingest$"]


@dataclass(frozen=True)
class Step:
    lang: str
    line: int        # README line of the command (1-based)
    text: str        # the command (bash) or statement (sql) or document (toml)
    env: tuple[tuple[str, str], ...] = ()  # exports earlier in the same block

    @property
    def id(self) -> str:
        return f"L{self.line}:{self.text.splitlines()[0][:60]}"


def _blocks(text: str):
    for m in re.finditer(r"^```(\w*)[^\n]*\n(.*?)^```", text, re.M | re.S):
        yield m.group(1).lower(), text[: m.start()].count("\n") + 2, m.group(2)


def _bash_lines(code: str, first: int):
    """(line number, command) per logical line: continuations joined, comments and blanks dropped."""
    pending, start = "", first
    for offset, raw in enumerate(code.splitlines()):
        if not pending:
            start = first + offset
        line = raw.rstrip()
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        full = (pending + line).strip()
        pending = ""
        if full and not full.startswith("#"):
            yield start, full


def _strip_comment(command: str) -> str:
    """The command without a trailing `# comment` (outside quotes)."""
    quote = None
    for i, ch in enumerate(command):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or command[i - 1].isspace()):
            return command[:i].rstrip()
    return command


def _exports(command: str) -> list[tuple[str, str]]:
    import shlex

    words = shlex.split(command)
    return [tuple(w.split("=", 1)) for w in words[1:] if "=" in w]


def readme_steps() -> list[Step]:
    steps: list[Step] = []
    for lang, line, code in _blocks(README.read_text(encoding="utf-8")):
        if lang in ("bash", "sh", "shell", "console"):
            env: list[tuple[str, str]] = []
            for n, command in _bash_lines(code, line):
                command = _strip_comment(command)
                if command.startswith("export "):
                    env.extend(_exports(command))
                    continue
                for part in re.split(r"\s+&&\s+", command):
                    steps.append(Step("bash", n, part.strip(), tuple(env)))
        elif lang == "sql":
            for m in re.finditer(r"[^;]+;?", code):
                statement = m.group(0).strip()
                if statement and not all(s.strip().startswith("--") for s in statement.splitlines() if s.strip()):
                    steps.append(Step("sql", line + code[: m.start()].count("\n"), statement))
        elif lang == "toml" and re.search(r"^\s*\[\[(sources|feeds)\]\]", code, re.M):
            steps.append(Step("toml", line, code))
    return steps


STEPS = readme_steps()


def _remote_host(text: str) -> str | None:
    for m in _HOST.finditer(text):
        host = m.group(1) or m.group(2)
        if host and host not in LOCAL_HOSTS:
            return host
    return None


def _skip_reason(step: Step) -> str | None:
    if step.lang != "bash":
        return None
    command = _ASSIGNMENTS.sub("", step.text)  # `VAR=value cmd …` is matched as `cmd …`
    for pattern, reason in SKIP:
        if re.search(pattern, command):
            return reason
    host = _remote_host(step.text) or _remote_host(" ".join(f"{k}={v}" for k, v in step.env))
    if host:
        return f"needs the machine {host!r} (a multi-machine setup), not this one"
    return None


def test_the_readme_has_commands_to_run():
    """The parser found the README's commands (a broken parser must not make the test pass)."""
    runnable = [s for s in STEPS if not _skip_reason(s)]
    assert len(runnable) >= 12, [s.id for s in runnable]
    assert any(s.text.startswith("akhbar sql") for s in runnable)
    assert any(s.lang == "sql" for s in runnable) and any(s.lang == "toml" for s in runnable)
    assert all(reason for _, reason in SKIP)


def _online() -> bool:
    try:
        socket.getaddrinfo("feeds.bbci.co.uk", 443)
        return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def clone(ingested, dev_catalog, prefect_harness, tmp_path_factory):
    """A scratch folder that looks like a clone, with the fixture warehouse as data/akhbar.duckdb."""
    from prefect.settings import PREFECT_API_URL

    work = tmp_path_factory.mktemp("readme")
    root = work / "akhbar"
    root.mkdir()
    for entry in ROOT.iterdir():
        if entry.name.startswith(".") and entry.name not in (".ci",):
            continue
        if entry.name in ("data",) or entry.name.endswith(".egg-info"):
            continue
        (root / entry.name).symlink_to(entry)
    (root / "data").mkdir()
    shutil.copy2(ingested["db"], root / "data" / "akhbar.duckdb")
    side = Path(ingested["db"]).with_suffix(".d")  # WARC archive (reprocess reads it), reports
    if side.is_dir():
        shutil.copytree(side, root / "data" / "akhbar.d", ignore=shutil.ignore_patterns("*.lock"))
    shutil.copy2(dev_catalog, root / "catalog.toml")
    scratch = work / "tmp"
    scratch.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
               PREFECT_HOME=str(work / "prefect-home"), PREFECT_API_URL=str(PREFECT_API_URL.value() or ""),
               NO_COLOR="1", COLUMNS="200", AKHBAR_DB="data/akhbar.duckdb")
    return dict(root=root, tmp=scratch, env=env)


def _run(clone, step: Step, command: str) -> subprocess.CompletedProcess:
    env = dict(clone["env"])
    env.update(dict(step.env))
    return subprocess.run(["bash", "-c", command], cwd=clone["root"], env=env, capture_output=True, text=True,
                          timeout=600)


@pytest.mark.slow
@pytest.mark.parametrize("step", STEPS, ids=[s.id for s in STEPS])
def test_readme_step_runs(step: Step, clone):
    reason = _skip_reason(step)
    if reason:
        pytest.skip(reason)
    if step.lang == "bash":
        if any(re.search(p, _ASSIGNMENTS.sub("", step.text)) for p in NEEDS_OFFLINE) and _online():
            pytest.skip("this machine reaches the web: the bundled catalog would poll ~100 real sites")
        command = step.text.replace("/tmp/", f"{clone['tmp']}/")
        expected = next((code for p, code, _ in EXPECTED_EXIT if re.search(p, _ASSIGNMENTS.sub("", step.text))), 0)
    elif step.lang == "sql":
        path = clone["tmp"] / f"readme-{step.line}.sql"
        path.write_text(step.text, encoding="utf-8")
        command, expected = f"akhbar sql --file {path}", 0
    else:
        path = clone["tmp"] / f"readme-{step.line}.toml"
        path.write_text(step.text, encoding="utf-8")
        command, expected = f"akhbar feeds list --catalog {path}", 0
    done = _run(clone, step, command)
    where = f"README.md line {step.line}: {step.text!r}\nstdout:\n{done.stdout[-3000:]}\nstderr:\n{done.stderr[-3000:]}"
    assert done.returncode == expected, where
    assert "Traceback" not in done.stderr, where
    if done.returncode:  # a documented failure is still one clear line
        assert len([ln for ln in done.stderr.splitlines() if ln.startswith("error:")]) == 1, where
