"""Feed catalog: the one place that reads catalog TOML.

Two shapes are accepted (both may appear in one file; their feeds are concatenated):

* **rich** (the bundled ``warehouse/seeds/sources.toml``)::

      [[sources]]
      id = "bbc_arabic"  name = "..."  country = "GB"  region = "international"
      language = "ar"    # optional, default "ar"; inherited by the feeds
        [[sources.feeds]]
        url = "https://feeds.bbci.co.uk/arabic/rss.xml"
        section = "latest"            # optional
        origin = "unverified-offline" # optional, default "unverified"

* **flat** (what ``../shared/fixture-web/serve.py`` writes as ``catalog.toml``)::

      base_url = "http://127.0.0.1:40123"
      [[feeds]]
      outlet_id = "sahil"  outlet_name = "..."  country = "LB"  url = "http://127.0.0.1:40123/..."
      section = "..."  language = "ar"  region = "levant"  origin = "..."   # all optional

  A flat entry may give ``feed_path`` instead of ``url``; it is then joined to ``base_url``.
  A flat file may set a top-level ``origin`` used for entries that do not set their own.

Rules (every error is a :class:`CatalogError` naming the file and the entry):

* required: source/outlet id, country (ISO-2 letters, stored upper-case), feed url; the name
  defaults to the id.
* url must be absolute ``http``/``https`` with a host.
* region, when given, must be one of :data:`REGIONS`; when absent it is derived from the country
  (:data:`COUNTRY_REGION`; ``None`` for countries outside the map).
* **duplicate feed URLs are an error**, not silently dropped: the catalog is hand-edited, a
  repeated URL is a copy-paste slip, and keeping "the first" would silently pick one of two
  sections/origins. Comparison ignores case of scheme and host and a ``#fragment``.
* duplicate source ids in the rich form are an error (a flat file repeats ``outlet_id`` once per
  feed, which is normal).
* unknown keys are ignored everywhere (``host``, ``format``, ``title``, ``note``, ``homepage`` …).
"""

from __future__ import annotations

import importlib.resources
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from tasks.models import FeedSpec
from tasks.urls import canonicalize, strip_credentials

REGIONS: tuple[str, ...] = (
    "pan_arab",
    "gulf",
    "levant",
    "egypt",
    "maghreb",
    "iraq",
    "sudan_yemen",
    "international",
)

# Default region for a country when a catalog entry does not say (flat fixture catalogs never do).
# Pan-Arab outlets sit in GB/QA/AE, so the rich catalog always states region explicitly.
COUNTRY_REGION: dict[str, str] = {
    **dict.fromkeys(("SA", "AE", "QA", "KW", "BH", "OM"), "gulf"),
    **dict.fromkeys(("LB", "SY", "JO", "PS", "IL"), "levant"),
    "EG": "egypt",
    **dict.fromkeys(("MA", "DZ", "TN", "LY", "MR", "EH"), "maghreb"),
    "IQ": "iraq",
    **dict.fromkeys(("SD", "SS", "YE"), "sudan_yemen"),
    **dict.fromkeys(("GB", "FR", "DE", "RU", "US", "TR", "CN", "IR", "ES", "NL", "CH"), "international"),
}

_COUNTRY_RE = re.compile(r"^[A-Za-z]{2}$")


class CatalogError(ValueError):
    """A catalog file is missing, unparsable or has an invalid entry; or a selector is unknown."""


def default_catalog_path() -> Path:
    """Filesystem path of the bundled catalog (editable or regular install, or a source checkout)."""
    try:
        res = importlib.resources.files("warehouse").joinpath("seeds", "sources.toml")
        if res.is_file():
            return Path(str(res))
    except (ModuleNotFoundError, TypeError, NotImplementedError):  # pragma: no cover - odd installs
        pass
    return Path(__file__).resolve().parent.parent / "warehouse" / "seeds" / "sources.toml"


def load_catalog(path: Path | str | None = None) -> list[FeedSpec]:
    """Read a catalog TOML (rich or flat form) into FeedSpecs, in file order.

    ``path=None`` loads the bundled ``warehouse/seeds/sources.toml``.
    """
    path = Path(path) if path is not None else default_catalog_path()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read catalog ({exc.strerror or exc})") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{path}: catalog is not UTF-8 ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{path}: invalid TOML: {exc}") from exc

    if "sources" not in data and "feeds" not in data:
        raise CatalogError(f"{path}: no [[sources]] (rich form) or [[feeds]] (flat form) tables found")

    specs: list[FeedSpec] = []
    if "sources" in data:
        specs.extend(_load_rich(path, data["sources"]))
    if "feeds" in data:
        specs.extend(_load_flat(path, data["feeds"], data))
    _check_duplicate_urls(path, specs)
    return specs


