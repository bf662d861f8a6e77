"""Checkpoints of incremental sync: the ``changedSince`` to send per institute and resource.

A bulk run reads the checkpoint before fetching a resource and writes the run's start time
(minus a safety overlap) only after that institute's resource completed fully, so a failed
or cancelled run never skips data on the next one.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import tempfile
from pathlib import Path
from typing import Protocol, runtime_checkable

__all__ = ["CheckpointStore", "JsonFileCheckpointStore", "MemoryCheckpointStore"]


@runtime_checkable
class CheckpointStore(Protocol):
    """Where checkpoints live: implement these two coroutines to use your own storage."""

    async def get(self, institute: str, resource: str) -> dt.datetime | None:
        """The ``changedSince`` for the next run, or None for a full fetch."""
        ...

    async def set(self, institute: str, resource: str, when: dt.datetime) -> None:
        """Record that everything changed before ``when`` has been fetched."""
        ...


class MemoryCheckpointStore:
    """Checkpoints in a dict: for tests and long-running services."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], dt.datetime] = {}

    async def get(self, institute: str, resource: str) -> dt.datetime | None:
        return self.values.get((institute, resource))

    async def set(self, institute: str, resource: str, when: dt.datetime) -> None:
        self.values[(institute, resource)] = when


class JsonFileCheckpointStore:
    """Checkpoints in a JSON file ``{"123456": {"students": "2025-11-03T01:00:00+00:00"}}``.

    Every ``set`` rewrites the file atomically (write a temporary file, then rename), so a
    crash leaves either the old or the new checkpoints, never a torn file.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = asyncio.Lock()

    def _load(self) -> dict[str, dict[str, str]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return data if isinstance(data, dict) else {}

    async def get(self, institute: str, resource: str) -> dt.datetime | None:
        value = self._load().get(institute, {}).get(resource)
        return dt.datetime.fromisoformat(value) if isinstance(value, str) else None

    async def set(self, institute: str, resource: str, when: dt.datetime) -> None:
        async with self._lock:
            data = self._load()
            data.setdefault(institute, {})[resource] = when.isoformat()
            self._save(data)

    def _save(self, data: dict[str, dict[str, str]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, indent=2, sort_keys=True)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
