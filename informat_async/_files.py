"""Private files: directories 0700 and files 0600 whatever the umask, written atomically.

Photos and exports hold personal data of minors: only their owner may read them. A file is
written to a unique temporary file in its target directory, then renamed over the target,
so readers never see half a file and two writers of the same path never collide.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

__all__ = ["make_private_dirs", "private_file", "write_private"]


def make_private_dirs(path: Path) -> None:
    """Create ``path`` and any missing parents as owner-only directories (0700).

    Directories that exist already are left as they are.
    """
    missing: list[Path] = []
    current = path
    while not current.is_dir():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for directory in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another writer was first
            directory.mkdir(mode=0o700)
            os.chmod(directory, 0o700)  # the umask may have taken bits away


@contextlib.contextmanager
def private_file(path: Path, mode: str = "wb", **kwargs: Any) -> Iterator[IO[Any]]:
    """Open a unique temporary file beside ``path`` (0600); on success it replaces
    ``path``, on failure it is removed."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically as an owner-only file."""
    with private_file(path) as fh:
        fh.write(data)