def agency_outlets(feeds: Iterable[FeedSpec]) -> dict[str, str]:
    """source_id -> agency of the outlets marked ``agency = "..."``: a wire agency's own service
    (its copies are canonical, and the agency's when their text credits none; tasks/stories.py)."""
    return dict(sorted({f.source_id: f.agency.lower() for f in feeds if f.agency}.items()))


def select_feeds(feeds: Iterable[FeedSpec], only: list[str] | None) -> list[FeedSpec]:
    """Keep the feeds matched by any selector (union), in their original order.

    A selector is a source id, a country code or a region name, all case-insensitive; a selector
    may also be a comma-separated list ("EG,levant"). ``None`` or an empty list keeps everything.
    A selector that matches nothing in ``feeds`` raises CatalogError listing the valid ones.
    """
    feeds = list(feeds)
    selectors = [s.strip().lower() for item in (only or []) for s in item.split(",") if s.strip()]
    if not selectors:
        return feeds

    ids = {f.source_id.lower() for f in feeds}
    countries = {f.country.lower() for f in feeds}
    regions = {f.region.lower() for f in feeds if f.region}
    unknown = [s for s in selectors if s not in ids and s not in countries and s not in regions]
    if unknown:
        raise CatalogError(_unknown_selectors(unknown, ids, countries, regions))
    wanted = set(selectors)
    return [
        f
        for f in feeds
        if f.source_id.lower() in wanted
        or f.country.lower() in wanted
        or (f.region is not None and f.region.lower() in wanted)
    ]


def _unknown_selectors(unknown: list[str], ids: set[str], countries: set[str], regions: set[str]) -> str:
    """One line: what did not match, close matches, and the valid values (all of them when few)."""
    import difflib

    valid = sorted(ids) + sorted(countries) + sorted(regions)
    guesses = [m for s in unknown for m in difflib.get_close_matches(s, valid, n=2, cutoff=0.7)]
    text = f"unknown feed selector(s) {', '.join(repr(s) for s in unknown)}"
    if guesses:
        text += f" (did you mean {' or '.join(repr(g) for g in dict.fromkeys(guesses))}?)"
    if len(ids) <= 12:
        return (text + f"; valid selectors are source ids: {', '.join(sorted(ids)) or '-'}; "
                f"countries: {', '.join(sorted(c.upper() for c in countries)) or '-'}; "
                f"regions: {', '.join(sorted(regions)) or '-'}")
    return (text + f"; a selector is one of the catalog's {len(ids)} outlet ids, {len(countries)} country codes "
            f"or regions ({', '.join(sorted(regions))}): `akhbar feeds list` shows them")


# ----------------------------------------------------------------------------------------------


def _load_rich(path: Path, sources: Any) -> list[FeedSpec]:
    if not isinstance(sources, list):
        raise CatalogError(f"{path}: 'sources' must be an array of tables ([[sources]])")
    specs: list[FeedSpec] = []
    seen_ids: dict[str, int] = {}
    for i, src in enumerate(sources, start=1):
        where = f"{path}: [[sources]] #{i}"
        if not isinstance(src, dict):
            raise CatalogError(f"{where}: must be a table")
        sid = _req_str(src, "id", where)
        where = f"{path}: source {sid!r} ([[sources]] #{i})"
        if sid in seen_ids:
            raise CatalogError(f"{where}: duplicate source id (first used by [[sources]] #{seen_ids[sid]})")
        seen_ids[sid] = i
        name = _opt_str(src, "name", where) or sid
        country = _country(src, where)
        region = _region(src, country, where)
        language = _opt_str(src, "language", where) or "ar"
        feeds = src.get("feeds")
        if not isinstance(feeds, list) or not feeds:
            raise CatalogError(f"{where}: needs at least one [[sources.feeds]] table with a url")
        for j, feed in enumerate(feeds, start=1):
            fwhere = f"{where}, feed #{j}"
            if not isinstance(feed, dict):
                raise CatalogError(f"{fwhere}: must be a table")
            url = _url(_req_str(feed, "url", fwhere), fwhere)
            specs.append(
                FeedSpec(
                    source_id=sid,
                    source_name=name,
                    country=country,
                    **_spec_urls(url),
                    section=_opt_str(feed, "section", fwhere),
                    language=_opt_str(feed, "language", fwhere) or language,
                    origin=_opt_str(feed, "origin", fwhere) or "unverified",
                    region=region,
                    agency=_opt_str(src, "agency", where),
                )
            )
    return specs


