"""Exit codes and the one place where an exception becomes the CLI's one `error:` line.

Exit codes (README "Exit codes"; scripts may rely on them):

* 0 — done: the command did what it was asked. A run may still have recorded failures of single
  feeds or pages (they are rows in the warehouse, see `akhbar feeds health`).
* 1 — the run failed or only partly happened, or could not run *now*: every feed failed, the load
  was deferred (the batch stays staged for the next run), another run holds the warehouse, or an
  unexpected error. Running the same command again later may succeed.
* 2 — usage or input error: a bad option, time, catalog, selector, file or warehouse path. The
  same command will fail the same way until it is changed; nothing was written.
* 130 — interrupted (Ctrl-C).
* 143 — stopped by SIGTERM (`kill`, a service manager): as Ctrl-C, what the run fetched is kept.

Other modules raise their own exception classes; :data:`EXIT_CODES` maps them (by dotted class
name, so nothing heavy is imported to check) to an exit code. Add a line there for a new class;
the message is the exception's text, folded to one line.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import sys
from collections.abc import Callable
from typing import Any

import typer
from typer.core import TyperGroup

try:  # typer >= 0.20 vendors click; its classes are not the installed click's
    from typer._click import core as click_core
    from typer._click import exceptions as click_exc
except ImportError:  # pragma: no cover - older typer
    from click import core as click_core
    from click import exceptions as click_exc

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143

#: exception class (module.QualName, matched along the MRO) → exit code
EXIT_CODES: dict[str, int] = {
    "flows.params.ParamError": EXIT_USAGE,
    "flows.settings.SettingsError": EXIT_USAGE,
    "warehouse.adhoc.QueryError": EXIT_USAGE,
    "warehouse.export.ExportError": EXIT_USAGE,
    "tasks.catalog.CatalogError": EXIT_USAGE,
    "warehouse.db.WarehouseMissing": EXIT_USAGE,
    "warehouse.db.WarehouseUnusable": EXIT_USAGE,      # not a DuckDB file, another program's, a folder…
    "warehouse.db.DiskFull": EXIT_FAILED,
    "warehouse.db.WarehouseLocked": EXIT_FAILED,       # busy: retry later
    "flows.locks.WarehouseWriteBusy": EXIT_FAILED,
    "flows.locks.RunBusy": EXIT_FAILED,
    "flows.tempserver.TemporaryServerFailed": EXIT_FAILED,  # Prefect's temporary API did not start
    "prefect.exceptions.ParameterTypeError": EXIT_USAGE,
    "pydantic_core._pydantic_core.ValidationError": EXIT_USAGE,
}


class CliError(Exception):
    """A message for the user and an exit code (default 2: fix the command)."""

    def __init__(self, message: str, code: int = EXIT_USAGE):
        super().__init__(message)
        self.code = code


class Interrupted(Exception):
    """Ctrl-C, turned into an exception the CLI machinery does not swallow."""


#: Prefect's own words for what a person can act on (it raises plain RuntimeErrors): our line
_KNOWN_MESSAGES: tuple[tuple[re.Pattern, int, str], ...] = (
    (re.compile(r"Timed out while attempting to connect to ephemeral Prefect API server"), EXIT_FAILED,
     "Prefect's temporary server did not start within {startup_s} s (PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS): "
     "is the machine busy? Try again, or keep a Prefect server running (`prefect server start`) and set PREFECT_API_URL"),
    (re.compile(r"Failed to reach API at (\S+?)/?\.?$", re.M), EXIT_FAILED,
     "the Prefect server at {0} (PREFECT_API_URL) stopped answering; start it again (`prefect server start`) "
     "and run the command again"),
)
_BULLET = re.compile(r"^[-•*]\s+")
_NOT_DUCKDB = re.compile(r'The file "(.+?)" exists, but it is not a valid DuckDB database file')


_PATH_ERRNOS = (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOENT, errno.ENOTDIR)
_DUCKDB_CANNOT_OPEN = re.compile(r'Cannot open file "(.+?)": (Permission denied|No such file or directory|'
                                 r'Read-only file system|Operation not permitted|Not a directory)')


def _unwritable(exc: BaseException) -> str | None:
    """"PATH: reason" when a file or folder could not be created where the user pointed us."""
    if isinstance(exc, OSError) and exc.errno in _PATH_ERRNOS and exc.filename:
        return f"{exc.filename}: {exc.strerror}"
    if type(exc).__module__.lstrip("_").startswith("duckdb"):
        found = _DUCKDB_CANNOT_OPEN.search(str(exc))
        if found:
            return f"{found.group(1)}: {found.group(2)}"
    return None


def one_line(text: str, limit: int = 600) -> str:
    """Fold a multi-line message (pydantic, Prefect, DuckDB) into one line."""
    parts = [_BULLET.sub("", p.strip()) for p in str(text).splitlines()]
    parts = [p for p in parts if p and not p.startswith("For further information visit")]
    line = "; ".join(parts)
    return line if len(line) <= limit else line[: limit - 1] + "…"


def exit_code_for(exc: BaseException) -> int | None:
    """The documented exit code of a known exception class, else None (unexpected)."""
    if isinstance(exc, CliError):
        return exc.code
    for cls in type(exc).__mro__:
        code = EXIT_CODES.get(f"{cls.__module__}.{cls.__qualname__}")
        if code is not None:
            return code
    return None


def _message(exc: BaseException) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors) and type(exc).__name__ == "ValidationError":  # pydantic: field: reason
        try:
            line = "; ".join(f"{'.'.join(map(str, e.get('loc', ())))}: {e.get('msg')}".lstrip(": ")
                             for e in errors())
            title = str(getattr(exc, "title", ""))
            if title.endswith("Settings"):  # Prefect read a PREFECT_* variable it cannot use
                got = ", ".join(repr(e.get("input")) for e in errors() if "input" in e)
                return (f"a Prefect setting ({title}) is not usable: {line}" + (f" (got {got})" if got else "")
                        + "; check the PREFECT_* environment variables")
            return line
        except Exception:  # fall back to the text
            pass
    return one_line(str(exc)) or type(exc).__name__


def print_error(message: str) -> None:
    from flows.cli_output import err_console

    err_console().print(f"[bold red]error:[/bold red] {message}", markup=True, highlight=False,
                        soft_wrap=True)


def explain(exc: BaseException) -> tuple[int, str]:
    """(exit code, the one line to print) for any exception reaching the CLI edge."""
    if isinstance(exc, Interrupted | KeyboardInterrupt):
        return EXIT_INTERRUPTED, str(exc) or "interrupted"
    if isinstance(exc, click_exc.UsageError):
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
        return EXIT_USAGE, one_line(exc.format_message()) + hint
    if isinstance(exc, click_exc.ClickException):
        return exc.exit_code, one_line(exc.format_message())
    code = exit_code_for(exc)
    if code is not None:
        return code, _message(exc)
    if type(exc).__name__ == "TerminationSignal":  # Prefect's SIGTERM, when it did not end the process
        return EXIT_TERMINATED, "stopped (SIGTERM)"
    for pattern, known_code, words in _KNOWN_MESSAGES:
        found = pattern.search(str(exc))
        if found:
            return known_code, words.format(*found.groups(), startup_s=os.environ.get(
                "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "20"))
    path_problem = _unwritable(exc)
    if path_problem:  # a --db, --out or --out-dir where nothing can be created (read-only, /proc, /sys…)
        return EXIT_USAGE, f"cannot create {path_problem}; choose a folder you can write"
    not_duckdb = _NOT_DUCKDB.search(str(exc)) if type(exc).__module__.lstrip("_").startswith("duckdb") else None
    if not_duckdb:  # a --db that is some other file, reached by a command that did not check it first
        return EXIT_USAGE, f"{not_duckdb.group(1)} is not a DuckDB database file; pass another --db"
    return EXIT_FAILED, (f"unexpected {type(exc).__name__}: {_message(exc)} "
                         "(set AKHBAR_DEBUG=1 to see the traceback)")


def utf8_streams() -> None:
    """Arabic in, Arabic out, whatever the locale says: a stream whose encoding cannot carry it
    (LC_ALL=C without Python's UTF-8 mode: ASCII; a Latin-1 locale; PYTHONIOENCODING=ascii) is
    switched to UTF-8, so `akhbar search`, `sql --format csv` and the summaries never stop on a
    UnicodeEncodeError and a redirected file holds the real text. Arguments the locale decoded
    as ASCII (bytes kept as surrogates) are read again as the UTF-8 a terminal sent."""
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "ascii"
        try:
            if codecs.lookup(encoding).name == "utf-8":
                continue
        except LookupError:
            pass
        try:
            stream.reconfigure(encoding="utf-8", errors="replace" if stream is sys.stdin else "strict")
        except (AttributeError, ValueError, OSError):  # not a text stream we can change (tests)
            pass
    sys.argv[1:] = [_utf8_arg(a) for a in sys.argv[1:]]


def _utf8_arg(arg: str) -> str:
    if not any("\udc80" <= ch <= "\udcff" for ch in arg):
        return arg
    try:
        return os.fsencode(arg).decode("utf-8")
    except (UnicodeError, ValueError):
        return arg


def run_cli(call: Callable[[], Any]) -> int:
    """Run the click main (standalone_mode=False) and turn whatever happens into an exit code."""
    try:
        rv = call()
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        print_error("interrupted")
        return EXIT_INTERRUPTED
    except click_exc.NoArgsIsHelpError as exc:  # `akhbar`, `akhbar feeds`: the help is the answer
        text = exc.format_message().strip()  # (typer's rich help is already printed: "")
        if text:
            typer.echo(text, err=True)
        return EXIT_USAGE
    except BaseException as exc:  # noqa: BLE001 — this is the edge: everything becomes one line
        if isinstance(exc, SystemExit):
            raise
        code, line = explain(exc)
        _report(exc, code, line)
        return code
    return rv if isinstance(rv, int) else EXIT_OK


def _report(exc: BaseException, code: int, line: str) -> None:
    if os.environ.get("AKHBAR_DEBUG") and code != EXIT_INTERRUPTED:
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    if code == EXIT_INTERRUPTED:
        from flows.cli_output import err_console

        err_console().print(line, highlight=False, soft_wrap=True)
    else:
        print_error(line)


# Arabic-Indic (U+0660..) and extended/Persian (U+06F0..) digits → ASCII, as flows.params reads times.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫", "01234567890123456789.")  # and the decimal separator
_NUMBERS = (int, float, int | None, float | None)


def _ascii_digits(param: Any) -> None:
    """A number option (`-n ١٠`, `--max-per-feed ٥٠`) takes Arabic-Indic digits as times do; typer
    would refuse them as "unable to parse string as an integer"."""
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or descriptor.annotation not in _NUMBERS or getattr(param, "_ascii_digits", False):
        return
    original = param.process_value

    def process_value(ctx: Any, value: Any) -> Any:
        return original(ctx, value.translate(_DIGITS) if isinstance(value, str) else value)

    param.process_value = process_value
    param._ascii_digits = True


def _blank_flags(params: list) -> list:
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
        _ascii_digits(param)
    return params


def _blank_flag_types(command: click_core.Command) -> None:
    """Flags take no value: show no `<bool>` type next to them in --help (typer shows one).
    `--help` itself is created per call by get_params, so that is where it is patched."""
    original = command.get_params
    command.get_params = lambda ctx: _blank_flags(original(ctx))
    for sub in getattr(command, "commands", {}).values():
        _blank_flag_types(sub)


class AkhbarGroup(TyperGroup):
    """The top-level command group: one `error:` line and a documented exit code for every
    failure, whoever raised it (click parsing, our validation, a flow, DuckDB)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for sub in self.commands.values():
            _blank_flag_types(sub)

    def get_params(self, ctx: click_core.Context) -> list:
        return _blank_flags(super().get_params(ctx))  # typer adds --install-completion after __init__

    def invoke(self, ctx: click_core.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:  # typer would turn it into a silent exit 130
            raise Interrupted("interrupted") from None

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # noqa: ANN001
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        utf8_streams()
        code = run_cli(lambda: super(AkhbarGroup, self).main(args, prog_name, complete_var,
                                                             standalone_mode=False, **extra))
        sys.exit(code)
