"""User-typed parameter values, read one way for the CLI and for flow parameters.

Times (`since`, `until` of every command and flow) go through :func:`parse_time`:

* a date (``2026-11-27``) is midnight UTC of that day;
* a time without an offset (``2026-11-27T08:00``, ``2026-11-27 08:00:00``) is UTC;
* ``...Z`` and ``±HH:MM`` offsets are honoured and converted to UTC;
* Arabic-Indic and Persian digits are read as ASCII digits;
* anything else raises :class:`ParamError` with one sentence saying what is accepted.

The result is always a timezone-aware UTC ``datetime``, so it compares with the warehouse's
timestamps (all aware UTC). Relative values ("7d", "yesterday") are not accepted: a schedule
that needs a moving window computes it, and a typo must not silently mean "now".

Flows declare such parameters as :data:`UtcTime` (or ``UtcTime | None``): the same function
runs as a pydantic validator, so a UI form, an API call and a direct Python call get the same
reading and the same error before the run starts.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

# Arabic-Indic (U+0660..) and extended/Persian (U+06F0..) digits → ASCII.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

TIME_FORMATS = "YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS] (UTC unless it ends in Z or ±HH:MM)"


class ParamError(ValueError):
    """A value a person typed (option or flow parameter) cannot be used; the message says why
    and what is accepted. The CLI prints it as one `error:` line and exits 2."""


def as_utc(value: datetime) -> datetime:
    """Aware UTC: a naive datetime is taken to be UTC, an aware one is converted."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_time(value: str | datetime | date | None, name: str = "time") -> datetime | None:
    """A user's time (see the module docstring) as an aware UTC datetime; None/"" stay None.

    `name` is the option or parameter the value was given for (used in the error message).
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return as_utc(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if not isinstance(value, str):
        raise ParamError(f"{name}: expected a date or time, got {type(value).__name__} {value!r}")
    text = value.strip().translate(_DIGITS)
    if not text:
        return None
    if text[-1:] in ("z", "Z"):
        text = text[:-1] + "+00:00"
    # Only the shapes we document: a date, optionally followed by a time (fromisoformat alone
    # would also take "20261127" or week dates, which nobody types on purpose).
    if len(text) < 10 or text[4] != "-" or text[7] != "-":
        raise ParamError(f"{name}: {value!r} is not a date or time; use {TIME_FORMATS}")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ParamError(f"{name}: {value!r} is not a date or time; use {TIME_FORMATS}") from None
    return as_utc(parsed)


def parse_window(since: Any, until: Any, since_name: str = "since",
                 until_name: str = "until") -> tuple[datetime | None, datetime | None]:
    """Both ends of a [since, until) window, checked to be in order."""
    start, end = parse_time(since, since_name), parse_time(until, until_name)
    if start is not None and end is not None and start >= end:
        raise ParamError(f"{since_name} ({start:%Y-%m-%d %H:%M} UTC) must be before "
                         f"{until_name} ({end:%Y-%m-%d %H:%M} UTC)")
    return start, end


def parse_day(value: str | date | None, name: str = "day") -> date | None:
    """A calendar day (YYYY-MM-DD, UTC); None/"" stay None."""
    if value is None or isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    text = str(value).strip().translate(_DIGITS)
    if not text:
        return None
    try:
        return date.fromisoformat(text) if len(text) == 10 else _bad_day(name, value)
    except ValueError:
        return _bad_day(name, value)


def _bad_day(name: str, value: Any) -> date:
    raise ParamError(f"{name}: {value!r} is not a day; use YYYY-MM-DD")


def _validate_time(value: Any) -> datetime | None:
    # pydantic turns the ParamError (a ValueError) into a validation error carrying our message
    return parse_time(value, "value")


# What the Prefect server checks before it queues a run: a deployment's parameter schema is
# validated without a format checker (`format: date-time` lets "yesterday" through), but a
# `pattern` is enforced. The shapes parse_time documents; the flow's validator still has the last word.
_TIME_PATTERN = r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([zZ]|[+-]\d{2}:?\d{2})?)?"
_DAY_PATTERN = r"\d{4}-\d{2}-\d{2}"
TIME_JSON_SCHEMA = {"type": "string", "pattern": rf"^\s*{_TIME_PATTERN}\s*$"}
#: For any `format` a flow's schema uses: the pattern the server can enforce (see flows.deployments).
FORMAT_PATTERNS = {"date-time": rf"^\s*{_TIME_PATTERN}\s*$", "date": rf"^\s*{_DAY_PATTERN}\s*$"}
OPTIONAL_TIME_JSON_SCHEMA = {"type": "string", "pattern": rf"^\s*$|^\s*{_TIME_PATTERN}\s*$"}

#: A flow parameter holding a time: validated and normalised to aware UTC by parse_time.
UtcTime = Annotated[datetime, BeforeValidator(_validate_time), WithJsonSchema(TIME_JSON_SCHEMA)]
#: The same, optional (None or "" = no bound).
OptionalUtcTime = Annotated[datetime | None, BeforeValidator(_validate_time), WithJsonSchema(OPTIONAL_TIME_JSON_SCHEMA)]
#: An optional calendar day (YYYY-MM-DD, Arabic-Indic digits read; None or "" = the default).
OptionalDay = Annotated[date | None, BeforeValidator(lambda value: parse_day(value, "value"))]
