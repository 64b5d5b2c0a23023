"""WARC archiving of fetched pages (the only module importing warcio).

`WarcWriter` appends one gzip-member WARC `response` record per fetched page to
`<archive_dir>/akhbar-<run_id>-<n>.warc.gz`, rotating to n+1 when the file passes a size limit, and
returns `(file_name, offset)` so the warehouse can point at the raw bytes. `read_record` seeks to
that offset and returns the record; `iter_responses` walks external WARC files (CC-NEWS style).
"""

from __future__ import annotations

import hashlib
import re
import uuid
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders

from warehouse.leftovers import RunLock

DEFAULT_MAX_BYTES = 512 * 1024 * 1024  # rotate before files get unwieldy to copy around
_HTML_TYPES = ("text/html", "application/xhtml+xml")
# The bytes read back are the same at any level; what a level buys is disk. On 1,734 real Arabic news
# pages (the corpus, median 104 KB, 302 MB): level 4 writes 61.9 MB in 3.1-3.2 CPU-s, zlib's default 6
# 59.1 MB in 5.2-5.5 (+70 % CPU for 4.6 % less disk), 1 69.7 MB (+13 %)
# in 2.1; the 2,048 pages of the benchmark web 10.27 vs 9.95 MB at half the CPU (0.43 vs 0.84 s; 9,
# warcio's, 9.94 MB in 0.99 s).
GZIP_LEVEL = 4
_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 304: "Not Modified", 404: "Not Found"}

Response = tuple[str, int, dict[str, str], bytes]


