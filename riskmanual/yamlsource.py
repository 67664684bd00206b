"""Read YAML or JSON safely, remembering where every value stood in the file.

PyYAML's safe loader silently keeps the last of two duplicate keys and reads ``no`` as
``False`` and ``2024-01-01`` as a date; this reader reports duplicate keys as errors, keeps
only YAML 1.2's ``true``/``false`` as booleans and leaves dates as strings. Alongside
the data it returns a map from each path (``("items", 3, "label")``) to its line and column.
Tags other than the core scalar, mapping and sequence tags, a scalar its tag cannot convert
(``!!int abc``), merge keys, NaN and infinity, integers of more than :data:`MAX_INT_DIGITS`
digits, recursive aliases, alias bombs (by the number of values and the characters they
repeat) and nesting deeper than :data:`MAX_DEPTH` (aliases included) are refused, each located.
Only regular files are read (never a FIFO, a device or ``/dev/zero``), at most
:data:`MAX_BYTES` of them.
"""

from __future__ import annotations

import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Issue
from .messages import Msg, tr

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_INT_DIGITS", "MAX_NODES", "Source", "read_bytes", "read_source", "parse_text"]

#: Files larger than this are refused: no instrument or answers file is near it.
MAX_BYTES = 2 * 1024 * 1024

#: Deeper nesting is refused (libyaml's composer would overflow the C stack on ``[[[[...``).
MAX_DEPTH = 100

#: Aliases may repeat at most this many values in all ("billion laughs" documents are refused).
MAX_ALIAS_VALUES = 10_000

#: ... and at most this many characters of text in all (one long string aliased many times).
MAX_ALIAS_CHARS = MAX_BYTES

#: A document with more values than this is refused before it is built (an instrument has a few
#: thousand; 2 MiB of ``[1,1,1,...]`` would take seconds and hundreds of MB to hold).
MAX_NODES = 100_000

#: Reading stops after this many problems in one file.
MAX_ISSUES = 1_000

#: Integers longer than this are refused: no count, points or seed comes near 10**18.
MAX_INT_DIGITS = 18

Path_ = tuple[str | int, ...]

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader with YAML 1.2 booleans and no implicit dates."""


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass
class Source:
    """Parsed data plus where each path stood: ``marks[path] == (line, column)``, 1-based."""

    data: Any
    file: str
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path_, *, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column of ``path``, or of its nearest ancestor that has a mark."""
        path = tuple(path)
        if key and path in self.key_marks:
            return self.key_marks[path]
        while True:
            if path in self.marks:
                return self.marks[path]
            if not path:
                return None, None
            path = path[:-1]

    def issue(self, path: Path_, message: Msg | str, *, key: bool = False, **kw: Any) -> Issue:
        line, column = self.locate(path, key=key)
        return Issue(message=message, path=tuple(path), file=self.file, line=line, column=column, **kw)


class SourceError(Exception):
    """Raised with the issues found while reading; callers wrap it in their own error type."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("; ".join(str(i) for i in issues))
        self.issues = issues


def read_source(path: str | Path, *, max_bytes: int = MAX_BYTES) -> Source:
    """Read a YAML or JSON file (``-`` is standard input) into a :class:`Source`."""
    name = str(path)
    raw = read_bytes(path, max_bytes=max_bytes)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError([_not_utf8(raw, exc, name)]) from None
    return parse_text(text, name)


def read_bytes(path: str | Path, *, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file (``-``: standard input), at most ``max_bytes``; anything else
    (a missing file, a folder, a FIFO, a device, a file too large) is a located :class:`SourceError`."""
    name = str(path)
    try:
        if name == "-":
            import sys

            raw = sys.stdin.buffer.read(max_bytes + 1)
        else:
            # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
            try:
                mode = os.fstat(fd).st_mode
                if stat.S_ISDIR(mode):
                    raise IsADirectoryError
                if not stat.S_ISREG(mode):
                    raise SourceError([Issue(tr("not a regular file (a FIFO, a device or a socket); refused"),
                                             file=name)])
                os.set_blocking(fd, True)
                with os.fdopen(fd, "rb", closefd=False) as handle:
                    raw = handle.read(max_bytes + 1)
            finally:
                os.close(fd)
    except FileNotFoundError:
        raise SourceError([Issue(tr("no such file"), file=name)]) from None
    except IsADirectoryError:
        raise SourceError([Issue(tr("is a directory, not a file"), file=name)]) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
        reason = getattr(exc, "strerror", None) or str(exc)
        raise SourceError([Issue(tr("cannot read: {reason}", reason=reason), file=name)]) from None
    if len(raw) > max_bytes:
        raise SourceError([Issue(tr("file is larger than the limit of {limit} bytes; refused", limit=max_bytes),
                                 file=name)])
    return raw