def _load_flat(path: Path, feeds: Any, top: dict[str, Any]) -> list[FeedSpec]:
    if not isinstance(feeds, list):
        raise CatalogError(f"{path}: 'feeds' must be an array of tables ([[feeds]])")
    base_url = top.get("base_url")
    default_origin = _opt_str(top, "origin", f"{path}: top level") or "unverified"
    specs: list[FeedSpec] = []
    for i, entry in enumerate(feeds, start=1):
        where = f"{path}: [[feeds]] #{i}"
        if not isinstance(entry, dict):
            raise CatalogError(f"{where}: must be a table")
        oid = _req_str(entry, "outlet_id", where)
        where = f"{path}: feed of outlet {oid!r} ([[feeds]] #{i})"
        url = _opt_str(entry, "url", where)
        if url is None:
            feed_path = _opt_str(entry, "feed_path", where)
            if feed_path is None:
                raise CatalogError(f"{where}: missing 'url' (or 'feed_path' with a top-level base_url)")
            if not isinstance(base_url, str) or not base_url.strip():
                raise CatalogError(f"{where}: 'feed_path' given but the file has no top-level base_url")
            url = urljoin(base_url.strip().rstrip("/") + "/", feed_path.lstrip("/"))
        country = _country(entry, where)
        specs.append(
            FeedSpec(
                source_id=oid,
                source_name=_opt_str(entry, "outlet_name", where) or oid,
                country=country,
                **_spec_urls(_url(url, where)),
                section=_opt_str(entry, "section", where),
                language=_opt_str(entry, "language", where) or "ar",
                origin=_opt_str(entry, "origin", where) or default_origin,
                region=_region(entry, country, where),
                agency=_opt_str(entry, "agency", where),
            )
        )
    return specs


def _req_str(table: dict[str, Any], key: str, where: str) -> str:
    value = _opt_str(table, key, where)
    if value is None:
        raise CatalogError(f"{where}: missing required '{key}'")
    return value


def _opt_str(table: dict[str, Any], key: str, where: str) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise CatalogError(f"{where}: '{key}' must be a string, got {type(value).__name__}")
    value = value.strip()
    return value or None


def _country(table: dict[str, Any], where: str) -> str:
    country = _req_str(table, "country", where)
    if not _COUNTRY_RE.match(country):
        raise CatalogError(f"{where}: country {country!r} is not an ISO 3166-1 alpha-2 code")
    return country.upper()


def _region(table: dict[str, Any], country: str, where: str) -> str | None:
    region = _opt_str(table, "region", where)
    if region is None:
        return COUNTRY_REGION.get(country)
    region = region.lower()
    if region not in REGIONS:
        raise CatalogError(f"{where}: unknown region {region!r} (expected one of: {', '.join(REGIONS)})")
    return region


def _url(url: str, where: str) -> str:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise CatalogError(f"{where}: feed url {url!r} must use http or https (got {parts.scheme or 'no'} scheme)")
    if not parts.hostname:
        raise CatalogError(f"{where}: feed url {url!r} has no host")
    if any(c.isspace() for c in url):
        raise CatalogError(f"{where}: feed url {url!r} contains whitespace")
    return url


def _spec_urls(url: str) -> dict[str, str | None]:
    """Credentials in a catalog URL are used to fetch it and never stored or shown."""
    bare = strip_credentials(url)
    return {"url": bare, "fetch_url": url if bare != url else None}


def _url_key(url: str) -> str:
    """One feed URL however it is written: the canonical form of tasks.urls (the host's one
    spelling -- case, trailing dot, IDN form --, default port, escapes, tracking parameters),
    which is also how select.feed_url_keys recognises the catalog's feeds."""
    if key := canonicalize(url, url):
        return key
    p = urlsplit(url)
    return p._replace(scheme=p.scheme.lower(), netloc=p.netloc.lower(), fragment="").geturl()


def _check_duplicate_urls(path: Path, specs: list[FeedSpec]) -> None:
    seen: dict[str, FeedSpec] = {}
    for spec in specs:
        key = _url_key(spec.url)
        first = seen.get(key)
        if first is not None:
            raise CatalogError(
                f"{path}: duplicate feed url {spec.url!r} (source {spec.source_id!r}, "
                f"already listed under source {first.source_id!r})"
            )
        seen[key] = spec
