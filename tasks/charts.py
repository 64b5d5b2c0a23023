"""Charts and the self-contained HTML report (the only module that imports plotly).

plotly.js is embedded once, inline, so the file works offline and from a mail attachment; no
<script src=...> and no MathJax.
"""

from __future__ import annotations

import html
import unicodedata
from collections import defaultdict
from datetime import UTC, datetime

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from warehouse.report_data import ReportData

_FONT = dict(family="Noto Naskh Arabic, Amiri, Tahoma, Arial, sans-serif", size=13)


def _layout(fig: go.Figure, title: str, **kw) -> go.Figure:
    kw.setdefault("margin", dict(l=60, r=30, t=60, b=50))
    fig.update_layout(title=title, font=_FONT, template="plotly_white", legend=dict(orientation="h", y=-0.2), **kw)
    return fig


def _empty(title: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text="no data in this window", showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    return _layout(fig, title)


# Right-to-left isolate: a label of Arabic text is laid out right to left whatever the chart's
# (left-to-right) direction, so "…" ends up at its logical end (the left) and the % of "٤٠%"
# stays on the digits' left. Browsers render SVG text with the Unicode bidi algorithm.
RLI, PDI = "\u2067", "\u2069"
_TRAILING = " \t،؛,;:.-–—"


def _short(text: str | None, n: int = 60) -> str:
    """At most n characters, cut at a word boundary, "…" at the logical end.

    A single word longer than n is cut inside (nothing else fits)."""
    text = " ".join((text or "").split())
    if len(text) <= n:
        return text
    cut = text[: n - 1]
    space = cut.rfind(" ")
    if space > 0 and text[n - 1] != " ":
        cut = cut[:space]
    return cut.rstrip(_TRAILING) + "…"


def _bidi(label: str) -> str:
    """Isolate right-to-left text (see RLI) so it renders in its own direction in a chart."""
    rtl = any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in label)
    return f"{RLI}{label}{PDI}" if rtl else label


def _label(text: str | None, n: int) -> str:
    return _bidi(_short(text, n))


def volume_chart(data: ReportData) -> go.Figure:
    title = "Articles per day and outlet"
    if not data.volume:
        return _empty(title)
    by_outlet: dict[str, dict] = defaultdict(dict)
    for r in data.volume:
        by_outlet[r["source_name"]][r["day"]] = r["articles"]
    fig = go.Figure()
    for outlet, per_day in sorted(by_outlet.items()):
        days = sorted(per_day)
        fig.add_bar(x=days, y=[per_day[d] for d in days], name=_bidi(outlet))
    return _layout(fig, title, barmode="stack", xaxis_title="day (UTC)", yaxis_title="articles")


def wire_chart(data: ReportData) -> go.Figure:
    title = "Wire share per agency (share of each day's articles)"
    if not data.wire:
        return _empty(title)
    by_agency: dict[str, list[dict]] = defaultdict(list)
    for r in data.wire:
        by_agency[r["agency"]].append(r)
    fig = go.Figure()
    for agency, rows in sorted(by_agency.items()):
        fig.add_bar(x=[r["day"] for r in rows], y=[r["share"] for r in rows], name=agency,
                    customdata=[[r["articles"], r["clusters"]] for r in rows],
                    hovertemplate="%{x}: %{y:.0%} (%{customdata[0]} articles, %{customdata[1]} stories)")
    return _layout(fig, title, barmode="stack", xaxis_title="day (UTC)", yaxis_title="share",
                   yaxis_tickformat=".0%")


def clusters_chart(data: ReportData) -> go.Figure:
    title = "Biggest stories: outlets carrying each"
    if not data.clusters:
        return _empty(title)
    rows = list(reversed(data.clusters))  # widest at the top
    labels = [f"{_label(r['title'], 50)} ({r['agency'] or '—'})" for r in rows]
    fig = go.Figure(go.Bar(x=[r["n_outlets"] for r in rows], y=labels, orientation="h",
                           customdata=[[r["n_articles"], r["lag_median_minutes"]] for r in rows],
                           hovertemplate="%{x} outlets, %{customdata[0]} articles, median lag %{customdata[1]} min"))
    return _layout(fig, title, xaxis_title="outlets", height=max(350, 40 * len(rows) + 120),
                   margin=dict(l=380, r=30, t=60, b=50))


