"""``riskmanual score`` with a warm cache: no pydantic, jsonschema or yaml, the same output.

:func:`try_fast_score` handles the plain case (a bundled instrument or an instrument file whose
compiled form is shipped or cached, a JSON answers file the checks accept, ``--format
json|text``) with the compiled instrument alone, and prints exactly what the full command
prints. On any doubt (another option, standard input, ``$RISKMANUAL_PATH``, YAML, an answers
file with any problem, anything it cannot read) it returns False before printing anything,
and the full command runs: every error message comes from there. Reading keeps the full
path's limits (regular files only, at most ``MAX_BYTES``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
import sys
from pathlib import Path
from typing import Any

__all__ = ["ResultView", "dump_result_json", "try_fast_score"]

#: As :data:`riskmanual.yamlsource.MAX_BYTES` (tests/test_fast_cli.py holds them equal).
MAX_BYTES = 2 * 1024 * 1024
_HEADER = re.compile(r"^(id|version|status|items):[ \t]*['\"]?([^'\"#\s]*)", re.M)
# Characters PyYAML's reader accepts (a JSON file with any other is left to the full path).
_YAML_UNPRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_YAML_FLOAT = re.compile(r"^-?(?:[0-9][0-9]*)\.[0-9]*(?:[eE][-+][0-9]+)?$")


class _Doubt(Exception):
    """The fast path is not sure: the full command decides."""


# --- reading -------------------------------------------------------------------------


def _read(path: str) -> bytes:
    """A regular file's bytes, at most MAX_BYTES; anything else is a doubt."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except (OSError, ValueError):
        raise _Doubt from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _Doubt
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError:
        raise _Doubt from None
    finally:
        os.close(fd)
    if len(raw) > MAX_BYTES:
        raise _Doubt
    return raw


def _int(text: str) -> int:
    if len(text.lstrip("-")) > 18:
        raise _Doubt  # the full reader refuses it, with its own words
    return int(text)


def _float(text: str) -> float:
    if not _YAML_FLOAT.match(text):
        raise _Doubt  # YAML 1.1 reads ``1e5`` as a text: leave it to the full path
    return float(text)


def _constant(text: str) -> Any:
    raise _Doubt


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise _Doubt  # a duplicate key is an error there
    return found


def _json_document(raw: bytes) -> Any:
    """A JSON answers file that the full reader (YAML) reads the same way, else a doubt."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _Doubt from None
    start = text.lstrip(" \n\r")[:1]
    if start != "{" or "\t" in text or "\\/" in text or re.search(r"\\u[dD][89a-fA-F]", text) \
            or _YAML_UNPRINTABLE.search(text) or len(text) > 200_000:
        raise _Doubt
    try:
        data = json.loads(text, object_pairs_hook=_pairs, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except (ValueError, RecursionError):
        raise _Doubt from None
    if _depth(data) > 20:
        raise _Doubt
    return data


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


# --- finding the instrument (bundled, as riskmanual.registry finds it) ----------------------


def _bundled_dir() -> Path:
    package = Path(__file__).resolve().parent.parent
    inside = package / "instruments"
    return inside if inside.is_dir() else package.parent / "instruments"


def _version_key(version: str) -> tuple[int, ...]:
    core = version.split("-", 1)[0]
    try:
        return tuple(int(part) for part in core.split("."))
    except ValueError:
        return (-1,)


def _entries(instrument_id: str) -> list[tuple[str, str, Path]]:
    """``(version, status, path)`` of the bundled versions of an instrument, oldest first."""
    folder = _bundled_dir() / instrument_id
    if not folder.is_dir():
        raise _Doubt
    found = []
    for path in sorted(folder.glob("*.y*ml")):
        text = _read(str(path)).decode("utf-8-sig", errors="strict")
        if "items" not in text or "id" not in text:
            continue
        header = dict(_HEADER.findall(text))
        if not ({"id", "version", "status", "items"} <= header.keys() and header["id"] and header["version"]):
            raise _Doubt
        if header["id"] == instrument_id:
            found.append((header["version"], header["status"], path))
    return sorted(found, key=lambda e: _version_key(e[0]))


def _instrument_path(ref: str, document: dict[str, Any]) -> tuple[Path, str | None]:
    """The instrument file ``ref`` names for these answers, and the ``id@version`` it must be."""
    if "@" in ref and ("/" in ref or os.sep in ref):
        raise _Doubt
    path = Path(ref)
    try:
        exists = path.exists()
    except (OSError, ValueError):
        raise _Doubt from None
    if path.suffix.lower() in (".yaml", ".yml", ".json") or os.sep in ref or "/" in ref or exists:
        if "@" in ref or not path.is_file():
            raise _Doubt
        return path, None
    wanted_id, _, wanted_version = ref.partition("@")
    entries = _entries(wanted_id)
    if not entries:
        raise _Doubt
    version = document.get("version")
    if not wanted_version and document.get("instrument") == ref and isinstance(version, str) \
            and any(e[0] == version for e in entries):
        wanted_version = version  # an assessment made with an earlier version is scored with it
    if wanted_version:
        exact = [e for e in entries if e[0] == wanted_version]
        if not exact:
            raise _Doubt
        return exact[-1][2], f"{wanted_id}@{wanted_version}"
    active = [e for e in entries if e[1] == "active"] or [e for e in entries if e[1] != "retired"]
    return (active or entries)[-1][2], None


# --- output ------------------------------------------------------------------------


def _float_text(value: float) -> str:
    """A float as pydantic's JSON writes it (``1e-7``, ``0.00001``, ``1e+16``)."""
    text = repr(value)
    if "e-" in text:
        mantissa, exponent = text.split("e-")
        power = int(exponent)
        if power <= 5:
            sign = "-" if mantissa.startswith("-") else ""
            digits = mantissa.lstrip("-").replace(".", "")
            return f"{sign}0.{'0' * (power - 1)}{digits}"
        return f"{mantissa}e-{power}"
    return text


