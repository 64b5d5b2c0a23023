"""The cut-page shape rule (tasks.http._unfinished_document) counts tags in markup only, not in a
script's strings, a style, a template, a noscript fallback or a comment.

Changed behaviour (each test failed before): a whole page that leaves out </body></html> (HTML
allows it) and builds a widget with jQuery ($('<div class="share-bar">'), an opening tag alone)
or holds a <template>/<noscript> of unclosed <div>s was called cut: asked three times, kept with
a false "page cut short" warning, asked again by two later runs. And a page cut inside its
inline script (no </body>, the rest of the page read as code) was stored as whole.
"""

from __future__ import annotations

import re

import pytest

from tasks.http import CUT_PAGE, FetchRequest, fetch_all
from tests.rawserver import RawConn, RawServer
from tests.test_hostile_shapes import FAST, PAGES, _serve

pytestmark = pytest.mark.timeout(60)

# cnn_arabic leaves one <div> open and has no footer: what a small template looks like
OPEN = re.sub(rb"</(?:body|html)\s*>", b"", PAGES["cnn_arabic"], flags=re.I)
JQUERY = (b"<script>$(function () { var bar = $('<div class=\"share-bar\">');"
          b" bar.append($('<div class=\"share-count\">').text(n)); $('.story').after(bar); });</script>\n")
TEMPLATES = (b"<template id=\"card\"><div class=\"card\"><div class=\"card-body\"><h3></h3></template>"
             b"<noscript><div class=\"nojs\"><div><img src=\"/pixel.gif\"></noscript>\n")
DATA_LAYER = b'<script>window.dataLayer = window.dataLayer || []; dataLayer.push({"section": "middle_east", "tags": ["'
BODIES = {"jquery": OPEN + JQUERY, "templates": OPEN + TEMPLATES, "cut-in-script": OPEN + DATA_LAYER}


def _pages(c: RawConn, target: str) -> bool:
    c.send(_serve(BODIES[target.split("?")[0].rsplit("/", 1)[-1]]))
    return True


@pytest.fixture(scope="module")
def server():
    with RawServer({"/p/": _pages}) as s:
        yield s


@pytest.mark.parametrize("name", ["jquery", "templates"])
def test_a_whole_page_with_tags_in_its_scripts_or_templates_is_whole(server, name):
    [r] = fetch_all([FetchRequest(f"{server.base}/p/{name}")], FAST)
    assert r.outcome == "ok" and r.error is None and r.attempts == 1, r


def test_a_page_cut_inside_its_inline_script_is_a_cut_page(server):
    [r] = fetch_all([FetchRequest(f"{server.base}/p/cut-in-script")], FAST)
    assert r.outcome == "ok" and r.error.startswith(CUT_PAGE) and "script never closed" in r.error, r
    assert r.body == BODIES["cut-in-script"]  # what came is kept
