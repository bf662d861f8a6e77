"""Checkpoints of incremental sync: the ``changedSince`` to send per institute, school year
and resource.

A bulk run reads the checkpoint before fetching a resource and writes the run's start time
(minus a safety overlap) only after that institute's resource completed fully, so a failed
or cancelled run never skips data on the next one. Checkpoints belong to a school year: a
sync of another school year starts with a full fetch, never with the ``changedSince`` of the
year synced before.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

__all__ = ["CheckpointStore", "JsonFileCheckpointStore", "MemoryCheckpointStore"]

logger = logging.getLogger("informat_async")


@runtime_checkable
class CheckpointStore(Protocol):
    """Where checkpoints live: implement these two coroutines to use your own storage."""

    async def get(self, institute: str, school_year: str, resource: str) -> dt.datetime | None:
        """The ``changedSince`` for the next run, or None for a full fetch."""
        ...

    async def set(
        self, institute: str, school_year: str, resource: str, when: dt.datetime
    ) -> None:
        """Record that everything of ``school_year`` changed before ``when`` was fetched."""
        ...


class MemoryCheckpointStore:
    """Checkpoints in a dict keyed on ``(institute, school_year, resource)``: for tests and
    long-running services."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str, str], dt.datetime] = {}

    async def get(self, institute: str, school_year: str, resource: str) -> dt.datetime | None:
        return self.values.get((institute, school_year, resource))

    async def set(
        self, institute: str, school_year: str, resource: str, when: dt.datetime
    ) -> None:
        self.values[(institute, school_year, resource)] = when


class JsonFileCheckpointStore:
    """Checkpoints in a JSON file
    ``{"123456": {"2025-26": {"students": "2025-11-03T01:00:00+00:00"}}}``.

    Every ``set`` rewrites the file atomically (write a temporary file, then rename), so a
    crash leaves either the old or the new checkpoints, never a torn file. Entries of the
    older layout without a school year (``{"123456": {"students": "..."}}``) cannot be
    assigned to a year: they are ignored and dropped at the next write, so the next sync of
    each school year is a full one.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = asyncio.Lock()

    def _load(self) -> dict[str, dict[str, dict[str, str]]]:
        try:
            data: Any = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        if not isinstance(data, dict):
            return {}
        result: dict[str, dict[str, dict[str, str]]] = {}
        dropped = 0
        for institute, years in data.items():
            if not isinstance(years, dict):
                continue
            for year, resources in years.items():
                if not isinstance(resources, dict):
                    dropped += 1  # the layout without school years
                    continue
                kept = {r: w for r, w in resources.items() if isinstance(w, str)}
                if kept:
                    result.setdefault(str(institute), {})[str(year)] = kept
        if dropped:
            logger.info("checkpoints: ignoring %d entries without a school year in %s",
                        dropped, self.path)
        return result

    async def get(self, institute: str, school_year: str, resource: str) -> dt.datetime | None:
        value = self._load().get(institute, {}).get(school_year, {}).get(resource)
        if value is None:
            return None
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            return None  # unreadable: a full fetch is the safe answer

    async def set(
        self, institute: str, school_year: str, resource: str, when: dt.datetime
    ) -> None:
        async with self._lock:
            data = self._load()
            data.setdefault(institute, {}).setdefault(school_year, {})[resource] = (
                when.isoformat()
            )
            self._save(data)

    def _save(self, data: dict[str, dict[str, dict[str, str]]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, indent=2, sort_keys=True)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
