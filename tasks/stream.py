"""One run as a stream: pages flow into extraction as they arrive, extracted articles flow on in
chunks, and a run holds a bounded number of pages and articles whatever its size.

    source (fetch / WARC / archive) ──pages──▶ extract (worker processes) ──articles──▶ chunks
            `feed`                    Pipe          `extract`                 Pipe      `chunks`

Each arrow is a `Pipe`: a bounded queue between two stages running in threads of their own, so a
run's memory is bounded by the pipe sizes (pages waiting for extraction, results of the chunks in
the workers, one chunk of articles), not by the number of pages. Order is kept end to end: the
chunks hold the articles in the order the source gave the pages, so whatever follows per chunk
(dedupe in publication order within a chunk, staging) sees the same chunks every time the same
input is run. A stage that fails stops the others (`Pipe.abort`): none of them waits forever on
a pipe nobody reads.

Plain functions and classes; the flows wrap the three stages as Prefect tasks that run side by
side (flows/streaming.py).
"""

from __future__ import annotations

import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from tasks.pool import stream_map

T = TypeVar("T")
J = TypeVar("J")
R = TypeVar("R")

_END = object()


class Stopped(Exception):
    """Raised in a stage when another stage failed and the run is being stopped."""


class Pipe(Generic[T]):
    """A bounded queue between two stage threads, closed by its producer, abortable by anyone."""

    def __init__(self, size: int, stop: threading.Event, name: str = "pipe") -> None:
        self._q: queue.Queue = queue.Queue(maxsize=max(1, size))
        self._stop = stop
        self.name = name
        self.count = 0  # items put so far

    def put(self, item: T) -> None:
        while True:
            if self._stop.is_set():
                raise Stopped(self.name)
            try:
                self._q.put(item, timeout=0.2)
                self.count += 1
                return
            except queue.Full:
                continue

    def close(self) -> None:
        """End of stream (the producer is done)."""
        while not self._stop.is_set():
            try:
                self._q.put(_END, timeout=0.2)
                return
            except queue.Full:
                continue

    def __iter__(self) -> Iterator[T]:
        while True:
            if self._stop.is_set():
                raise Stopped(self.name)
            try:
                item = self._q.get(timeout=0.2)
            except queue.Empty:
                continue
            if item is _END:
                return
            yield item


@dataclass(frozen=True)
class Limits:
    """How much a run holds at once."""

    workers: int  # extraction processes (1: extraction in the calling thread)
    chunk: int = 256  # articles per chunk (attribution + signatures, dedupe, staging, load)
    ahead: int = 64  # pages read or fetched ahead of extraction
    extract_chunk: int = 8  # pages per job sent to a worker process

    @property
    def in_workers(self) -> int:
        """Pages out in the worker processes at most (their results included)."""
        return 2 * max(1, self.workers) * self.extract_chunk


class Stream:
    """The pipes of one run and the stop switch they share."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.stop = threading.Event()
        self.error: BaseException | None = None
        self.pages: Pipe = Pipe(limits.ahead, self.stop, "pages")
        self.extracted: Pipe = Pipe(limits.chunk, self.stop, "extracted")

    def abort(self, exc: BaseException) -> None:
        if self.error is None and not isinstance(exc, Stopped):
            self.error = exc
        self.stop.set()


def feed(items: Iterable[T], out: Pipe[T], stream: Stream) -> int:
    """Stage 1: put every item of the source into the pipe (fetching / reading as it goes)."""
    try:
        for item in items:
            out.put(item)
        out.close()
        return out.count
    except BaseException as exc:
        stream.abort(exc)
        raise


def extract(inp: Pipe[T], out: Pipe, stream: Stream, job_of: Callable[[T], J | None], fn: Callable[[J], R],
            finish: Callable[[T, R | None], object] | None = None, on_item: Callable[[], None] | None = None) -> int:
    """Stage 2: fn(job_of(item)) in the worker processes for every item that has a job (items
    without one pass with None), in input order, at most `Limits.in_workers` items out. What goes
    on is finish(item, result) (default: the pair), computed here as each result arrives: it can
    drop what the item no longer needs (a page's body and text), so the pipe after this stage
    holds small records."""
    finish = finish or (lambda item, result: (item, result))
    limits = stream.limits
    held: deque[tuple[T, bool]] = deque()  # items read, in order, and whether their job is out

    def jobs() -> Iterator[J]:
        for item in inp:
            job = job_of(item)
            held.append((item, job is not None))
            if job is not None:
                yield job

    try:
        done = 0
        for result in stream_map(fn, jobs(), limits.workers, chunksize=limits.extract_chunk):
            item, has_job = held.popleft()
            while not has_job:  # items before this job's item that had none go on first, in order
                out.put(finish(item, None))
                item, has_job = held.popleft()
            out.put(finish(item, result))
            done += 1
            if on_item is not None:
                on_item()
        while held:  # trailing items without a job
            out.put(finish(held.popleft()[0], None))
        out.close()
        return done
    except BaseException as exc:
        stream.abort(exc)
        raise


def chunks(inp: Iterable[T], size: int) -> Iterator[tuple[list[T], bool]]:
    """The items of a pipe in lists of `size` (the last one shorter), in order, each with whether
    it is the last one (a full chunk is handed on once the next item, or the end, is there)."""
    chunk: list[T] = []
    for item in inp:
        if len(chunk) >= size:
            yield chunk, False
            chunk = []
        chunk.append(item)
    yield chunk, True  # possibly empty: the end of an empty stream


def run_locally(stream: Stream, *stages: Callable[[], object]) -> list[object]:
    """Run the stages in threads of their own and wait for all (outside Prefect: tests, scripts).
    Returns each stage's result; re-raises the first failure."""
    results: list[object] = [None] * len(stages)

    def runner(i: int, stage: Callable[[], object]) -> None:
        try:
            results[i] = stage()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller below
            stream.abort(exc)

    threads = [threading.Thread(target=runner, args=(i, s), name=f"akhbar-stage-{i}", daemon=True)
               for i, s in enumerate(stages)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if stream.error is not None:
        raise stream.error
    return results


class Ticker:
    """Calls `fn(done)` at most every `every_s` seconds (progress lines, Prefect artifacts)."""

    def __init__(self, fn: Callable[[int], None], every_s: float = 5.0) -> None:
        self.fn, self.every_s = fn, every_s
        self.done = 0
        self._next = time.monotonic() + every_s

    def __call__(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if now >= self._next:
            self._next = now + self.every_s
            try:
                self.fn(self.done)
            except Exception:  # noqa: BLE001 - progress must never break a run
                pass


def fetch_order(entries: list[T], when_of: Callable[[T], object]) -> list[T]:
    """The order a run fetches (and so extracts, dedupes and stores) its pages in: publication
    time, oldest first, undated ones last as listed. Chunks then go forward in time (dedupe sees
    a story's first copies first), and the order is stable under removing a prefix: a run that
    was stopped after some chunks resumes with exactly the chunks it had not finished. Hosts mix
    in publication order, so the pages fetched ahead (`Limits.ahead`) spread over many hosts and
    a per-host politeness interval does not starve the stream."""
    order = sorted(range(len(entries)), key=lambda i: (when_of(entries[i]) is None, when_of(entries[i]) or 0, i))
    return [entries[i] for i in order]
