"""click's own words (usage errors, help headings) in the user's language.

click marks its texts for gettext (``from gettext import gettext as _``) but ships no
translations. :func:`install` points those names in click's modules at this catalogue, so
that ``Missing argument``, ``Try 'riskmanual -h' for help.`` and the rest follow ``--lang``
and ``RISKMANUAL_LANG`` like every other message. A text not in the catalogue stays English.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from types import ModuleType
from typing import Any

__all__ = ["current_language", "install", "language_of"]

#: click's message ids (click 8.1-8.3) and their Swedish.
SV: dict[str, str] = {
    "Usage:": "Användning:",
    "Try '{command} {option}' for help.": "Skriv '{command} {option}' för hjälp.",
    "Error: {message}": "Fel: {message}",
    "Missing argument": "Argument saknas",
    "Missing option": "Flagga saknas",
    "Missing parameter": "Parameter saknas",
    "Missing {param_type}": "{param_type} saknas",
    "Missing parameter: {param_name}": "Parameter saknas: {param_name}",
    "Missing command.": "Kommando saknas.",
    "No such command {name!r}.": "Kommandot {name!r} finns inte.",
    "No such option: {name}": "Flaggan {name} finns inte",
    "No such option {name!r}.": "Flaggan {name!r} finns inte.",
    "Did you mean {possibility}?": "Menade du {possibility}?",
    "(Possible options: {possibilities})": "(Möjliga flaggor: {possibilities})",
    "(Did you mean one of: {possibilities}?)": "(Menade du någon av: {possibilities}?)",
    "Invalid value for {param_hint}: {message}": "Ogiltigt värde för {param_hint}: {message}",
    "Invalid value: {message}": "Ogiltigt värde: {message}",
    "{value!r} is not {choice}.": "{value!r} är inte {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} är inte något av {choices}.",
    "{value!r} is not a valid {number_type}.": "{value!r} är inte ett giltigt tal.",
    "{value} is not in the range {range}.": "{value} ligger inte inom {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} är inte ett giltigt ja/nej-värde. Giltiga värden: {states}",
    "{value!r} is not a valid UUID.": "{value!r} är inte ett giltigt UUID.",
    "Option {name!r} does not take a value.": "Flaggan {name!r} tar inget värde.",
    "Argument {name!r} takes {nargs} values.": "Argumentet {name!r} tar {nargs} värden.",
    "Invalid start character for option ({option})": "Ogiltigt första tecken för en flagga ({option})",
    "{name} {filename!r} does not exist.": "{filename!r} finns inte.",
    "{name} {filename!r} is a file.": "{filename!r} är en fil.",
    "{name} {filename!r} is a directory.": "{filename!r} är en mapp.",
    "{name} {filename!r} is not readable.": "{filename!r} går inte att läsa.",
    "{name} {filename!r} is not writable.": "{filename!r} går inte att skriva till.",
    "{name} {filename!r} is not executable.": "{filename!r} går inte att köra.",
    "Could not open file {filename!r}: {message}": "Kunde inte öppna filen {filename!r}: {message}",
    "file": "fil",
    "directory": "mapp",
    "path": "sökväg",
    "Aborted!": "Avbrutet!",
    "unknown error": "okänt fel",
    "Options": "Flaggor",
    "Commands": "Kommandon",
    "Positional arguments": "Argument",
    "Show this message and exit.": "Visa den här hjälptexten och avsluta.",
    "Show the version and exit.": "Visa versionen och avsluta.",
    "default: {default}": "standard: {default}",
    "env var: {var}": "miljövariabel: {var}",
    "required": "obligatorisk",
    "(dynamic)": "(dynamiskt)",
    "deprecated": "föråldrad",
    "Choose from:\n\t{choices}": "Välj bland:\n\t{choices}",
}

#: click's singular/plural message ids and their Swedish.
SV_PLURAL: dict[tuple[str, str], tuple[str, str]] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        ("Oväntat extra argument ({args})", "Oväntade extra argument ({args})"),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        ("Flaggan {name!r} kräver ett värde.", "Flaggan {name!r} kräver {nargs} värden."),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        ("Tar {nargs} värden men 1 gavs.", "Tar {nargs} värden men {len} gavs."),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        ("{value!r} är inte {choice}.", "{value!r} är inte något av {choices}."),
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."):
        ("{value!r} har inte formatet {format}.", "{value!r} har inte något av formaten {formats}."),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        ("Menade du {possibility}?", "(Menade du någon av: {possibilities}?)"),
    ("(Possible options: {possibilities})", "(Possible options: {possibilities})"):
        ("(Möjliga flaggor: {possibilities})", "(Möjliga flaggor: {possibilities})"),
}

_lang = "en"


def current_language() -> str:
    """The language click speaks now (the last :func:`install`; ``en`` before any)."""
    return _lang


def _gettext(message: str) -> str:
    return SV.get(message, message) if _lang == "sv" else message


def _ngettext(singular: str, plural: str, n: int) -> str:
    if _lang == "sv" and (singular, plural) in SV_PLURAL:
        one, many = SV_PLURAL[(singular, plural)]
        return one if n == 1 else many
    return singular if n == 1 else plural


def _click_modules() -> list[ModuleType]:
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.termui
    import click.types

    return [click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.termui, click.types]


def _safe_echo(message: Any = None, *args: Any, **kwargs: Any) -> None:
    """click's echo for its own error messages, which quote what was typed (``'x'`` is not one
    of ...): every personnummer in them masked, every control character escaped."""
    import click.utils

    from .privacy import mask_personnummer
    from .text import printable

    if isinstance(message, str):
        message = printable(mask_personnummer(message), one_line=False)
    click.utils.echo(message, *args, **kwargs)


def install(lang: str) -> None:
    """Let click speak ``lang`` (``sv`` or ``en``) from now on, and never echo back in clear a
    personnummer or a control character typed on the command line."""
    import click.exceptions

    global _lang
    _lang = lang
    for module in _click_modules():
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]
    click.exceptions.echo = _safe_echo  # type: ignore[attr-defined]


def language_of(args: Sequence[str], env_var: str, default: str, languages: Sequence[str]) -> str:
    """The language a command line asks for before click has parsed it: ``--lang X`` or
    ``--lang=X``, else ``$env_var``, else ``default`` (an unknown value falls back to it too)."""
    chosen = None
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(args):
            chosen = args[index + 1]
        elif arg.startswith("--lang="):
            chosen = arg.split("=", 1)[1]
    chosen = chosen or os.environ.get(env_var)
    return chosen if chosen in languages else default
