"""A connection reset (TCP RST: a proxy killing a worker, a load balancer timing out, a firewall)
mid-head or mid-body, on a real server (tests/rawserver.py): a temporary failure, asked again,
and the failure row says what happened. Before, the row said only "ReadError" (httpx's exception
carries no text; the socket error under it does)."""

from __future__ import annotations

import socket
import struct
import time

import pytest

from tasks.http import FetchRequest, HttpSettings, fetch_all, is_transient
from tests.hostile_server import article_html
from tests.rawserver import RawServer, response

FAST = HttpSettings(connect_timeout_s=1.0, read_timeout_s=2.0, total_timeout_s=5.0, per_host_min_interval_s=0.0,
                    max_retries=1, backoff_base_s=0.01, backoff_max_s=0.02, allow_private_networks=True)
BODY = article_html("/news/1.html").encode() * 3
HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n" % len(BODY)


def _reset_after(data: bytes):
    def route(c, target):
        c.send(data)
        time.sleep(0.1)
        c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close = RST
        c.sock.close()
        return False
    return route


RESETS = {"mid-head": HEAD[:30], "mid-body": HEAD + BODY[: len(BODY) // 2], "before-anything": b""}
ROBOTS_OK = {"/robots.txt": lambda c, t: c.send(response("200 OK", b"User-agent: *\nDisallow:\n")) or True}


@pytest.mark.parametrize("kind", ["page", "feed"])
@pytest.mark.parametrize("when", list(RESETS))
def test_a_connection_reset_is_a_temporary_failure_that_says_so(when, kind):
    with RawServer({**ROBOTS_OK, "/x": _reset_after(RESETS[when])}) as srv:
        [r] = fetch_all([FetchRequest(srv.base + "/x", kind=kind)], FAST)
        assert r.outcome == "connection_error" and is_transient(r.outcome, r.status, r.error), r
        assert "connection reset" in r.error.lower(), r.error
        assert srv.paths() == ["/robots.txt", "/x", "/x"]  # asked again once (max_retries=1)


def test_a_robots_txt_whose_connection_is_reset_says_so_and_holds_the_pages():
    with RawServer({"/robots.txt": _reset_after(b"HTTP/1.1 200 OK\r\nContent-Le"),
                    "/x": lambda c, t: c.send(response("200 OK", BODY, {"Content-Type": "text/html"}))}) as srv:
        [r] = fetch_all([FetchRequest(srv.base + "/x")], FAST)
        assert r.outcome == "connection_error" and is_transient(r.outcome, r.status, r.error), r
        assert r.error.startswith("robots.txt unreachable") and "connection reset" in r.error.lower(), r.error
        assert "/x" not in srv.paths()
