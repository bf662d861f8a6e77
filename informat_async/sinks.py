"""Where a bulk run puts photos, so memory stays flat in the number of students.

A sink is any async callable ``sink(institute, photo)``; two are provided.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path

from ._files import make_private_dirs, write_private
from .models import Photo

__all__ = ["CallbackPhotoSink", "DirectoryPhotoSink", "photo_extension"]


def photo_extension(data: bytes) -> str:
    """``.jpg``, ``.png``, ``.gif`` or ``.bin`` from the image's magic bytes."""
    if data.startswith(b"\xff\xd8"):
        return ".jpg"
    if data.startswith(b"\x89PNG"):
        return ".png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return ".gif"
    return ".bin"


class DirectoryPhotoSink:
    """Writes ``<root>/<institute>/<student id>.<ext>``, replacing the file atomically.

    Each photo goes to a unique temporary file in the target directory, then replaces the
    target, so two runs at once (or the same id twice) never collide. Directories it creates
    are owner-only (0700) and photo files too (0600), whatever the umask. Files are written
    in a worker thread so the event loop keeps serving requests. Paths hold only institute
    numbers and GUIDs, no names.
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.written = 0
        """Photos written so far."""

    def path_for(self, institute: str, photo: Photo) -> Path:
        """Where a photo is written."""
        return self.root / institute / f"{photo.persoon_id}{photo_extension(photo.foto)}"

    async def __call__(self, institute: str, photo: Photo) -> None:
        await asyncio.to_thread(self._write, self.path_for(institute, photo), photo.foto)
        self.written += 1

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        make_private_dirs(path.parent)
        write_private(path, data)


class CallbackPhotoSink:
    """Hands every photo to a plain function ``fn(institute, photo)`` (e.g. to upload it)."""

    def __init__(self, fn: Callable[[str, Photo], None]) -> None:
        self._fn = fn

    async def __call__(self, institute: str, photo: Photo) -> None:
        self._fn(institute, photo)
