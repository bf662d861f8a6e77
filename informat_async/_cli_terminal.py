"""What the command line shows on the terminal while it works.

- progress bars (tqdm, from the optional ``cli`` extra) on a terminal, silence otherwise;
- log lines on stderr, routed through ``tqdm.write`` while bars are shown so that they
  never break a bar;
- retry notices: the library logs every retry at DEBUG on the ``informat_async`` logger
  with ``extra={"informat_retry": {...}}``; :class:`RetryNotices` turns those into one line
  per host every few seconds, at default verbosity, so a long wait is never silent;
- a closed output pipe (``informat-async students ... | head``) ends the command quietly.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs

from .bulk import Failure

__all__ = [
    "NOTICE_LOGGER",
    "Progress",
    "RetryNotices",
    "output_closed",
    "terminal_logging",
    "tqdm_available",
]

#: Lines of the command line itself (retry notices, warnings) go through this logger, so
#: they take the same route as log lines (around the progress bars).
NOTICE_LOGGER = "informat_async.cli"

#: The key of the ``extra`` the library puts on its DEBUG retry records (transport.py).
RETRY_EXTRA = "informat_retry"


def tqdm_available() -> bool:
    """Whether the optional ``cli`` extra (tqdm) is installed."""
    try:
        importlib.import_module("tqdm")
    except ImportError:
        return False
    return True


class Progress:
    """Progress bars on a terminal (tqdm, when installed); silence otherwise."""

    def __init__(self, enabled: bool) -> None:
        self._bars: dict[str, Any] = {}
        self._tqdm: Any = None
        if enabled:
            try:  # the optional "cli" extra
                self._tqdm = importlib.import_module("tqdm").tqdm
            except ImportError:
                self._tqdm = None

    def __call__(self, resource: str, done: int, total: int) -> None:
        if self._tqdm is None:
            return
        bar = self._bars.get(resource)
        if bar is None:
            bar = self._bars[resource] = self._tqdm(
                total=total, desc=f"{resource:>14}", unit=" req", leave=True,
                position=len(self._bars), file=sys.stderr,
            )
        if bar.total != total:
            bar.total = total
            bar.refresh()
        bar.update(done - bar.n)

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()


@attrs.define
class _HostRetries:
    total: int = 0
    since_notice: int = 0
    last_notice: float | None = None
    reason: str = ""


class RetryNotices(logging.Handler):
    """One line per host every ``interval`` seconds while the library retries.

    ``hosts`` maps ``"api"``, ``"identity"`` and ``"legacy"`` to the host of each URL;
    a retry of the token request counts for the identity host, other retries for the API
    host (or the legacy host, for the older webservices). A record that names its
    ``host`` itself wins.
    """

    def __init__(
        self, interval: float = 5.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(logging.DEBUG)
        self.interval = interval
        self.hosts: dict[str, str] = {}
        self._clock = clock
        self._retries: dict[str, _HostRetries] = {}
        self._out = logging.getLogger(NOTICE_LOGGER)

    def host_for(self, endpoint: str) -> str:
        if "token" in endpoint.lower() and "identity" in self.hosts:
            return self.hosts["identity"]
        if "legacy" in self.hosts and "api" not in self.hosts:
            return self.hosts["legacy"]
        return self.hosts.get("api") or self.hosts.get("legacy") or "Informat"

    def emit(self, record: logging.LogRecord) -> None:
        data = getattr(record, RETRY_EXTRA, None)
        if not isinstance(data, Mapping):
            return
        host = str(data.get("host") or self.host_for(str(data.get("endpoint") or "")))
        state = self._retries.setdefault(host, _HostRetries())
        state.total += 1
        state.since_notice += 1
        state.reason = str(data.get("reason") or "")
        now = self._clock()
        if state.last_notice is not None and now - state.last_notice < self.interval:
            return
        state.last_notice = now
        count = state.since_notice
        state.since_notice = 0
        self._out.warning(
            "%s is not answering as it should (last: %s); still retrying: %d %s%s",
            host, state.reason, count, "retry" if count == 1 else "retries",
            "" if state.total == count else f" since the last notice, {state.total} in all",
        )


class _MinLevel(logging.Filter):
    """The handler's threshold as a filter: tqdm's redirect copies filters, not levels."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= self.level


class _NotFailureEvents(logging.Filter):
    """Failures of a bulk run are listed once, in the summary: drop the WARNING a sync
    loop logs for each one as it happens (``logger.warning("%s", failure)``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.WARNING or not isinstance(record.args, tuple):
            return True
        return not (len(record.args) == 1 and isinstance(record.args[0], Failure))


class _Formatter(logging.Formatter):
    """The command line's own lines as ``informat-async: ...``, log lines as configured."""

    def format(self, record: logging.LogRecord) -> str:
        if record.name == NOTICE_LOGGER:
            return "informat-async: " + record.getMessage()
        return super().format(record)


@contextlib.contextmanager
def terminal_logging(
    verbose: int, *, bars: bool, notices: RetryNotices | None = None
) -> Iterator[None]:
    """Log to stderr for the duration of a command, and restore logging afterwards.

    ``verbose`` 0 shows warnings and the command's notices, 1 info, 2 debug. With ``bars``
    the lines go through ``tqdm.write`` so that they never break a progress bar.
    """
    level = logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter(
        "%(asctime)s %(levelname)s %(name)s: %(message)s" if verbose
        else "%(levelname)s: %(message)s"
    ))
    handler.addFilter(_MinLevel(level))
    handler.addFilter(_NotFailureEvents())
    root = logging.getLogger()
    library = logging.getLogger("informat_async")
    saved = (root.level, library.level)
    root.addHandler(handler)
    root.setLevel(min(level, logging.WARNING))
    library.setLevel(logging.DEBUG if notices is not None else level)
    if notices is not None:
        library.addHandler(notices)
    try:
        with _redirect_around_bars(bars):
            yield
    finally:
        if notices is not None:
            library.removeHandler(notices)
        root.removeHandler(handler)
        root.setLevel(saved[0])
        library.setLevel(saved[1])


@contextlib.contextmanager
def _redirect_around_bars(bars: bool) -> Iterator[None]:
    if not bars or not tqdm_available():
        yield
        return
    redirect = importlib.import_module("tqdm.contrib.logging").logging_redirect_tqdm
    with redirect():
        yield


def output_closed() -> None:
    """The reader of stdout went away (``| head``): prepare to end quietly, as Unix tools do.

    Python would report the ``BrokenPipeError`` again when it flushes stdout at exit; so
    stdout is pointed at ``/dev/null`` (the recipe of Python's ``signal`` documentation).
    The caller then exits with 141, the status of a command ended by SIGPIPE (128 + 13).
    """
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