#: PyYAML's descriptions of syntax errors, as patterns, and our words for them (messages_sv
#: has the Swedish); a description not listed here is shown as PyYAML wrote it.
_YAML_WORDS: list[tuple[re.Pattern[str], Any]] = [(re.compile(pattern), words) for pattern, words in [
    (r"while (?:parsing|scanning) an? (?P<what>block mapping|block collection|flow mapping|flow sequence|block node|"
     r"flow node|node|simple key|quoted scalar|plain scalar|block scalar|alias|anchor|tag|directive)$",
     lambda what: tr("while reading {what}", what=what)),
    (r"while scanning for the next token$", tr("while reading the next part")),
    (r"expected <block end>, but found '(?:[^']*)'$", tr("the indentation does not match")),
    (r"(?:expected <document start>, but found '(?:[^']*)'|did not find expected <document start>)$",
     tr("expected a new document")),
    (r"(?:expected the node content, but found '(?:[^']*)'|did not find expected node content)$",
     tr("expected a value here")),
    (r"(?:expected ',' or '(?:[\]}])', but got '[^']*'|did not find expected ',' or '(?:[\]}])')$",
     tr("a ',' or a closing bracket is missing")),
    (r"did not find expected '-' indicator$", tr("a list entry ('- ') was expected here: check the indentation")),
    (r"(?:expected <block mapping end>.*|did not find expected key)$",
     tr("a key was expected here: check the indentation and that every key ends with ':'")),
    (r"could not find expected ':'$", tr("a ':' is missing after a key")),
    (r"mapping values are not allowed (?:here|in this context)$",
     tr("a ':' is not allowed here (quote the text, or check the indentation)")),
    (r"found character (?:'(?:.*)' )?that cannot start any token$",
     tr("a character here cannot start a value (a tab, or a character such as @ or ` that must be quoted)")),
    (r"found unexpected end of stream$", tr("the file ends in the middle of a value (is a quote not closed?)")),
    (r"found unknown escape character(?: '(?:.*)')?$",
     tr("unknown escape sequence with '\\' (write '\\\\' for a backslash, or use single quotes)")),
    (r"found undefined alias(?: '(?:.*)')?$", tr("an alias (*name) that no anchor (&name) defines")),
    (r"found duplicate anchor(?: '(?:.*)')?; first occurrence$", tr("an anchor (&name) is defined twice")),
    (r"second occurrence$", tr("this is the second definition")),
    (r"found unexpected ':'$", tr("unexpected ':'")),
    (r"(?:expected a comment or a line break, but found '(?:.*)'|did not find expected comment or line break)$",
     tr("expected the end of the line")),
    (r"block sequence entries are not allowed (?:here|in this context)$", tr("a list entry ('- ') is not allowed here")),
    (r"found a tab character (?:where an indentation space is expected|that violates indentation)$",
     tr("a tab is used for indentation: use spaces")),
    (r"found unhashable key$", tr("a key cannot be a list or a mapping")),
    (r"while increasing (?:flow|indentation) level$", tr("while reading nested values")),
    (r"exceeded maximum nesting depth$", tr("nested too deeply; refused")),
]]

