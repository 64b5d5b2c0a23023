"""flows.tuning.release_memory: between the chunks of a streamed run, the C heap's free pages go
back to the system (issue 18, memory): glibc keeps what a chunk's objects freed in its arenas,
in holes between live blocks, and a long run's command grew by what it held for nothing."""

from __future__ import annotations

import os
import platform

import pytest

from flows import streaming, tuning
from tasks import stream
from tasks.stream import Limits, Stream

GLIBC = platform.libc_ver()[0] == "glibc"


def _resident_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(not GLIBC or not os.path.exists("/proc/self/statm"), reason="glibc's malloc_trim, Linux /proc")
def test_memory_freed_between_live_blocks_goes_back_to_the_system():
    # ~60 MB of 1.5 kB blocks (above pymalloc's 512 bytes: glibc's heap), every 8th kept alive,
    # as a chunk's tables and texts are freed around what the run keeps: holes glibc keeps.
    blocks = [bytes(1500) for _ in range(40_000)]
    kept = blocks[::8]
    del blocks
    held = _resident_mb()
    assert tuning.release_memory() is True
    released = held - _resident_mb()
    # ~20 MB of whole free pages in the holes (measured); without the trim nothing goes back (0.0)
    assert released > 8, f"{released:.1f} MB released of ~50 MB freed"
    assert len(kept) == 5_000


def test_a_streamed_run_releases_memory_after_every_chunk(monkeypatch):
    released: list[int] = []
    handled: list[list[int]] = []
    monkeypatch.setattr(tuning, "release_memory", lambda: released.append(len(handled)) or True)
    st = Stream(Limits(workers=1, chunk=4, ahead=4))

    def handle(chunk: list[int], last: bool) -> int:
        handled.append(chunk)
        return len(chunk)

    stream.run_locally(st, lambda: stream.feed(range(10), st.extracted, st),
                       lambda: streaming.settle(st.extracted, st, handle))
    assert handled == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert released == [1, 2, 3]  # once after each chunk's handling


# A fresh interpreter (glibc's allocator state is per process, and the arena limit only holds if
# set before a second thread allocates): eight threads alive at once each allocate a block; a
# thread's arena is a 64 MiB-aligned heap, so the distinct aligned regions count the arenas.
_ARENAS = """
import ctypes, sys, threading
from flows import tuning
if sys.argv[1] == "tuned":
    assert tuning.tune_malloc() is True
libc = ctypes.CDLL(None)
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
barrier = threading.Barrier(8)
heaps = set()
def work():
    barrier.wait()  # all alive at once: none takes over another's freed arena
    heaps.add(libc.malloc(1000) >> 26)
    barrier.wait()
threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(len(heaps))
"""


def _arenas_used(mode: str) -> int:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _ARENAS, mode], capture_output=True, text=True, check=True,
                         cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return int(out.stdout.strip())


@pytest.mark.skipif(not GLIBC, reason="glibc's mallopt")
def test_tuned_malloc_keeps_the_threads_of_a_run_to_two_arenas():
    # glibc's default: an arena per thread (up to 8 per core), each keeping the holes its frees
    # leave; tuned, the eight threads share two
    assert _arenas_used("default") >= 4
    assert _arenas_used("tuned") <= 2


def test_the_cli_tunes_malloc_before_anything_runs(monkeypatch):
    from flows import cli

    calls: list[str] = []
    monkeypatch.setattr(tuning, "tune_malloc", lambda: calls.append("tune") or True)
    monkeypatch.setattr(cli, "app", lambda **kw: calls.append("app"))
    cli.main()
    assert calls == ["tune", "app"]


class _NoGlibc:
    """ctypes.CDLL(None) where the C library is not glibc: musl and macOS load the process's
    symbols but have no malloc_trim; on Windows CDLL(None) raises TypeError (its LoadLibrary
    needs a name), and a Python built without dlopen raises OSError."""

    def __init__(self, error: type[Exception] | None) -> None:
        self.error = error

    def __call__(self, name):
        if self.error is not None:
            raise self.error("argument of type 'NoneType' is not iterable")
        return type("Libc", (), {"free": object()})()  # no malloc_trim, no mallopt


@pytest.mark.parametrize("error", [None, TypeError, OSError], ids=["musl-or-macos", "windows", "no-dlopen"])
def test_without_glibc_tuning_is_a_no_op_and_never_fails(monkeypatch, error):
    # Called first thing by `akhbar` and at the import of every flow module: it must not stop a
    # process where the C library is not glibc, however that library fails to load.
    monkeypatch.setattr(tuning.ctypes, "CDLL", _NoGlibc(error))
    monkeypatch.setattr(tuning, "_LIBC", None)
    assert tuning.tune_malloc() is False
    assert tuning.tune_malloc() is False  # twice: still nothing
    assert tuning.release_memory() is False
    tuning.prepare_process()  # every flow module's import calls it


@pytest.mark.skipif(not GLIBC, reason="glibc's mallopt")
def test_tune_malloc_twice_and_under_serve_keeps_its_settings():
    # idempotent: `akhbar serve` tunes in main() and again when the flow modules are imported
    assert tuning.tune_malloc() is True
    assert tuning.tune_malloc() is True
