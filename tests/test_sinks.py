"""Photo sinks: unique temporary files, atomic replace, private files."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest

from informat_async import models
from informat_async.sinks import DirectoryPhotoSink
from tests.conftest import mode


async def test_concurrent_writes_of_the_same_id(tmp_path: Path) -> None:
    sid = uuid.uuid4()
    versions = [b"\xff\xd8" + bytes([i]) * 200_000 for i in range(64)]
    # two sinks on one directory: two syncs at once, each writing the same student
    sinks = [DirectoryPhotoSink(tmp_path), DirectoryPhotoSink(tmp_path)]
    await asyncio.gather(*(
        sinks[i % 2]("123456", models.Photo(id=None, persoon_id=sid, foto=data))
        for i, data in enumerate(versions)
    ))
    target = tmp_path / "123456" / f"{sid}.jpg"
    assert target.read_bytes() in versions
    assert sorted(p.name for p in (tmp_path / "123456").iterdir()) == [target.name]
    assert sinks[0].written + sinks[1].written == len(versions)


@pytest.mark.usefixtures("umask_022")
async def test_photo_directories_and_files_are_private(tmp_path: Path) -> None:
    existing = tmp_path / "existing"
    existing.mkdir()
    existing.chmod(0o755)
    root = existing / "deep" / "photos"
    sink = DirectoryPhotoSink(root)
    sid = uuid.uuid4()
    await sink("123456", models.Photo(id=None, persoon_id=sid, foto=b"\xff\xd8x"))
    for directory in (existing / "deep", root, root / "123456"):
        assert mode(directory) == 0o700, directory
    assert mode(root / "123456" / f"{sid}.jpg") == 0o600
    assert mode(existing) == 0o755  # a directory that existed is left alone