_YAML_PARTS = {
    "block mapping": tr("a mapping"), "block collection": tr("a list"), "flow mapping": tr("a mapping in braces"),
    "flow sequence": tr("a list in brackets"), "block node": tr("a value"), "flow node": tr("a value"),
    "node": tr("a value"), "simple key": tr("a key"), "quoted scalar": tr("a quoted text"), "plain scalar": tr("a text"),
    "block scalar": tr("a block text"), "alias": tr("an alias"), "anchor": tr("an anchor"), "tag": tr("a tag"),
    "directive": tr("a directive"),
}


def _yaml_words(text: str) -> Any:
    """PyYAML's description of a syntax error in our words (a message that renders in Swedish too)."""
    for pattern, words in _YAML_WORDS:
        found = pattern.match(text)
        if found:
            what = found.groupdict().get("what")
            return words(_YAML_PARTS[what]) if what else words
    return text


def _joined(parts: list[Any]) -> Any:
    if len(parts) == 1:
        return parts[0]
    return tr("{first}: {second}", first=parts[0], second=parts[1])


def parse_text(text: str, file: str = "<input>") -> Source:
    """Parse YAML (JSON is YAML) text; report syntax errors and duplicate keys with positions."""
    try:
        _check_depth(text, file)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        parts = [_yaml_words(part) for part in (exc.context, exc.problem) if part]
        message = tr("YAML syntax error: {detail}", detail=_joined(parts)) if parts else tr("invalid YAML")
        raise SourceError([Issue(message, file=file, line=line, column=column)]) from None
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line, column = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        message = tr("character {code} is not allowed in YAML ({reason})", code=f"U+{code:04X}", reason=str(exc.reason))
        raise SourceError([Issue(message, file=file, line=line, column=column)]) from None
    except yaml.YAMLError as exc:
        raise SourceError([Issue(tr("YAML error: {detail}", detail=str(exc)), file=file)]) from None
    source = Source(data=None, file=file)
    issues: list[Issue] = []
    if node is None:
        raise SourceError([Issue(tr("the file is empty"), file=file, line=1, column=1)])
    source.data = _build(node, (), source, issues, _Walk(_Loader("")))
    if issues:
        raise SourceError(issues)
    return source


def _check_depth(text: str, file: str) -> None:
    """Refuse nesting deeper than :data:`MAX_DEPTH` and more than :data:`MAX_NODES` values before
    composing (events are not recursive, and cheap)."""
    depth = nodes = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent, yaml.AliasEvent)):
            nodes += 1
            if nodes > MAX_NODES:
                mark = event.start_mark
                message = tr("more than {n} values in one file; refused", n=MAX_NODES)
                raise SourceError([Issue(message, file=file, line=mark.line + 1, column=mark.column + 1)])
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                message = tr("nested more than {depth} levels deep; refused", depth=MAX_DEPTH)
                raise SourceError([Issue(message, file=file, line=mark.line + 1, column=mark.column + 1)])
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


@dataclass
class _Walk:
    """State of one :func:`_build`: the constructor, and what guards against alias abuse."""

    constructor: Any
    seen: set[int] = field(default_factory=set)
    active: set[int] = field(default_factory=set)
    repeated: int = 0
    chars: int = 0


