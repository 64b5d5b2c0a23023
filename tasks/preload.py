"""Imported by the extraction workers' fork server (`tasks.pool.PRELOAD`) before it forks any
worker: the extraction and signing modules, then one extraction and one signature of a small
built-in page, so what those libraries build lazily on first use (py3langid's model, ~0.5 s;
compiled patterns, parser state) is built once, in the server, and every forked worker starts
with it (copy-on-write) instead of building its own. Then everything built so far is moved out
of the garbage collector's sight (`gc.freeze`): a worker's collections no longer walk, and so
write to, the server's objects, whose memory pages stay shared instead of being copied into
every worker (bench/RESULTS.md, "One run as a stream": -14 MB PSS for a server and two workers).
The workers it forks load the caller's main module only if what they are sent needs it
(`pool.lazy_main_in_forked_workers`: a deployment's run is `python -m prefect.engine`, which every
worker imported again otherwise).

The server imports what the workers run (`tasks.articles.run_job`, extraction, signing) and
nothing of the warehouse: DuckDB and pyarrow, which the modules of a run's own process import
at their top, are imported by those modules where they read or write the warehouse, so neither
the server (~100 MB of RSS) nor each worker it forks (~25 MB of heap) carries them (issue 18).
"""

from __future__ import annotations

import gc

from tasks import articles, pool, stories  # noqa: F401 - articles: the module of the workers' entry point
from tasks.extract import extract_page

_PAGE = """<!doctype html><html lang="ar"><head><meta charset="utf-8"><title>خبر تجريبي</title>
<meta property="article:published_time" content="2026-01-01T10:00:00+03:00"></head><body>
<article><h1>وزير الخارجية يلتقي نظيره في القاهرة</h1>
<p>القاهرة - رويترز: التقى وزير الخارجية اليوم نظيره في العاصمة المصرية لبحث العلاقات الثنائية وسبل تعزيزها في مختلف المجالات.</p>
<p>وقال الوزير في مؤتمر صحفي مشترك إن المحادثات تناولت عددا من القضايا الإقليمية والدولية ذات الاهتمام المشترك.</p>
</article></body></html>"""


def warm_up() -> None:
    ext = extract_page(_PAGE, "https://example.com/news/1")
    stories._attribute_and_sign_group([("warm", "example", None, ext.text, ext.title, True, ())])


pool.lazy_main_in_forked_workers()
warm_up()
gc.collect()  # the warm-up's garbage goes now, not into the frozen generation
gc.freeze()
