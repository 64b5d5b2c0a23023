"""Catalog loading (bundled rich form + serve.py flat form), validation and feed selection."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from tasks.catalog import (
    REGIONS,
    CatalogError,
    agency_outlets,
    default_catalog_path,
    load_catalog,
    select_feeds,
)
from tasks.models import FeedSpec

ALLOWED_ORIGINS = {
    "catalog:newscatcher-0.2.0",
    "catalog:fundus",
    "catalog:mediacloud-sample",
    "unverified-offline",
}


@pytest.fixture(scope="module")
def bundled() -> list[FeedSpec]:
    return load_catalog()


# ---------------------------------------------------------------- bundled catalog


def test_default_path_is_the_packaged_seed():
    path = default_catalog_path()
    assert path.is_file()
    assert path.parts[-3:] == ("warehouse", "seeds", "sources.toml")


def test_bundled_catalog_size_and_regions(bundled):
    sources = {f.source_id for f in bundled}
    assert len(sources) >= 40
    assert len(bundled) >= len(sources)
    assert {f.region for f in bundled} == set(REGIONS)  # every region represented, no stray ones


def test_bundled_feeds_are_complete(bundled):
    for f in bundled:
        assert f.url.startswith(("http://", "https://")), f
        assert f.section, f"{f.source_id}: {f.url} has no section"
        assert f.origin in ALLOWED_ORIGINS, f"{f.source_id}: {f.url} origin {f.origin!r}"
        assert re.fullmatch(r"[A-Z]{2}", f.country), f
        assert f.language == "ar"
        assert f.source_name


def test_bundled_ids_unique_and_stable(bundled):
    # one name/country/region per id (an id reused by two [[sources]] would fail to load anyway)
    per_id: dict[str, set[tuple[str, str, str | None]]] = {}
    for f in bundled:
        per_id.setdefault(f.source_id, set()).add((f.source_name, f.country, f.region))
        assert re.fullmatch(r"[a-z0-9_]+", f.source_id), f.source_id
    assert all(len(v) == 1 for v in per_id.values())
    assert len({f.url for f in bundled}) == len(bundled)
    assert len({f.feed_id for f in bundled}) == len(bundled)


def test_bundled_catalog_origins_match_recorded_lists(bundled):
    """Feeds marked as copied from a recorded list really appear in that list."""
    catalogs = Path(__file__).parent / "fixtures" / "catalogs"
    newscatcher = (catalogs / "newscatcher_0.2.0_rss_main_ar.csv").read_text("utf-8")
    fundus = (catalogs / "fundus_LBCGroup_sources.csv").read_text("utf-8")
    counts = Counter(f.origin for f in bundled)
    assert counts["catalog:newscatcher-0.2.0"] >= 20
    assert counts["catalog:fundus"] >= 5
    for f in bundled:
        if f.origin == "catalog:newscatcher-0.2.0":
            assert f",{f.url}," in newscatcher, f.url
        elif f.origin == "catalog:fundus":
            assert f",{f.url}," in fundus, f.url


# ---------------------------------------------------------------- flat (serve.py) form


def _write_flat(tmp_path: Path, feeds: list[dict], base: str = "http://127.0.0.1:40123") -> Path:
    """Same text serve.py's FixtureSite.write_catalog produces (JSON strings as TOML strings)."""

    def q(s):
        return json.dumps(s, ensure_ascii=False)

    lines = ["# feed catalog for the fixture web served at this base URL", f"base_url = {q(base)}",
             f"set_dir = {q('/tmp/set')}", ""]
    for f in feeds:
        lines.append("[[feeds]]")
        for k, v in f.items():
            lines.append(f"{k} = {q(v)}")
        lines.append("")
    path = tmp_path / "catalog.toml"
    path.write_text("\n".join(lines), "utf-8")
    return path


def _served(outlet_id, name, host, country, feed_path, fmt="rss2", title="", base="http://127.0.0.1:40123"):
    return dict(outlet_id=outlet_id, outlet_name=name, host=host, country=country, format=fmt, title=title,
                url=base + feed_path)


