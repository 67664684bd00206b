"""Find instruments: bundled ones, those in ``RISKMANUAL_PATH``, or a file path.

An instrument reference is a path to a YAML file, a bundled or user instrument id
(``sig-assessment``: its newest active version), or ``id@version``. Bundled instruments
live in the package (``riskmanual/instruments`` in an installed wheel) or, in a source
checkout, in the top-level ``instruments/`` folder.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import InstrumentError, NotFoundError
from .instrument import Instrument
from .loading import read_instrument
from .messages import tr

__all__ = ["Entry", "bundled_dir", "find_instrument", "list_instruments", "load_instrument"]

ENV_VAR = "RISKMANUAL_PATH"


@dataclass(frozen=True)
class Entry:
    """A catalogue line: what an instrument file says it is, without validating it all."""

    id: str
    version: str
    status: str
    title: dict[str, str] | str
    path: Path
    origin: str  # "bundled" or "user"


def bundled_dir() -> Path:
    """The folder of instruments shipped with riskmanual."""
    package = Path(__file__).resolve().parent
    inside = package / "instruments"
    if inside.is_dir():
        return inside
    return package.parent / "instruments"


def _roots() -> list[tuple[Path, str]]:
    roots = [(bundled_dir(), "bundled")]
    for part in os.environ.get(ENV_VAR, "").split(os.pathsep):
        if part.strip():
            roots.append((Path(part).expanduser(), "user"))
    return roots


def list_instruments(instrument_id: str | None = None, *, header_only: bool = False) -> list[Entry]:
    """Every instrument file in the bundled folder and in ``RISKMANUAL_PATH``, sorted by id and version.

    With ``instrument_id``, only that instrument's versions; a folder named after the id
    (``instruments/sig-assessment/1.0.0.yaml``) is looked in first, so lookups stay fast.
    ``header_only`` reads just the top-level ``id``, ``version`` and ``status`` lines when
    they are plainly written (titles are then left empty).
    """
    entries: list[Entry] = []
    for root, origin in _roots():
        if not root.is_dir():
            continue
        folder = root / instrument_id if instrument_id else None
        paths = folder.glob("*.y*ml") if folder is not None and folder.is_dir() else root.rglob("*.y*ml")
        for path in sorted(paths):
            entry = _peek(path, origin, header_only)
            if entry is not None and (instrument_id is None or entry.id == instrument_id):
                entries.append(entry)
    return sorted(entries, key=lambda e: (e.id, _version_key(e.version), e.origin))


_HEADER = re.compile(r"^(id|version|status|items):[ \t]*['\"]?([^'\"#\s]*)", re.M)


def _peek(path: Path, origin: str, header_only: bool = False) -> Entry | None:
    """Read an instrument's header cheaply; files that are not instruments are skipped."""
    if header_only:
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
        found = dict(_HEADER.findall(text))
        if {"id", "version", "status", "items"} <= found.keys() and found["id"] and found["version"]:
            return Entry(id=found["id"], version=found["version"], status=found["status"], title="",
                         path=path, origin=origin)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(path.read_text("utf-8"), Loader=loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return Entry(id=path.stem, version="?", status="unreadable", title=str(path), path=path, origin=origin)
    if not isinstance(data, dict) or "id" not in data or "items" not in data:
        return None
    return Entry(
        id=str(data.get("id")),
        version=str(data.get("version", "?")),
        status=str(data.get("status", "?")),
        title=data.get("title") or "",
        path=path,
        origin=origin,
    )


def _version_key(version: str) -> tuple[int, ...]:
    core = version.split("-", 1)[0]
    try:
        return tuple(int(part) for part in core.split("."))
    except ValueError:
        return (-1,)


def find_instrument(ref: str | Path) -> Path:
    """The file an instrument reference names; raise :class:`NotFoundError` if none."""
    text = str(ref)
    path = Path(text)
    if path.suffix.lower() in (".yaml", ".yml", ".json") or os.sep in text or path.exists():
        if path.is_file():
            return path
        raise NotFoundError(tr("no instrument file {file}", file=text))
    wanted_id, _, wanted_version = text.partition("@")
    candidates = list_instruments(wanted_id, header_only=True)
    if not candidates:
        known = sorted({e.id for e in list_instruments()})
        raise NotFoundError(tr("no instrument '{id}'; known: {known}", id=wanted_id, known=known or tr("none")))
    if wanted_version:
        exact = [e for e in candidates if e.version == wanted_version]
        if not exact:
            versions = [e.version for e in candidates]
            raise NotFoundError(tr("no version {version} of '{id}'; available: {versions}", version=wanted_version,
                                   id=wanted_id, versions=versions))
        return exact[-1].path
    active = [e for e in candidates if e.status == "active"] or [e for e in candidates if e.status != "retired"]
    return (active or candidates)[-1].path


def load_instrument(ref: str | Path, *, strict_schema: bool = False) -> Instrument:
    """Load and validate an instrument by path, id or ``id@version``."""
    path = find_instrument(ref)
    instrument = read_instrument(path, strict_schema=strict_schema)
    text = str(ref)
    if "@" in text and not Path(text).exists():
        wanted_id, _, wanted_version = text.partition("@")
        if (instrument.id, instrument.version) != (wanted_id, wanted_version):
            raise InstrumentError(tr("{file} says it is {ref}, not {wanted}", file=str(path), ref=instrument.ref, wanted=text))
    return instrument
