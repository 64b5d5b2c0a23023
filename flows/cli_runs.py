"""What the CLI does around a flow run: quiet engine logs, Ctrl-C, and the run's exit code.

Ctrl-C (or SIGTERM) during a run (`ingest`, `ingest-warc`, `reprocess`) stops it within seconds:
the flow is stopped as a cancelled run is, so an ingest keeps the pages it fetched (they are
staged, and the next run does not fetch them again); then one line saying what happened to the
run's data, the run's child processes (extraction workers; Prefect's temporary server when it
runs as one, flows/tempserver.py) terminated, exit 130 (143 for SIGTERM). A second Ctrl-C stops
at once, the same as a crash at that instant, which the pipeline is built to survive
(tests/test_crash_safety.py): a batch is either staged complete — the next run loads it — or
not at all, and a DuckDB transaction cut short is rolled back. Waiting for threads that are
still downloading would take minutes and print pages of tracebacks; nothing is gained.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flows.cli_errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_TERMINATED

_quieted = False


class _EngineNoise(logging.Filter):
    """Prefect's engine logs a full traceback (and "Finished in state Failed") when a run raises;
    the CLI prints the error as one line instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR and (record.exc_info or "Finished in state" in record.getMessage()):
            return False
        if "aborted by a termination signal" in record.getMessage():  # the CLI's own line says it
            return False
        if "Encountered exception during execution" in record.getMessage():
            return False
        return True


def quiet_engine_logs() -> None:
    global _quieted
    if _quieted:
        return
    _quieted = True
    for name in ("prefect.flow_runs", "prefect.task_runs", "prefect.engine"):
        logging.getLogger(name).addFilter(_EngineNoise())
    # "Still processing items" while the process exits: nothing the user can act on
    logging.getLogger("EventsWorker").setLevel(logging.ERROR)


# ---------------------------------------------------------------- Ctrl-C


def _pending(db: Path) -> set[str]:
    from warehouse.paths import data_dir_for

    folder = data_dir_for(db) / "staging" / "pending"
    try:
        return {p.name for p in folder.iterdir() if p.is_dir()}
    except OSError:
        return set()


