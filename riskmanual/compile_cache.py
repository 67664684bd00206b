"""Compiled instruments kept as JSON, so that scoring need not validate the instrument again.

An entry is keyed by the SHA-256 of the instrument *file's bytes*, the engine version and the
compiled layout's :data:`~riskmanual.compiled.FORMAT_VERSION`, and lives in the user's cache
folder (platformdirs; ``$RISKMANUAL_CACHE_DIR`` moves it). It is JSON, never pickle: reading an
entry runs no code. Entries are written atomically (a temporary file, then ``os.replace``); a
cache that cannot be read or written is ignored silently and a corrupt entry is rebuilt. The
bundled instruments ship their compiled form in the package (``riskmanual/precompiled/``,
written by ``make precompile``), so they never miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ._version import __version__
from .compiled import FORMAT_VERSION, CompiledInstrument

__all__ = ["ENV_VAR", "cache_dir", "entry_name", "load_cached", "precompiled_dir", "shipped_entry", "store"]

ENV_VAR = "RISKMANUAL_CACHE_DIR"


def cache_dir() -> Path:
    """Where compiled instruments are cached: ``$RISKMANUAL_CACHE_DIR``, else the user's cache folder."""
    chosen = os.environ.get(ENV_VAR)
    if chosen:
        return Path(chosen).expanduser()
    import platformdirs  # noqa: PLC0415

    return Path(platformdirs.user_cache_dir("riskmanual", appauthor=False)) / "compiled"


def precompiled_dir() -> Path:
    """The compiled forms shipped with the bundled instruments."""
    return Path(__file__).resolve().parent / "precompiled"


def file_sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def entry_name(file_sha: str) -> str:
    """The cache file name for an instrument file's SHA-256, this engine and this format."""
    return f"{file_sha}-{__version__}-f{FORMAT_VERSION}.json"


def _wrap(file_sha: str, compiled: CompiledInstrument) -> dict[str, Any]:
    return {"source_sha256": file_sha, "engine_version": __version__, "format": FORMAT_VERSION, "compiled": compiled}


def _unwrap(text: bytes | str, file_sha: str) -> CompiledInstrument | None:
    """The compiled instrument of an entry, or None when it is not one for this file, engine and format."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("source_sha256") != file_sha or data.get("engine_version") != __version__ \
            or data.get("format") != FORMAT_VERSION:
        return None
    compiled = data.get("compiled")
    if not isinstance(compiled, dict) or compiled.get("format") != FORMAT_VERSION \
            or compiled.get("engine_version") != __version__ or not isinstance(compiled.get("items"), list):
        return None
    return CompiledInstrument(compiled)


def shipped_entry(path: Path) -> Path:
    """Where the shipped compiled form of a bundled instrument file would be."""
    return precompiled_dir() / f"{path.parent.name}-{path.stem}.json"


def load_cached(path: Path, raw: bytes) -> CompiledInstrument | None:
    """The compiled instrument for the file ``path`` with the bytes ``raw``: shipped, else cached; else None."""
    file_sha = file_sha256(raw)
    for candidate in (shipped_entry(path), cache_dir() / entry_name(file_sha)):
        try:
            text = candidate.read_bytes()
        except (OSError, ValueError):
            continue
        found = _unwrap(text, file_sha)
        if found is not None:
            return found
    return None


def entry_text(file_sha: str, compiled: CompiledInstrument) -> str:
    """An entry's JSON text (what is cached, and what is shipped)."""
    return json.dumps(_wrap(file_sha, compiled), sort_keys=True, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def store(raw: bytes, compiled: CompiledInstrument) -> None:
    """Cache ``compiled`` for the instrument file with the bytes ``raw``; any failure is ignored."""
    file_sha = file_sha256(raw)
    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(entry_text(file_sha, compiled))
            os.replace(temp, folder / entry_name(file_sha))
        except BaseException:
            try:
                os.unlink(temp)
            except OSError:
                pass
            raise
    except (OSError, ValueError, TypeError):
        pass  # a cache that cannot be written is no error: the next run compiles again


def ship_bundled() -> list[Path]:
    """Write the compiled form of every bundled instrument into :func:`precompiled_dir` (``make
    precompile``; tests/test_compile_cache.py fails when one is stale) and drop stale ones."""
    from .loading import read_instrument  # noqa: PLC0415
    from .registry import bundled_dir  # noqa: PLC0415
    from .compiled import compile_instrument  # noqa: PLC0415

    folder = precompiled_dir()
    folder.mkdir(exist_ok=True)
    written = []
    for path in sorted(bundled_dir().glob("*/*.yaml")):
        raw = path.read_bytes()
        target = shipped_entry(path)
        target.write_text(entry_text(file_sha256(raw), compile_instrument(read_instrument(path))), encoding="utf-8")
        written.append(target)
    for stale in set(folder.glob("*.json")) - set(written):
        stale.unlink()
    return written


if __name__ == "__main__":  # pragma: no cover
    for shipped in ship_bundled():
        print(shipped)