def _safe_run_id(run_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", run_id) or "run"


def _warc_date(when: datetime | None) -> str:
    when = when or datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_RECORD_HEAD = ("WARC/1.0\r\nWARC-Date: {date}\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{id}>\r\n{uri}"
                "WARC-Payload-Digest: sha1:{payload}\r\nWARC-Block-Digest: sha1:{block}\r\n"
                "Content-Type: application/http; msgtype=response\r\nContent-Length: {length}\r\n\r\n")


_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # RFC 4648 base32


def _sha1(*parts: bytes) -> str:
    """base32 of the sha1 of the parts, as warcio writes a digest (base64.b32encode, pure Python in
    3.11, cost 40 us a digest: 160 bits are 32 letters, no padding)."""
    digest = hashlib.sha1()  # noqa: S324 - WARC's customary digest, not a security use
    for part in parts:
        digest.update(part)
    n = int.from_bytes(digest.digest(), "big")
    return "".join([_B32[(n >> shift) & 31] for shift in range(155, -1, -5)])


def _response_record(url: str, http_head: bytes, body: bytes, date: str) -> bytes:
    """The WARC head of a response record as warcio's WARCWriter writes it (the same headers in the
    same order, its digests: sha1 of the payload, and of the HTTP head and payload), written here
    in one format call: warcio's record building cost as much CPU as compressing the record."""
    uri = f"WARC-Target-URI: {url}\r\n" if url else ""  # warcio leaves an empty URI out
    return _RECORD_HEAD.format(date=date, id=uuid.uuid4(), uri=uri, payload=_sha1(body), block=_sha1(http_head, body),
                               length=len(http_head) + len(body)).encode("utf-8")


class WarcWriter:
    """Append-only writer of gzip WARC response records with size-based rotation.

    Not thread-safe: use one writer per worker (distinct run_id) or serialise calls.
    """

    def __init__(self, archive_dir: str | Path, run_id: str, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.archive_dir = Path(archive_dir)
        self.archive_dir.mkdir(parents=True, exist_ok=True)
        self.run_id = _safe_run_id(run_id)
        self.max_bytes = max_bytes
        self.n = self._first_free_index()
        self._fh = None  # the current file, open for appending while the writer writes to it
        # Held while this writer lives: a later run never removes the files of a live run, and
        # removes those of a run that died before loading (warehouse.leftovers).
        self._alive = RunLock(self.archive_dir, self.run_id)

    def close(self) -> None:
        """Close the current file and release the run's liveness lock (the files stay)."""
        self._close_file()
        self._alive.release()

    def _close_file(self) -> None:
        fh, self._fh = self._fh, None
        if fh is not None:
            try:
                fh.close()
            except OSError:  # what a full disk left unwritten was reported by the write that failed
                pass

    def _first_free_index(self) -> int:
        """Never append to a file of an earlier process with the same run id: start after it."""
        n = 0
        while (self.archive_dir / self._name(n)).exists():
            n += 1
        return n

    def _name(self, n: int) -> str:
        return f"akhbar-{self.run_id}-{n}.warc.gz"

    @property
    def current_path(self) -> Path:
        return self.archive_dir / self._name(self.n)

    def write_response(
        self,
        url: str,
        status: int,
        headers: dict[str, str] | None,
        body: bytes,
        fetched_at: datetime | None = None,
    ) -> tuple[str, int]:
        """Append one response record; returns (file name inside archive_dir, byte offset).

        The file stays open between records (one open and one stat a page before); each record is
        flushed as it is written, so a reader (or a run that dies) sees every record whole."""
        if self._fh is not None and self._fh.tell() >= self.max_bytes:
            self._close_file()
            self.n += 1
        if self._fh is None:
            path = self.current_path
            if path.exists() and path.stat().st_size >= self.max_bytes:
                self.n += 1
                path = self.current_path
            self._fh = open(path, "ab")  # noqa: SIM115 - kept open across records, closed by close()
        http_headers = [(k, str(v)) for k, v in (headers or {}).items()]
        # the stored body is the decoded payload: drop transfer framing that no longer applies
        http_headers = [(k, v) for k, v in http_headers
                        if k.lower() not in ("content-encoding", "transfer-encoding", "content-length")]  # fmt: skip
        http_headers.append(("Content-Length", str(len(body))))
        status_line = f"{int(status)} {_REASONS.get(int(status), 'Unknown')}"
        # warcio's serialisation of the HTTP head (non-ASCII values percent-encoded as it does)
        http_head = StatusAndHeaders(status_line, http_headers, protocol="HTTP/1.1").to_ascii_bytes()
        head = _response_record(url, http_head, body, _warc_date(fetched_at))
        # one gzip member per record (what warcio's gzip writer makes), at our level
        z = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        member = z.compress(head + http_head) + z.compress(body) + z.compress(b"\r\n\r\n") + z.flush()
        fh = self._fh
        offset = fh.tell()
        try:
            fh.write(member)
            fh.flush()
        except OSError:
            self._close_file()  # a full disk: nothing more is written to this file
            raise
        return self._name(self.n), offset


def _record_tuple(record) -> Response:
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    status = 0
    headers: dict[str, str] = {}
    if record.http_headers is not None:
        try:
            status = int((record.http_headers.get_statuscode() or "0")[:3])
        except ValueError:
            status = 0
        headers = {k: v for k, v in record.http_headers.headers}
    body = record.content_stream().read()
    return url, status, headers, body


def read_record(path: str | Path, offset: int) -> Response:
    """The response record at `offset` of a WARC file: (url, status, headers, body)."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        for record in ArchiveIterator(fh):
            if record.rec_type != "response":
                raise ValueError(f"record at {offset} of {path} is {record.rec_type!r}, not a response")
            return _record_tuple(record)
    raise ValueError(f"no WARC record at offset {offset} of {path}")


def _is_html(headers: dict[str, str]) -> bool:
    ctype = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    return ctype.split(";")[0].strip().lower() in _HTML_TYPES


def iter_responses(
    path: str | Path, html_only: bool = True
) -> Iterator[tuple[str, int, dict[str, str], bytes, int]]:
    """(url, status, headers, body, offset) of each HTTP response record of a (gzip) WARC file.

    Skips request/metadata/warcinfo/revisit records and, by default, non-HTML responses.
    """
    for url, status, headers, body, offset, _date in iter_response_records(path):
        if html_only and not _is_html(headers):
            continue
        yield url, status, headers, body, offset


def iter_response_records(path: str | Path) -> Iterator[tuple[str, int, dict[str, str], bytes, int, str | None]]:
    """(url, status, headers, body, offset, warc_date) of every HTTP response record, HTML or not
    (callers that count what they skip, e.g. the WARC backfill). warc_date is the raw WARC-Date."""
    with open(path, "rb") as fh:
        it = ArchiveIterator(fh)
        for record in it:
            if record.rec_type != "response" or record.http_headers is None:
                continue
            url, status, headers, body = _record_tuple(record)
            # after reading the body: get_record_offset() drains the record when called first
            offset = it.get_record_offset()
            yield url, status, headers, body, offset, record.rec_headers.get_header("WARC-Date")


def is_html_response(headers: dict[str, str]) -> bool:
    """Content-Type of an archived response is HTML/XHTML."""
    return _is_html(headers)