def _descendants(pid: int) -> list[int]:
    """Child processes (recursively) of `pid`, from /proc; multiprocessing's children elsewhere."""
    proc = Path("/proc")
    if not proc.is_dir():  # pragma: no cover - not Linux
        import multiprocessing

        return [p.pid for p in multiprocessing.active_children() if p.pid]
    parent_of: dict[int, int] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        parent_of[int(entry.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        kids = [p for p, pp in parent_of.items() if pp == current]
        found.extend(kids)
        frontier.extend(kids)
    return found


def _is_resource_tracker(pid: int) -> bool:
    try:
        return b"multiprocessing.resource_tracker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def stop_children(grace_s: float = 1.5) -> None:
    """SIGTERM every descendant process, then SIGKILL what is left after `grace_s`.

    multiprocessing's resource tracker ignores SIGTERM by design, and left alone it would print a
    "leaked semaphore" warning after we exit: it is killed at once (Linux has already unlinked
    the semaphores it tracks)."""
    pids = _descendants(os.getpid())
    for pid in [p for p in pids if _is_resource_tracker(p)]:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
        pids.remove(pid)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass
    deadline = time.monotonic() + grace_s
    alive = list(pids)
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        still = []
        for pid in alive:
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:  # not our direct child, or already reaped
                done = pid if not Path(f"/proc/{pid}").exists() else 0
            if not done:
                still.append(pid)
        alive = still
    for pid in alive:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def interrupt_message(before: set[str], now: set[str], loaded: set[str]) -> str:
    staged = now - before
    loaded_here = loaded - before
    if staged and loaded_here:
        return (f"interrupted; {len(loaded_here)} batch(es) of this run loaded, {len(staged)} kept "
                "for the next run")
    if staged:
        return "interrupted; batch kept for the next run (it is staged and the next run loads it)"
    if loaded_here:
        return "interrupted; this run's articles were already loaded"
    return "interrupted; nothing was loaded"


#: After the first Ctrl-C, how long the run gets to keep what it fetched before it is stopped at once.
GRACE_S = 30.0


@contextmanager
def interruptible(db: Path, kind: str) -> Iterator[None]:
    """Ctrl-C or SIGTERM: what the run fetched is kept, then one line, child processes stopped,
    exit 130 (Ctrl-C) or 143 (SIGTERM) — within seconds.

    While the flow runs, Prefect turns SIGTERM into a TerminationSignal in the main thread: the
    ingest stages what it fetched (flows/salvage.py, as for a cancelled run: the next run does
    not fetch those pages again), Prefect then sends SIGTERM again to the handler installed here,
    which prints the line and ends the process. The first Ctrl-C takes that same path (it is a
    SIGTERM to this process); a second Ctrl-C, or GRACE_S without an end, stops at once, as does
    a signal outside the flow (e.g. while Prefect's temporary server starts) — the same as a
    crash at that instant, which the pipeline is built to survive.

    SIGINT is blocked in this thread for the run, so every thread and child process started
    meanwhile inherits the block: extraction workers and the temporary Prefect server (whose
    thread in this process blocks it too) never see the terminal's Ctrl-C (no half-started
    worker dies printing a traceback). A watcher thread takes the signal with sigwait; it does
    not wait for the main thread, which may be deep in a download or a DuckDB call. The
    Python-level handler is a second path, for a library that unblocks SIGINT in the main thread.
    """
    import threading
    from multiprocessing import resource_tracker

    from tasks import progress

    before = _pending(db)
    loaded: set[str] = set()
    fired = threading.Lock()
    done = threading.Event()
    cause = {"code": EXIT_INTERRUPTED}  # the first signal decides the words and the exit code

    def on_event(name: str, detail: object) -> None:
        if name == "loaded" and isinstance(detail, list | tuple | set):
            loaded.update(map(str, detail))

    def stop() -> None:
        if not fired.acquire(blocking=False):
            return
        logging.disable(logging.CRITICAL)
        message = interrupt_message(before, _pending(db), loaded)
        if cause["code"] == EXIT_TERMINATED:
            message = message.replace("interrupted", "stopped (SIGTERM)", 1)
        try:
            if sys.stderr.isatty():
                sys.stderr.write("\x1b[?25h\n")  # progress bars hide the cursor: give it back
            sys.stderr.write(f"{kind} {message}\n")
            sys.stderr.flush()
            sys.stdout.flush()
        except Exception:  # a closed stream must not stop the exit
            pass
        stop_children()
        os._exit(cause["code"])

    owner = os.getpid()

    def on_term(signum, frame) -> None:  # noqa: ANN001 - a signal handler
        if os.getpid() != owner:  # a forked child that inherited the handler: end as by default
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        if not asked.is_set():
            cause["code"] = EXIT_TERMINATED
        stop()

    asked = threading.Event()  # a first Ctrl-C was turned into a graceful stop

    def graceful() -> bool:
        """Ask the running flow to stop as a cancelled run does; False when no flow runs."""
        if signal.getsignal(signal.SIGTERM) is on_term:  # Prefect's handler is not in place
            return False
        asked.set()
        logging.disable(logging.ERROR)  # the stop's own log lines: the one line at the end says it
        if sys.stderr.isatty():
            sys.stderr.write(f"\nstopping the {kind}: keeping what it fetched (Ctrl-C again to quit at once)…\n")
            sys.stderr.flush()
        timer = threading.Timer(GRACE_S, stop)
        timer.daemon = True
        timer.start()
        # to the main thread itself: a signal the kernel hands to this thread would not wake a
        # main thread waiting on a lock, and Prefect's handler runs there
        signal.pthread_kill(threading.main_thread().ident, signal.SIGTERM)
        return True

    def watch() -> None:
        while True:
            signal.sigwait({signal.SIGINT})
            if done.is_set():
                return
            if asked.is_set() or not graceful():
                stop()

    # multiprocessing's resource tracker unblocks SIGINT in the thread that first starts it: start
    # it now, before the block, so the block holds for the whole run.
    resource_tracker.ensure_running()
    previous = signal.signal(signal.SIGINT, lambda signum, frame: stop())
    previous_term = signal.signal(signal.SIGTERM, on_term)
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    watcher = threading.Thread(target=watch, name="akhbar-ctrl-c", daemon=True)
    watcher.start()  # started after the block: sigwait needs SIGINT blocked in its thread too
    progress.add_listener(on_event)
    try:
        yield
    finally:
        progress.remove_listener(on_event)
        done.set()
        signal.pthread_kill(watcher.ident, signal.SIGINT)  # ends the watcher's sigwait
        watcher.join(timeout=5)
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
        signal.signal(signal.SIGINT, previous)
        signal.signal(signal.SIGTERM, previous_term)


# ---------------------------------------------------------------- exit code of a run


def run_verdict(result: dict, n_feeds: int | None = None) -> tuple[int, str | None]:
    """(exit code, one line or None) for an ingest-like flow result.

    1 when the run did not do its job: the load was deferred, or every polled feed failed.
    Single failed feeds or pages in an otherwise good run are recorded rows, not a failed run.
    """
    status = str(result.get("status") or "")
    if result.get("verdict") == "failed":  # the flow's own reason (flows/outcome.py), e.g. no feed could be fetched
        return EXIT_FAILED, str(result.get("message") or "run failed")
    if result.get("error"):  # the run could not keep its work (e.g. disk full): its own one line
        return EXIT_FAILED, str(result["error"])
    if "deferred" in status:
        return EXIT_FAILED, ("the load was deferred (another process held the warehouse): this run's batch "
                             "is staged and the next run loads it")
    if status and not status.startswith("completed"):
        return EXIT_FAILED, f"run {status}"
    polled = result.get("feeds_polled")
    failed = result.get("feeds_failed") or 0
    if polled and failed >= polled:
        return EXIT_FAILED, (f"no feed could be fetched ({failed} of {polled} failed): are you offline? "
                             "`akhbar feeds health` shows why")
    if result.get("verdict") == "warning":  # the flow run's "Completed with warnings": the same words
        return EXIT_OK, str(result.get("message") or "")
    return EXIT_OK, None
