"""Writing files without ever overwriting one or following a symbolic link.

* :func:`write_new` creates a file exclusively (``O_CREAT | O_EXCL | O_NOFOLLOW``): it fails
  when anything, even a dangling symbolic link, already has the name, so there is no window
  between a check and the write for a link to be planted in.
* :func:`replace_file` (for an explicit ``--force``) writes a temporary file beside the target
  and renames it over the name: the name is replaced, whatever it pointed to is never written.
* :func:`write_folder` writes a whole folder into a fresh temporary folder beside the target and
  renames it into place; into an existing non-empty folder only with ``force``, file by file
  through a descriptor of the folder opened without following links.

Only the standard library; errors are :class:`FileWriteError` (an ``OSError`` is kept as cause).
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["FileWriteError", "reason_words", "replace_file", "write_folder", "write_new"]

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


class FileWriteError(Exception):
    """A file or folder that is not written, with the reason in words (``reason`` in English,
    ``words`` in the reader's language)."""

    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason

    @property
    def words(self) -> Any:
        return reason_words(self.reason)


def reason_words(reason: str) -> Any:
    """A :class:`FileWriteError` reason as a translatable message (the system's own words, such as
    ``Permission denied``, stay as the system gives them)."""
    from .messages import tr

    fixed = {
        "exists: choose a new name (files are never overwritten)":
            tr("exists: choose a new name (files are never overwritten)"),
        "is a folder": tr("is a folder"),
        "not a plain file name": tr("not a plain file name"),
        "is a symbolic link: refusing to write through it": tr("is a symbolic link: refusing to write through it"),
        "exists and is not a folder": tr("exists and is not a folder"),
        "is not empty: choose a new folder, or give --force to replace the report's files":
            tr("is not empty: choose a new folder, or give --force to replace the report's files"),
        "appeared while writing: not replaced": tr("appeared while writing: not replaced"),
        "is a folder: not replaced": tr("is a folder: not replaced"),
    }
    if reason in fixed:
        return fixed[reason]
    if reason.startswith("cannot create: "):
        return tr("cannot create: {reason}", reason=reason[len("cannot create: "):])
    if reason.startswith("cannot write: "):
        return tr("cannot write: {reason}", reason=reason[len("cannot write: "):])
    return reason


def _bytes(data: str | bytes) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def write_new(path: str | Path, data: str | bytes, *, dir_fd: int | None = None, mode: int = 0o644) -> Path:
    """Create ``path`` and write ``data``; refuse if the name exists in any form (file, link, folder)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
    try:
        fd = os.open(path, flags, mode, dir_fd=dir_fd)
    except FileExistsError:
        raise FileWriteError(path, "exists: choose a new name (files are never overwritten)") from None
    except OSError as exc:
        raise FileWriteError(path, f"cannot create: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(_bytes(data))
    except OSError as exc:
        raise FileWriteError(path, f"cannot write: {exc.strerror or exc}") from exc
    return Path(path)


def replace_file(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` to a new temporary file beside ``path`` and rename it over ``path``.

    An existing name (a file or a symbolic link) is replaced; the target of a link is never
    touched. A folder of that name is refused."""
    target = Path(path)
    try:
        if stat.S_ISDIR(os.lstat(target).st_mode):
            raise FileWriteError(target, "is a folder")
    except FileNotFoundError:
        pass
    parent = target.parent if str(target.parent) else Path(".")
    try:
        fd, temporary = tempfile.mkstemp(dir=parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise FileWriteError(target, f"cannot write: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(_bytes(data))
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise FileWriteError(target, f"cannot write: {exc.strerror or exc}") from exc
    return target


def write_folder(path: str | Path, files: dict[str, str | bytes], *, force: bool = False) -> list[Path]:
    """Write ``files`` (name -> content, plain names only) as the folder ``path``.

    A new or empty folder is filled atomically (a temporary folder renamed into place). An
    existing non-empty folder is refused unless ``force``: then each file is renamed into it
    through a descriptor opened with ``O_NOFOLLOW``, so a symbolic link in or as the folder is
    replaced or refused, never followed. A symbolic link as the folder itself is always refused.
    """
    target = Path(path)
    for name in files:
        if not name or "/" in name or name in (".", "..") or name.startswith("."):
            raise FileWriteError(target / name, "not a plain file name")
    try:
        info = os.lstat(target)
    except (FileNotFoundError, NotADirectoryError):  # no such folder, or a file where a parent folder should be
        info = None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise FileWriteError(target, "is a symbolic link: refusing to write through it")
        if not stat.S_ISDIR(info.st_mode):
            raise FileWriteError(target, "exists and is not a folder")
        if any(os.scandir(target)) and not force:
            raise FileWriteError(target, "is not empty: choose a new folder, or give --force to replace the report's files")
    parent = target.parent if str(target.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.", suffix=".tmp"))
    except OSError as exc:
        raise FileWriteError(target, f"cannot create: {exc.strerror or exc}") from exc
    try:
        for name, data in files.items():
            write_new(temporary / name, data)
        os.chmod(temporary, 0o755)
        if info is None or not any(os.scandir(target)):
            try:
                os.rename(temporary, target)  # onto a missing or empty folder: atomic
                return [target / name for name in files]
            except OSError:
                if not force:
                    raise FileWriteError(target, "appeared while writing: not replaced") from None
        dfd = os.open(target, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC)
        try:
            for name in files:
                try:
                    if stat.S_ISDIR(os.lstat(name, dir_fd=dfd).st_mode):
                        raise FileWriteError(target / name, "is a folder: not replaced")
                except FileNotFoundError:
                    pass
                os.replace(temporary / name, name, dst_dir_fd=dfd)
        finally:
            os.close(dfd)
        return [target / name for name in files]
    except OSError as exc:
        raise FileWriteError(target, f"cannot write: {exc.strerror or exc}") from exc
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
