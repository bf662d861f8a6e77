"""Checks of the command line's file arguments, before anything is fetched.

A sync that downloads every photo and then cannot store them, or that fetches for minutes
and then cannot open its database, wastes the run and Informat's capacity. These checks
raise :class:`~informat_async.errors.InvalidInputError` with one line that names the path
and the problem; they create nothing but a probe file they remove at once.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .errors import InvalidInputError

__all__ = ["check_db", "check_output_file", "check_writable_dir", "describe_os_error"]


def describe_os_error(exc: OSError) -> str:
    """``path: problem`` of an ``OSError`` (without Python's ``[Errno n]`` noise)."""
    problem = exc.strerror or type(exc).__name__
    return f"{exc.filename}: {problem}" if exc.filename else problem


def _probe(directory: Path, what: str) -> None:
    """Create and remove a file in ``directory``: the only sure test of writability (a
    read-only file system, ``/proc``, ACLs and root all defeat ``os.access``)."""
    try:
        fd, name = tempfile.mkstemp(prefix=".informat-async-probe-", dir=directory)
    except OSError as exc:
        raise InvalidInputError(
            f"{what}: cannot create files in {directory}: {exc.strerror or exc}"
        ) from None
    os.close(fd)
    os.unlink(name)


def _existing_directory(directory: Path, what: str) -> None:
    if not directory.exists():
        raise InvalidInputError(f"{what}: directory {directory} does not exist")
    if not directory.is_dir():
        raise InvalidInputError(f"{what}: {directory} is not a directory")


def check_db(db: Path, *, option: str = "--db") -> None:
    """The SQLite file can be opened for writing, with its journal beside it.

    Its directory must exist: a mistyped path is an error, not a new directory tree.
    """
    what = f"{option} {db}"
    try:
        if db.is_dir():
            raise InvalidInputError(f"{what}: is a directory; name a file such as "
                                    f"{db / 'informat.sqlite'}")
        _existing_directory(db.parent, what)
        _probe(db.parent, what)  # SQLite writes its WAL and SHM files beside the database
        if db.exists():
            if not stat.S_ISREG(db.stat().st_mode):
                raise InvalidInputError(f"{what}: is not a regular file")
            with db.open("r+b"):
                pass
    except OSError as exc:
        raise InvalidInputError(f"{what}: {exc.strerror or exc}") from None


def check_writable_dir(directory: Path, *, option: str) -> None:
    """Files can be created in ``directory``, or in the directory it will be created in."""
    what = f"{option} {directory}"
    try:
        target = directory
        while not target.exists():
            if target.parent == target:
                break
            target = target.parent
        if not target.is_dir():
            raise InvalidInputError(f"{what}: {target} is not a directory")
        _probe(target, what)
    except OSError as exc:
        raise InvalidInputError(f"{what}: {exc.strerror or exc}") from None


def check_output_file(path: Path, *, option: str = "-o") -> None:
    """``path`` can be written (created, or replaced if it exists)."""
    what = f"{option} {path}"
    try:
        if path.is_dir():
            raise InvalidInputError(f"{what}: is a directory; name a file")
        _existing_directory(path.parent, what)
        if path.exists():
            if stat.S_ISREG(path.stat().st_mode):
                with path.open("ab"):  # append mode: checks without truncating
                    pass
        else:
            _probe(path.parent, what)
    except OSError as exc:
        raise InvalidInputError(f"{what}: {exc.strerror or exc}") from None