FLAT = [
    _served("sahil", "صحيفة الساحل", "al-sahil.example", "LB", "/al-sahil.example/feed/", title="صحيفة الساحل"),
    _served("sahil", "صحيفة الساحل", "al-sahil.example", "LB", "/al-sahil.example/category/world/feed/"),
    _served("niletoday", "بوابة النيل اليوم", "nile-today.example", "EG", "/nile-today.example/rss/atom/latest.xml",
            fmt="atom"),
    _served("rafidain", "الرافدين نيوز", "rafidain-news.example", "IQ", "/rafidain-news.example/rss.xml"),
]


def test_flat_serve_py_form_loads(tmp_path):
    feeds = load_catalog(_write_flat(tmp_path, FLAT))
    assert [f.source_id for f in feeds] == ["sahil", "sahil", "niletoday", "rafidain"]
    first = feeds[0]
    assert first.url == "http://127.0.0.1:40123/al-sahil.example/feed/"
    assert first.source_name == "صحيفة الساحل"
    assert first.country == "LB"
    assert first.region == "levant"  # derived from country
    assert first.language == "ar"
    assert first.section is None
    assert [f.region for f in feeds] == ["levant", "levant", "egypt", "iraq"]


def test_flat_optional_section_language_region_and_feed_path(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(
        'base_url = "http://127.0.0.1:9/"\norigin = "fixture-web"\n'
        '[[feeds]]\noutlet_id = "a"\noutlet_name = "A"\ncountry = "gb"\nregion = "pan_arab"\n'
        'section = "world"\nlanguage = "ar"\nfeed_path = "/a.example/rss.xml"\n',
        "utf-8",
    )
    (f,) = load_catalog(path)
    assert f.url == "http://127.0.0.1:9/a.example/rss.xml"
    assert (f.country, f.region, f.section, f.origin) == ("GB", "pan_arab", "world", "fixture-web")


def test_catalog_written_by_fixture_web_server_loads():
    """serve.py's own output (recorded in fixtures) loads as is."""
    fixtures = Path(__file__).parent / "fixtures"
    feeds = load_catalog(fixtures / "catalogs" / "serve_py_catalog.toml")
    expected = json.loads((fixtures / "web" / "dev" / "feeds.json").read_text("utf-8"))
    assert len(feeds) == len(expected)
    assert {f.url for f in feeds} == {"http://127.0.0.1:1" + e["feed_path"] for e in expected}
    assert {f.source_id for f in feeds} == {e["outlet_id"] for e in expected}


# ---------------------------------------------------------------- selection


def test_select_by_id_country_region(bundled):
    assert {f.source_id for f in select_feeds(bundled, ["bbc_arabic"])} == {"bbc_arabic"}
    eg = select_feeds(bundled, ["eg"])
    assert eg and all(f.country == "EG" for f in eg)
    assert len(eg) == sum(f.country == "EG" for f in bundled)
    levant = select_feeds(bundled, ["LEVANT"])
    assert levant and all(f.region == "levant" for f in levant)
    union = select_feeds(bundled, ["bbc_arabic", "iraq"])
    assert {f.source_id for f in union} >= {"bbc_arabic"}
    assert {f.region for f in union} == {"international", "iraq"}
    assert select_feeds(bundled, ["bbc_arabic,iraq"]) == union
    # order preserved, no duplicates when selectors overlap
    both = select_feeds(bundled, ["egypt", "EG", "youm7"])
    assert both == eg


def test_select_none_or_empty_keeps_all(bundled):
    assert select_feeds(bundled, None) == bundled
    assert select_feeds(bundled, []) == bundled


def test_select_unknown_selector_lists_valid(tmp_path):
    feeds = load_catalog(_write_flat(tmp_path, FLAT))
    with pytest.raises(CatalogError) as exc:
        select_feeds(feeds, ["sahil", "atlantis"])
    msg = str(exc.value)
    assert "'atlantis'" in msg
    assert "sahil" in msg and "niletoday" in msg and "EG" in msg and "levant" in msg
    # a region that exists in general but not in these feeds is unknown here too
    with pytest.raises(CatalogError):
        select_feeds(feeds, ["maghreb"])


# ---------------------------------------------------------------- errors


def _rich(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(body, "utf-8")
    return path


GOOD = """
[[sources]]
id = "x"
name = "X"
country = "EG"
region = "egypt"
future_key = 1
  [[sources.feeds]]
  url = "https://x.example/rss"
  section = "latest"
  origin = "unverified-offline"
  also_unknown = "ok"
"""


def test_rich_minimal_and_unknown_keys_tolerated(tmp_path):
    (f,) = load_catalog(_rich(tmp_path, GOOD))
    assert f == FeedSpec("x", "X", "EG", "https://x.example/rss", "latest", "ar", "unverified-offline", "egypt")


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (GOOD.replace('id = "x"\n', ""), "missing required 'id'"),
        (GOOD.replace('url = "https://x.example/rss"', 'section2 = "a"'), "missing required 'url'"),
        (GOOD.replace("https://x.example/rss", "ftp://x.example/rss"), "must use http or https"),
        (GOOD.replace("https://x.example/rss", "javascript:alert(1)"), "must use http or https"),
        (GOOD.replace("https://x.example/rss", "https:///rss"), "has no host"),
        (GOOD.replace('region = "egypt"', 'region = "mars"'), "unknown region 'mars'"),
        (GOOD.replace('country = "EG"', 'country = "Egypt"'), "not an ISO 3166-1"),
        (GOOD.replace('country = "EG"\n', ""), "missing required 'country'"),
        (GOOD.split("  [[sources.feeds]]")[0], "at least one [[sources.feeds]]"),
        (GOOD + GOOD.replace("x.example", "y.example"), "duplicate source id"),
        (GOOD + GOOD.replace('id = "x"', 'id = "y"').replace("https://", "HTTPS://").replace("x.ex", "X.Ex"),
         "duplicate feed url"),
        # one feed written two ways: the host's trailing dot and default port, an IDN host in
        # Unicode and in punycode, escapes in lower case (tasks.urls' one notion of a URL)
        (GOOD + GOOD.replace('id = "x"', 'id = "y"').replace("https://x.example/rss", "https://x.example.:443/rss"),
         "duplicate feed url"),
        (GOOD.replace("https://x.example/rss", "https://xn--4gbrim.xn--wgbh1c/%d8%a3%d8%ae%d8%a8%d8%a7%d8%b1.xml")
         + GOOD.replace('id = "x"', 'id = "y"').replace("https://x.example/rss", "https://موقع.مصر/أخبار.xml"),
         "duplicate feed url"),
        ("title = 'no feeds here'\n", "no [[sources]]"),
        ("[[sources]\nid=", "invalid TOML"),
        ('[[feeds]]\noutlet_name = "A"\ncountry = "EG"\nurl = "http://a/"\n', "missing required 'outlet_id'"),
        ('[[feeds]]\noutlet_id = "a"\ncountry = "EG"\n', "missing 'url'"),
        ('[[feeds]]\noutlet_id = "a"\ncountry = "EG"\nfeed_path = "/a"\n', "no top-level base_url"),
        ('[[feeds]]\noutlet_id = "a"\ncountry = "EG"\nurl = 5\n', "'url' must be a string"),
    ],
)
def test_errors_name_file_and_entry(tmp_path, body, needle):
    path = _rich(tmp_path, body)
    with pytest.raises(CatalogError) as exc:
        load_catalog(path)
    msg = str(exc.value)
    assert needle in msg
    assert str(path) in msg


def test_error_messages_name_the_entry(tmp_path):
    body = GOOD + GOOD.replace('id = "x"', 'id = "second"').replace("https://x.example/rss", "gopher://y")
    with pytest.raises(CatalogError, match=r"source 'second' \(\[\[sources\]\] #2\), feed #1"):
        load_catalog(_rich(tmp_path, body))
    flat = _write_flat(tmp_path, [*FLAT, FLAT[2]])
    with pytest.raises(CatalogError, match=r"duplicate feed url .*niletoday"):
        load_catalog(flat)


def test_missing_file(tmp_path):
    with pytest.raises(CatalogError, match="cannot read catalog"):
        load_catalog(tmp_path / "nope.toml")


def test_agency_outlets_are_marked(bundled):
    agencies = {f.source_id: f.agency for f in bundled if f.agency}
    assert agencies.get("anadolu_ar") == "anadolu"
    assert all(a.islower() for a in agencies.values())
    assert agency_outlets(bundled) == agencies  # what ingest, reprocess and the shards' manifests carry