def _build(node: yaml.Node, path: Path_, source: Source, issues: list[Issue], walk: _Walk,
           via_alias: bool = False) -> Any:
    if len(path) > MAX_DEPTH:  # an alias can nest what the text does not (the events are counted before)
        raise SourceError([*issues, _at(source, node, path, tr("nested more than {depth} levels deep; refused",
                                                                depth=MAX_DEPTH))])
    source.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if id(node) in walk.active:
        _add(issues, _at(source, node, path, tr("an alias refers to a value that contains it; recursive data is refused")))
        return None
    via_alias = via_alias or id(node) in walk.seen
    walk.seen.add(id(node))
    if via_alias:
        walk.repeated += 1
        if walk.repeated > MAX_ALIAS_VALUES:
            message = tr("aliases repeat more than {n} values; refused", n=MAX_ALIAS_VALUES)
            raise SourceError([*issues, _at(source, node, path, message)])
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        if node.tag not in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
            _add(issues, _at(source, node, path, tr("unsupported YAML tag {tag}", tag=node.tag)))
            return None
        walk.active.add(id(node))
        try:
            return _build_collection(node, path, source, issues, walk, via_alias)
        finally:
            walk.active.discard(id(node))
    if node.tag not in _SAFE_SCALAR_TAGS:
        _add(issues, _at(source, node, path, tr("unsupported YAML tag {tag}", tag=node.tag)))
        return None
    if via_alias:
        walk.chars += len(node.value)
        if walk.chars > MAX_ALIAS_CHARS:
            message = tr("aliases repeat more than {n} characters of text; refused", n=MAX_ALIAS_CHARS)
            raise SourceError([*issues, _at(source, node, path, message)])
    if node.tag == "tag:yaml.org,2002:int" and len(node.value.lstrip("+-").replace("_", "")) > MAX_INT_DIGITS + 2:
        _add(issues, _at(source, node, path, tr("a number of more than {n} digits; refused", n=MAX_INT_DIGITS)))
        return None
    try:
        value = walk.constructor.construct_object(node)
    except Exception:  # noqa: BLE001 - any tag's conversion failure (ValueError, ConstructorError, ...) is the file's
        _add(issues, _at(source, node, path, tr("'{value}' cannot be read as {tag}", value=_short(node.value),
                                                 tag=node.tag.rsplit(":", 1)[-1])))
        return None
    if isinstance(value, float) and not math.isfinite(value):
        _add(issues, _at(source, node, path, tr("{value} is not a number this tool accepts: use a finite number",
                                                 value=str(value))))
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10 ** MAX_INT_DIGITS:
        _add(issues, _at(source, node, path, tr("a number of more than {n} digits; refused", n=MAX_INT_DIGITS)))
        return None
    return value


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _build_collection(node: yaml.Node, path: Path_, source: Source, issues: list[Issue], walk: _Walk,
                      via_alias: bool) -> Any:
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                _add(issues, _at(source, key_node, path, tr("YAML merge keys (<<) are not supported")))
                continue
            key = _build(key_node, path + ("<key>",), source, issues, walk, via_alias)
            if isinstance(key, (dict, list)) or key is None:
                _add(issues, _at(source, key_node, path, tr("a mapping key must be a plain string or number")))
                continue
            key = str(key) if not isinstance(key, str) else key
            child = path + (key,)
            if key in result:
                first = source.key_marks[child]
                _add(issues, _at(source, key_node, child, tr("duplicate key '{key}' (first at line {line})", key=key,
                                                                line=first[0])))
                continue
            source.key_marks[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _build(value_node, child, source, issues, walk, via_alias)
        source.marks.pop(path + ("<key>",), None)
        return result
    return [_build(item, path + (index,), source, issues, walk, via_alias) for index, item in enumerate(node.value)]


_SAFE_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


def _not_utf8(raw: bytes, exc: UnicodeDecodeError, file: str) -> Issue:
    """Where the first byte that is not UTF-8 stands, and what to do about it."""
    start = exc.start + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)  # utf-8-sig counts after the BOM
    before = raw[:start]
    line = before.count(b"\n") + 1
    column = len(before[before.rfind(b"\n") + 1:].decode("utf-8-sig", errors="replace")) + 1
    return Issue(tr("not UTF-8 text: byte {offset} (0x{byte}) on line {line} cannot be read; "
                    "save the file as UTF-8 (in most editors: Save as, encoding UTF-8)",
                    offset=str(start), byte=f"{raw[start]:02X}", line=str(line)),
                 file=file, line=line, column=column)


def _add(issues: list[Issue], issue: Issue) -> None:
    """Collect ``issue``; past :data:`MAX_ISSUES` the file is refused at once (listing more helps no one)."""
    issues.append(issue)
    if len(issues) >= MAX_ISSUES:
        raise SourceError([*issues, Issue(tr("more problems may follow; the first {n} are listed", n=MAX_ISSUES),
                                          file=issue.file)])


def _at(source: Source, node: yaml.Node, path: Path_, message: Msg) -> Issue:
    return Issue(
        message=message,
        path=tuple(p for p in path if p != "<key>"),
        file=source.file,
        line=node.start_mark.line + 1,
        column=node.start_mark.column + 1,
    )
