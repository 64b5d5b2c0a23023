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
