"""A raw HTTP/1.1 server on loopback for tests: each route answers with bytes written straight to
the socket (malformed heads, lying lengths, kept-alive connections), so responses no well-behaved
server library would send can be served. Every request is logged (path, time, connection number)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

Route = Callable[["RawConn", str], bool | None]  # returns True to keep the connection open


class RawConn:
    def __init__(self, sock: socket.socket, server: RawServer, number: int) -> None:
        self.sock, self.server, self.number = sock, server, number

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)


class RawServer:
    """Routes: exact path -> Route, or prefix ending in '/' -> Route (longest prefix wins)."""

    def __init__(self, routes: dict[str, Route], addr: str = "127.0.0.1") -> None:
        self.routes = routes
        self.sock = socket.create_server((addr, 0))
        self.sock.settimeout(0.1)
        self.base = "http://{}:{}".format(*self.sock.getsockname()[:2])
        self.log: list[tuple[str, float, int]] = []
        self.heads: list[bytes] = []  # each request's head as it came (its header lines)
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self._conns = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self._thread.join(5)
        self.sock.close()

    def paths(self) -> list[str]:
        with self.lock:
            return [p for p, _, _ in self.log]

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self.lock:
                self._conns += 1
                n = self._conns
            threading.Thread(target=self._handle, args=(conn, n), daemon=True).start()

    def _handle(self, conn: socket.socket, number: int) -> None:
        conn.settimeout(5)
        buf = b""
        try:
            while not self.stopping.is_set():
                while b"\r\n\r\n" not in buf:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buf += data
                head, _, buf = buf.partition(b"\r\n\r\n")
                target = head.split(b"\r\n", 1)[0].split(b" ")[1].decode("latin-1")
                with self.lock:
                    self.log.append((target, time.monotonic(), number))
                    self.heads.append(head)
                path = unquote(urlsplit(target).path)
                route = self.routes.get(path) or next(
                    (r for p, r in sorted(self.routes.items(), key=lambda kv: -len(kv[0]))
                     if p.endswith("/") and path.startswith(p)), None)
                if route is None:
                    conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                    continue
                if not route(RawConn(conn, self, number), target):
                    return
        except OSError:
            return
        finally:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            conn.close()


def raw(data: bytes, keep: bool = False) -> Route:
    def route(c: RawConn, target: str) -> bool:
        c.send(data)
        return keep
    return route


def response(status: str, body: bytes = b"", headers: dict[str, str] | None = None, length: bool = True) -> bytes:
    lines = [f"HTTP/1.1 {status}"] + [f"{k}: {v}" for k, v in (headers or {}).items()]
    if length:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
