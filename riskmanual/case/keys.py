"""The secret key behind subjects' pseudonyms: created on first use in a file only its owner can read."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from ..errors import Issue, StoreError
from ..messages import tr

__all__ = ["load_or_create_key"]

KEY_BYTES = 32


def load_or_create_key(path: Path, *, create: bool = True) -> bytes:
    """The key in ``path`` (64 hex digits); with ``create``, a new random key when the file is missing.

    Refuses a key file that others can read or write, and one that is not a key: a wrong key
    would silently give every subject a new pseudonym.
    """
    if not path.exists():
        if not create:
            raise _error(path, tr("the pseudonym key file does not exist; without it no subject can be found"))
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it first: use that one
            return load_or_create_key(path, create=False)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(KEY_BYTES) + "\n")
    mode = path.stat().st_mode
    if not stat.S_ISREG(mode):
        raise _error(path, tr("the pseudonym key file is not a regular file"))
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise _error(path, tr("the pseudonym key file can be read or written by others: make it readable by its "
                              "owner only (chmod 600)"))
    text = path.read_text("ascii", errors="replace").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise _error(path, tr("the pseudonym key file does not hold a key (64 hexadecimal digits)"))
    return key


def _error(path: Path, message: object) -> StoreError:
    return StoreError(tr("cannot use the pseudonym key"), [Issue(message, file=str(path))])  # type: ignore[arg-type]