def _dump(value: Any, indent: str, out: list[str]) -> None:
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = indent + "  "
        out.append("{")
        first = True
        for key, item in value.items():
            out.append(("\n" if first else ",\n") + inner + json.dumps(key, ensure_ascii=False) + ": ")
            first = False
            _dump(item, inner, out)
        out.append("\n" + indent + "}")
    elif isinstance(value, list):
        if not value:
            out.append("[]")
            return
        inner = indent + "  "
        out.append("[")
        for i, item in enumerate(value):
            out.append(("\n" if i == 0 else ",\n") + inner)
            _dump(item, inner, out)
        out.append("\n" + indent + "]")
    elif isinstance(value, str):
        out.append(json.dumps(value, ensure_ascii=False))
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif value is None:
        out.append("null")
    elif isinstance(value, float):
        out.append(_float_text(value))
    else:
        out.append(str(int(value)))


def dump_result_json(data: dict[str, Any]) -> str:
    """The result dicts as ``Result.model_dump_json(indent=2)`` writes the validated result."""
    out: list[str] = []
    _dump(data, "", out)
    return "".join(out)


class ResultView:
    """Attribute access over the result dicts, as :func:`riskmanual.explanation.explain` reads a Result."""

    __slots__ = ("_data",)

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getattr__(self, name: str) -> Any:
        try:
            return _view(self._data[name])
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, key: str) -> Any:
        return _view(self._data[key])


def _view(value: Any) -> Any:
    if isinstance(value, dict):
        return ResultView(value)
    if isinstance(value, list):
        return [_view(v) for v in value]
    return value


# --- the command ---------------------------------------------------------------------


def _options(args: list[str]) -> tuple[list[str], dict[str, Any]]:
    positional: list[str] = []
    options: dict[str, Any] = {"fmt": "json", "lang": None, "show_all": False, "width": None}
    i = 0
    while i < len(args):
        arg = args[i]
        name, eq, inline = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name in ("--format", "--lang", "--width"):
            if eq:
                value = inline
            else:
                if i + 1 >= len(args):
                    raise _Doubt
                i += 1
                value = args[i]
            if name == "--format":
                if value not in ("json", "text"):
                    raise _Doubt
                options["fmt"] = value
            elif name == "--lang":
                if value not in ("sv", "en"):
                    raise _Doubt
                options["lang"] = value
            else:
                if not re.fullmatch(r"[0-9]{1,3}", value) or not 30 <= int(value) <= 500:
                    raise _Doubt
                options["width"] = int(value)
        elif arg == "--all":
            options["show_all"] = True
        elif arg.startswith("-"):
            raise _Doubt  # --help, --, -, and anything else
        else:
            positional.append(arg)
        i += 1
    if len(positional) != 2:
        raise _Doubt
    return positional, options


def try_fast_score(argv: list[str]) -> bool:
    """Run ``riskmanual score`` on the warm-cache path when it is sure to print what the full
    command prints; False (having printed nothing) when the full command must run."""
    if not argv or argv[0] != "score" or os.environ.get("RISKMANUAL_PATH", "").strip():
        return False
    try:
        return _fast(argv[1:])
    except (_Doubt, OSError, ValueError, KeyError, TypeError, IndexError, RecursionError, UnicodeError):
        return False


def _fast(args: list[str]) -> bool:
    (ref, answers_path), options = _options(args)
    from ..messages import LANGUAGES  # noqa: PLC0415

    asked = options["lang"] or os.environ.get("RISKMANUAL_LANG") or None
    if asked is not None and asked not in LANGUAGES:
        raise _Doubt
    if answers_path == "-":
        raise _Doubt
    document = _json_document(_read(answers_path))
    if not isinstance(document, dict):
        raise _Doubt
    path, wanted = _instrument_path(ref, document)
    from ..compile_cache import load_cached  # noqa: PLC0415

    compiled = load_cached(path, _read(str(path)))
    if compiled is None or (wanted is not None and compiled["ref"] != wanted):
        raise _Doubt
    languages = compiled["languages"]
    lang = asked or (languages[0] if languages else None)
    lang = lang if lang in LANGUAGES else "sv"
    from ..assemble import result_dict  # noqa: PLC0415
    from ..engine import applies_all, check_applicability  # noqa: PLC0415
    from ..quickcheck import quick_values  # noqa: PLC0415

    quick = quick_values(compiled, document, dt.date.today())
    if quick is None:
        raise _Doubt
    values, age = quick
    facts = applies_all(compiled, values, age)
    if check_applicability(compiled, values, facts):
        raise _Doubt
    judgement = document.get("judgement")
    data, problems = result_dict(compiled, values, age, facts, lang=lang, assessment_date=document["assessment_date"],
                                 notes=document.get("notes", {}),
                                 judgement=(judgement["band"], judgement.get("reason")) if judgement else None)
    if data is None or problems or lang not in compiled["words_langs"]:
        raise _Doubt
    import click  # noqa: PLC0415

    if options["fmt"] == "json":
        text = dump_result_json(data)
        click.echo(text)
        return True
    from ..explanation import explain  # noqa: PLC0415

    width = options["width"]
    if width is None:
        import shutil  # noqa: PLC0415

        width = shutil.get_terminal_size((80, 24)).columns if sys.stdout.isatty() else 80
    text = explain(ResultView(data), calibrated=compiled["calibrated"], show_all=options["show_all"],  # type: ignore[arg-type]
                   width=width)
    click.echo(text, nl=False)
    return True
