"""Find instruments: bundled ones, those in ``RISKMANUAL_PATH``, or a file path.

An instrument reference is a path to a YAML file, a bundled or user instrument id
(``sig-assessment``: its newest active version), or ``id@version``. Bundled instruments
live in the package (``riskmanual/instruments`` in an installed wheel) or, in a source
checkout, in the top-level ``instruments/`` folder.
"""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from .errors import InstrumentError, Issue, NotFoundError
from .instrument import Instrument
from .loading import read_instrument
from .messages import tr

__all__ = ["Entry", "SkippedFileWarning", "bundled_dir", "find_instrument", "list_instruments", "load_instrument"]

ENV_VAR = "RISKMANUAL_PATH"


class SkippedFileWarning(UserWarning):
    """A file or folder in ``RISKMANUAL_PATH`` that cannot be read was skipped; ``issue`` says why."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(str(issue))
        self.issue = issue


_WARNED: set[str] = set()


def _skip(issue: Issue) -> None:
    """Warn once per process about a file or folder that is skipped; the scan goes on."""
    key = f"{issue.file}:{issue.message}"
    if key not in _WARNED:
        _WARNED.add(key)
        warnings.warn(SkippedFileWarning(issue), stacklevel=3)


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
            try:
                roots.append((Path(part).expanduser(), "user"))
            except RuntimeError:  # ~nosuchuser: no such home folder
                _skip(Issue(tr("in ${name}: no such home folder", name=ENV_VAR), file=part))
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
        try:
            if not root.is_dir():
                continue
            folder = root / instrument_id if instrument_id else None
            own = folder is not None and _exists(folder) and folder.is_dir()
            paths = sorted(folder.glob("*.y*ml") if own and folder is not None else root.rglob("*.y*ml"))
        except OSError as exc:  # a name too long, a folder that cannot be listed
            _skip(Issue(tr("cannot read: {reason}", reason=str(exc.strerror or exc)), file=str(root)))
            continue
        for path in paths:
            entry = _peek(path, origin, header_only)
            if entry is not None and (instrument_id is None or entry.id == instrument_id):
                entries.append(entry)
    return sorted(entries, key=lambda e: (e.id, _version_key(e.version), e.origin))


_HEADER = re.compile(r"^(id|version|status|items):[ \t]*['\"]?([^'\"#\s]*)", re.M)


def _peek(path: Path, origin: str, header_only: bool = False) -> Entry | None:
    """Read an instrument's header cheaply, with the limits every read has; files that are not
    instruments are skipped, and one that cannot be read is skipped with a warning."""
    from .yamlsource import SourceError, parse_text, read_bytes

    try:
        raw = read_bytes(path)
        text = raw.decode("utf-8-sig")
    except SourceError as error:
        _skip(error.issues[0])
        return None
    except UnicodeDecodeError:
        _skip(Issue(tr("not UTF-8 text"), file=str(path)))
        return None
    if "items" not in text or "id" not in text:
        return None  # not an instrument: not worth parsing
    if header_only:
        found = dict(_HEADER.findall(text))
        if {"id", "version", "status", "items"} <= found.keys() and found["id"] and found["version"]:
            return Entry(id=found["id"], version=found["version"], status=found["status"], title="",
                         path=path, origin=origin)
    try:
        data = parse_text(text, str(path)).data
    except SourceError as error:
        if origin == "user":
            _skip(error.issues[0])
            return None
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
    if path.suffix.lower() in (".yaml", ".yml", ".json") or os.sep in text or _exists(path):
        if _exists(path, file=True):
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


def _exists(path: Path, *, file: bool = False) -> bool:
    """Whether ``path`` is there (a regular file with ``file``); a name the system refuses is not."""
    try:
        return path.is_file() if file else path.exists()
    except (OSError, ValueError):  # a name too long for the file system, a NUL byte
        return False


def load_instrument(ref: str | Path, *, strict_schema: bool = False) -> Instrument:
    """Load and validate an instrument by path, id or ``id@version``."""
    path = find_instrument(ref)
    instrument = read_instrument(path, strict_schema=strict_schema)
    text = str(ref)
    if "@" in text and not _exists(Path(text)):
        wanted_id, _, wanted_version = text.partition("@")
        if (instrument.id, instrument.version) != (wanted_id, wanted_version):
            raise InstrumentError(tr("{file} says it is {ref}, not {wanted}", file=str(path), ref=instrument.ref, wanted=text))
    return instrument
