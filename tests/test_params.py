"""One reading of user-typed times for the CLI and for flow parameters (issue 15.1)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from flows.params import ParamError, parse_day, parse_time, parse_window

MIDNIGHT = datetime(2026, 11, 27, tzinfo=UTC)


@pytest.mark.parametrize("text, expected", [
    ("2026-11-27", MIDNIGHT),                                   # a date: midnight UTC
    ("2026-11-27T00:00:00", MIDNIGHT),                          # naive: UTC
    ("2026-11-27 00:00", MIDNIGHT),
    ("2026-11-27T00:00:00Z", MIDNIGHT),
    ("2026-11-27T00:00:00z", MIDNIGHT),
    ("2026-11-27T03:00:00+03:00", MIDNIGHT),                    # offsets honoured
    ("2026-11-26T19:00:00-05:00", MIDNIGHT),
    (" 2026-11-27 ", MIDNIGHT),
    ("٢٠٢٦-١١-٢٧", MIDNIGHT),                                   # Arabic-Indic digits
    ("2026-11-27T08:30:15.250", MIDNIGHT + timedelta(hours=8, minutes=30, seconds=15.25)),
])
def test_times_are_read_as_utc(text, expected):
    got = parse_time(text, "--since")
    assert got == expected and got.tzinfo is not None and got.utcoffset() == timedelta(0)


def test_datetimes_and_dates_are_normalised_to_aware_utc():
    assert parse_time(datetime(2026, 11, 27)) == MIDNIGHT
    assert parse_time(datetime(2026, 11, 27, 3, tzinfo=timezone(timedelta(hours=3)))) == MIDNIGHT
    assert parse_time(date(2026, 11, 27)) == MIDNIGHT
    assert parse_time(None) is None and parse_time("") is None and parse_time("  ") is None


@pytest.mark.parametrize("text", ["2026-13-01", "yesterday", "20261127", "27/11/2026", "2026-11-27T25:00",
                                  "2026-11", "7d", "2026-11-27T00:00+99:00"])
def test_anything_else_is_one_clear_error(text):
    with pytest.raises(ParamError) as err:
        parse_time(text, "--since")
    message = str(err.value)
    assert message.startswith(f"--since: {text!r} is not a date or time; use YYYY-MM-DD")
    assert "\n" not in message


def test_window_must_be_in_order():
    assert parse_window("2026-11-01", "2026-11-02") == (datetime(2026, 11, 1, tzinfo=UTC),
                                                        datetime(2026, 11, 2, tzinfo=UTC))
    with pytest.raises(ParamError, match="--since .* must be before --until"):
        parse_window("2026-11-02", "2026-11-01", "--since", "--until")


def test_days():
    assert parse_day("2026-11-28") == date(2026, 11, 28)
    assert parse_day(None) is None
    with pytest.raises(ParamError, match="--day: '28-11-2026' is not a day; use YYYY-MM-DD"):
        parse_day("28-11-2026", "--day")


def test_flow_parameters_use_the_same_reading():
    """Prefect validates a run's parameters (UI form, API, direct call) with parse_time."""
    from prefect.exceptions import ParameterTypeError

    from flows.ingest import ingest
    from flows.reprocess import reprocess

    for value in ("2026-11-27", "2026-11-27T00:00:00", "2026-11-27T00:00:00Z", "2026-11-27T03:00:00+03:00"):
        assert ingest.validate_parameters({"since": value})["since"] == MIDNIGHT
    got = reprocess.validate_parameters({"since": "2026-11-01", "until": "2026-11-02T00:00"})
    assert got["since"] == datetime(2026, 11, 1, tzinfo=UTC) and got["until"] == datetime(2026, 11, 2, tzinfo=UTC)
    with pytest.raises(ParameterTypeError, match="is not a date or time"):
        ingest.validate_parameters({"since": "2026-13-01"})
    # the server refuses what parse_time refuses before it queues a run: a `pattern` (Prefect
    # validates deployment parameters without a format checker, so `format: date-time` let
    # "yesterday" through)
    import re

    schema = ingest.parameters.model_dump()["properties"]["since"]
    assert schema["type"] == "string" and re.search(schema["pattern"], "2026-11-27")
    assert not re.search(schema["pattern"], "yesterday")