def spread_chart(data: ReportData) -> go.Figure:
    title = "How the biggest stories spread: each copy by outlet and time"
    if not data.copies:
        return _empty(title)
    label = {c["cluster_id"]: _label(c["title"], 45) for c in data.clusters}
    order = [label[c["cluster_id"]] for c in reversed(data.clusters)]
    fig = go.Figure()
    by_cluster: dict[str, list[dict]] = defaultdict(list)
    for c in data.copies:
        by_cluster[c["cluster_id"]].append(c)
    for cid, copies in by_cluster.items():  # a thin line from first to last copy
        fig.add_scatter(x=[copies[0]["seen_at"], copies[-1]["seen_at"]], y=[label[cid]] * 2, mode="lines",
                        line=dict(color="#bbbbbb", width=2), showlegend=False, hoverinfo="skip")
    by_outlet: dict[str, list[dict]] = defaultdict(list)
    for c in data.copies:
        by_outlet[c["source_name"]].append(c)
    for outlet, copies in sorted(by_outlet.items()):
        fig.add_scatter(x=[c["seen_at"] for c in copies], y=[label[c["cluster_id"]] for c in copies],
                        mode="markers", name=_bidi(outlet), marker=dict(size=11),
                        customdata=[[_label(c["title"], 70), c["lag_minutes"]] for c in copies],
                        hovertemplate=f"{html.escape(outlet)}: %{{customdata[0]}}<br>+%{{customdata[1]:.0f}} min")
    return _layout(fig, title, xaxis_title="published (UTC)", height=max(350, 40 * len(order) + 150),
                   yaxis=dict(categoryorder="array", categoryarray=order), margin=dict(l=330, r=30, t=60, b=50))


def _table(rows: list[dict], cols: list[tuple[str, str]]) -> str:
    if not rows:
        return "<p class='muted'>none</p>"
    head = "".join(f"<th>{html.escape(label)}</th>" for _, label in cols)
    body = []
    for r in rows:
        cells = []
        for key, _ in cols:
            v = r.get(key)
            if isinstance(v, float):
                v = f"{v:.2f}"
            elif isinstance(v, list):
                v = ", ".join(map(str, v))
            cells.append(f"<td dir='auto'>{html.escape('' if v is None else str(v))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def report_figures(data: ReportData) -> dict[str, go.Figure]:
    return {"volume": volume_chart(data), "wire": wire_chart(data), "clusters": clusters_chart(data),
            "spread": spread_chart(data)}


def render_report(data: ReportData) -> str:
    """The whole report as one HTML string, plotly.js inline."""
    figs = report_figures(data)
    divs = {name: fig.to_html(full_html=False, include_plotlyjs=False, include_mathjax=False,
                              div_id=f"chart-{name}", config={"displaylogo": False, "responsive": True})
            for name, fig in figs.items()}
    t = data.totals or {}
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    cluster_cols = [("title", "story"), ("agency", "agency"), ("n_outlets", "outlets"), ("n_articles", "articles"),
                    ("first_seen_at", "first seen"), ("lag_median_minutes", "median lag (min)"),
                    ("lag_max_minutes", "max lag (min)"), ("outlets", "outlets")]
    drift_cols = [("source_name", "outlet"), ("reasons", "drift"), ("recent_articles", "articles (7 d)"),
                  ("recent_not_ok_share", "not ok (7 d)"), ("base_not_ok_share", "not ok (baseline)"),
                  ("recent_median_words", "median words (7 d)"), ("base_median_words", "median words (baseline)")]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>akhbar daily report {data.day.isoformat()}</title>
<style>
body {{ font-family: {_FONT['family']}; margin: 2em auto; max-width: 1200px; color: #222; }}
h1 {{ font-size: 1.6em; }} .muted {{ color: #777; }}
table {{ border-collapse: collapse; width: 100%; font-size: 0.9em; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: start; }}
</style>
<script type="text/javascript">{get_plotlyjs()}</script>
</head><body>
<h1>akhbar daily report: {data.start.isoformat()} to {data.day.isoformat()}</h1>
<p class="muted">Generated {generated}. Warehouse: {t.get('articles', 0)} articles from {t.get('outlets', 0)}
outlets; {t.get('articles_on_day', 0)} dated {data.day.isoformat()}. Days are UTC.</p>
<h2>Volume</h2>{divs['volume']}
<h2>Wire agencies</h2>{divs['wire']}
<h2>Biggest stories</h2>{divs['clusters']}
{divs['spread']}
{_table(data.clusters, cluster_cols)}
<h2>Extraction drift watch</h2>
<p class="muted">Outlets whose last 7 days depart from their 30-day baseline (view extraction_drift).</p>
{_table(data.drift, drift_cols)}
</body></html>
"""
