"""riskmanual.yamlsource: safe YAML reading with a line and column for every value.

Every error is a located Issue (file, line, column, path) and all of them are reported at
once; nothing the reader is given may end in a traceback or a crash.
"""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap

import pytest

from riskmanual.errors import Issue
from riskmanual.yamlsource import MAX_BYTES, MAX_DEPTH, SourceError, parse_text, read_source


def issues_of(text: str, file: str = "doc.yaml") -> list[Issue]:
    with pytest.raises(SourceError) as caught:
        parse_text(text, file)
    return caught.value.issues


def only_issue(text: str) -> Issue:
    issues = issues_of(text)
    assert len(issues) == 1, [str(issue) for issue in issues]
    return issues[0]


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


# --- what is read, and where it stood ---------------------------------------------------

NESTED = dedent(
    """
    id: demo
    items:
      - id: first
        label: First
      - id: second
        response:
          type: ordinal
          options:
            - {code: low, points: 0}
            - code: high
              points: 2
    """
)


def test_parses_nested_yaml_into_plain_data() -> None:
    source = parse_text(NESTED, "doc.yaml")
    assert source.file == "doc.yaml"
    assert source.data["items"][1]["response"]["options"] == [
        {"code": "low", "points": 0},
        {"code": "high", "points": 2},
    ]


@pytest.mark.parametrize(
    ("path", "mark"),
    [
        ((), (1, 1)),
        (("id",), (1, 5)),
        (("items", 0), (3, 5)),
        (("items", 0, "label"), (4, 12)),
        (("items", 1, "response", "type"), (7, 13)),
        (("items", 1, "response", "options", 0), (9, 11)),
        (("items", 1, "response", "options", 0, "points"), (9, 31)),
        (("items", 1, "response", "options", 1, "points"), (11, 19)),
    ],
)
def test_marks_give_line_and_column_of_each_value(path: tuple, mark: tuple[int, int]) -> None:
    assert parse_text(NESTED).marks[path] == mark


def test_key_marks_give_the_position_of_the_key_itself() -> None:
    source = parse_text(NESTED)
    assert source.key_marks[("items", 1, "response", "options", 1, "points")] == (11, 11)
    assert source.locate(("items", 1, "response", "options", 1, "points"), key=True) == (11, 11)


def test_locate_falls_back_to_the_nearest_ancestor_with_a_mark() -> None:
    source = parse_text(NESTED)
    assert source.locate(("items", 1, "response", "no_such_key", 3)) == (7, 7)
    assert source.locate(("nothing", "here")) == (1, 1)


def test_source_issue_carries_file_line_column_and_path() -> None:
    issue = parse_text(NESTED, "doc.yaml").issue(("items", 1, "response", "options", 1, "points"), "too many")
    assert (issue.file, issue.line, issue.column) == ("doc.yaml", 11, 19)
    assert issue.json_path == "items[1].response.options[1].points"
    assert str(issue) == "doc.yaml:11:19: items[1].response.options[1].points: too many"


def test_json_is_read_too_with_marks() -> None:
    source = parse_text('{\n  "id": "demo",\n  "items": [{"id": "a"}]\n}\n', "doc.json")
    assert source.data == {"id": "demo", "items": [{"id": "a"}]}
    assert source.marks[("items", 0, "id")] == (3, 20)


def test_aliases_are_expanded() -> None:
    source = parse_text("a: &label {sv: Hej, en: Hello}\nb: *label\nc: [*label]\n")
    assert source.data["b"] == source.data["c"][0] == {"sv": "Hej", "en": "Hello"}


def test_numeric_keys_become_strings() -> None:
    assert parse_text("1: one\n2.5: more\n").data == {"1": "one", "2.5": "more"}


# --- scalars: YAML 1.2 booleans, no dates, no NaN -------------------------------------------


@pytest.mark.parametrize("word", ["no", "yes", "on", "off", "y", "n", "No", "YES", "On", "OFF"])
def test_yaml11_boolean_words_stay_strings(word: str) -> None:
    assert parse_text(f"value: {word}\n").data == {"value": word}


@pytest.mark.parametrize("word", ["no", "yes", "on", "off"])
def test_yaml11_boolean_words_as_keys_stay_strings(word: str) -> None:
    assert parse_text(f"{word}: 1\n").data == {word: 1}


@pytest.mark.parametrize(
    ("word", "value"),
    [("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False), ("FALSE", False)],
)
def test_true_and_false_are_booleans(word: str, value: bool) -> None:
    data = parse_text(f"value: {word}\n").data
    assert data["value"] is value


@pytest.mark.parametrize("text", ["2024-01-01", "2026-11-01T10:00:00", "2026-11-01 10:00:00+01:00"])
def test_dates_and_timestamps_stay_strings(text: str) -> None:
    assert parse_text(f"date: {text}\n").data == {"date": text}


@pytest.mark.parametrize(("text", "value"), [("1", 1), ("-2", -2), ("1.5", 1.5), ("~", None), ("null", None)])
def test_numbers_and_null_are_read_as_such(text: str, value: object) -> None:
    assert parse_text(f"v: {text}\n").data == {"v": value}


@pytest.mark.parametrize("nan", [".nan", ".NaN", ".NAN"])
def test_nan_is_refused_where_it_stands(nan: str) -> None:
    issue = only_issue(f"bins:\n  - {{min: 0, points: {nan}}}\n")
    assert issue.message == "nan is not a number this tool accepts: use a finite number"
    assert issue.json_path == "bins[0].points"
    assert (issue.file, issue.line, issue.column) == ("doc.yaml", 2, 22)


# --- duplicate keys -----------------------------------------------------------------------


def test_duplicate_top_level_key_is_reported_at_the_second_occurrence() -> None:
    issue = only_issue("id: one\nversion: 1.0.0\nid: two\n")
    assert issue.message == "duplicate key 'id' (first at line 1)"
    assert issue.json_path == "id"
    assert (issue.file, issue.line, issue.column) == ("doc.yaml", 3, 1)


def test_duplicate_nested_key_names_its_path() -> None:
    text = dedent(
        """
        items:
          - id: a
            label: First
            kind: risk
            label: Again
        """
    )
    issue = only_issue(text)
    assert issue.message == "duplicate key 'label' (first at line 3)"
    assert issue.json_path == "items[0].label"
    assert (issue.line, issue.column) == (5, 5)


def test_duplicate_key_in_a_flow_mapping() -> None:
    issue = only_issue("options:\n  - {code: low, points: 0, code: high}\n")
    assert issue.message == "duplicate key 'code' (first at line 2)"
    assert issue.json_path == "options[0].code"
    assert (issue.line, issue.column) == (2, 28)


def test_duplicate_keys_that_differ_only_in_spelling_of_a_number_collide() -> None:
    issue = only_issue("levels:\n  1: low\n  '1': also low\n")
    assert issue.message == "duplicate key '1' (first at line 2)"
    assert issue.json_path == "levels.1"


def test_every_duplicate_key_is_reported_at_once() -> None:
    issues = issues_of("a: 1\nb: 2\na: 3\nc:\n  d: 4\n  d: 5\nb: 6\n")
    assert [(i.json_path, i.line, i.message) for i in issues] == [
        ("a", 3, "duplicate key 'a' (first at line 1)"),
        ("c.d", 6, "duplicate key 'd' (first at line 5)"),
        ("b", 7, "duplicate key 'b' (first at line 2)"),
    ]


# --- refused YAML features -----------------------------------------------------------------


def test_merge_keys_are_refused() -> None:
    text = "base: &base {kind: risk}\nitem:\n  <<: *base\n  id: a\n"
    issue = only_issue(text)
    assert issue.message == "YAML merge keys (<<) are not supported"
    assert issue.json_path == "item"
    assert (issue.line, issue.column) == (3, 3)


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!!python/object:os.system {}", "tag:yaml.org,2002:python/object:os.system"),
        ("!!python/object/apply:os.system [echo hi]", "tag:yaml.org,2002:python/object/apply:os.system"),
        ("!!python/object/new:builtins.dict {}", "tag:yaml.org,2002:python/object/new:builtins.dict"),
        ("!!python/name:os.system ''", "tag:yaml.org,2002:python/name:os.system"),
        ("!!python/tuple [1, 2]", "tag:yaml.org,2002:python/tuple"),
        ("!!binary aGVsbG8=", "tag:yaml.org,2002:binary"),
        ("!!set {a, b}", "tag:yaml.org,2002:set"),
        ("!!omap [{a: 1}]", "tag:yaml.org,2002:omap"),
        ("!custom value", "!custom"),
    ],
)
def test_unsafe_and_unknown_tags_are_refused(value: str, tag: str) -> None:
    issue = only_issue(f"id: demo\npayload: {value}\n")
    assert issue.message == f"unsupported YAML tag {tag}"
    assert issue.json_path == "payload"
    assert (issue.line, issue.column) == (2, 10)


@pytest.mark.parametrize("value", ["!!str 12", "!!int '12'", "!!float 1", "!!bool true", "!!null ''"])
def test_explicit_core_tags_are_allowed(value: str) -> None:
    parse_text(f"v: {value}\n")


@pytest.mark.parametrize("text", ["~: 1\n", "? [a, b]\n: 1\n", "? {a: 1}\n: 1\n"])
def test_keys_must_be_plain_strings_or_numbers(text: str) -> None:
    issue = only_issue(text)
    assert issue.message == "a mapping key must be a plain string or number"
    assert issue.line == 1


@pytest.mark.parametrize("text", ["a: &x [1, *x]\n", "a: &x {b: {c: *x}}\n"])
def test_a_recursive_alias_is_refused(text: str) -> None:
    issue = only_issue(text)
    assert "recursive data is refused" in issue.message
    assert issue.json_path.startswith("a")
    assert (issue.line, issue.column) == (1, 4)


def test_alias_bombs_are_refused_quickly() -> None:
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{k}: &l{k} [" + ", ".join([f"*l{k - 1}"] * 10) + "]" for k in range(1, 10)]
    issues = issues_of("\n".join(lines) + "\n")
    assert issues[-1].message == "aliases repeat more than 10,000 values; refused"
    assert issues[-1].line is not None


def test_nesting_up_to_max_depth_is_read() -> None:
    text = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    parse_text(text)


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), MAX_DEPTH + 1),
        ("- " * (MAX_DEPTH + 1) + "x", 2 * MAX_DEPTH + 1),
    ],
)
def test_nesting_deeper_than_max_depth_is_refused(text: str, column: int) -> None:
    issue = only_issue(text)
    assert issue.message == f"nested more than {MAX_DEPTH} levels deep; refused"
    assert (issue.line, issue.column) == (1, column)


def test_very_deep_nesting_does_not_crash_the_interpreter(tmp_path) -> None:
    # libyaml's composer recurses in C: 100 000 open brackets (100 kB) used to kill the process.
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 100_000 + "\n", "utf-8")
    code = (
        "import sys\n"
        "from riskmanual.yamlsource import read_source, SourceError\n"
        "try:\n    read_source(sys.argv[1])\n"
        "except SourceError as exc:\n    print(exc.issues[0].message)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-500:]
    # PyYAML 6.0.4 and newer stop deep flow nesting themselves; older ones reach our own limit.
    assert "nested more than" in done.stdout or "nested too deeply" in done.stdout


# --- syntax errors and unreadable text ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("id: demo\nlabel: a: b\n", 2, 9, "a ':' is not allowed here"),
        ("id: demo\nitems: [a, b\nversion: 1\n", 3, 8, "a ',' or a closing bracket is missing"),
        ("id: demo\n\tlabel: x\n", 2, 1, "a tab is used for indentation: use spaces"),
        ("id: 'demo\n", 2, 1, "the file ends in the middle of a value"),
        ("id: demo\nlabel: *nowhere\n", 2, 8, "an alias (*name) that no anchor (&name) defines"),
        ("id: one\n---\nid: two\n", 2, 1, "expected a single document in the stream"),
    ],
)
def test_syntax_errors_are_located(text: str, line: int, column: int, words: str) -> None:
    issue = only_issue(text)
    assert issue.message.startswith("YAML syntax error: ")
    assert words in issue.message
    assert (issue.file, issue.line, issue.column) == ("doc.yaml", line, column)
    assert issue.json_path == "$"


def test_control_characters_are_located() -> None:
    issue = only_issue("id: demo\nlabel: bad\x07char\n")
    assert issue.message.startswith("character U+0007 is not allowed in YAML")
    assert (issue.line, issue.column) == (2, 11)


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "   \n"])
def test_an_empty_document_is_refused(text: str) -> None:
    issue = only_issue(text)
    assert issue.message == "the file is empty"
    assert (issue.file, issue.line, issue.column) == ("doc.yaml", 1, 1)


# --- reading files ---------------------------------------------------------------------------


def read_issue(path, **kwargs) -> Issue:
    with pytest.raises(SourceError) as caught:
        read_source(path, **kwargs)
    assert len(caught.value.issues) == 1
    return caught.value.issues[0]


def test_read_source_reads_a_file_and_names_it(tmp_path) -> None:
    path = tmp_path / "instrument.yaml"
    path.write_text("id: demo\ntitle: {sv: Hej, en: Hello}\n", "utf-8")
    source = read_source(path)
    assert source.file == str(path)
    assert source.data == {"id": "demo", "title": {"sv": "Hej", "en": "Hello"}}


def test_read_source_errors_name_the_file(tmp_path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text("id: a\nid: b\n", "utf-8")
    issue = read_issue(path)
    assert str(issue) == f"{path}:2:1: id: duplicate key 'id' (first at line 1)"


def test_an_empty_file_is_refused(tmp_path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_bytes(b"")
    issue = read_issue(path)
    assert (issue.message, issue.file) == ("the file is empty", str(path))


def test_a_file_over_the_size_limit_is_refused(tmp_path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("id: " + "x" * 97 + "\n", "utf-8")  # 102 bytes
    issue = read_issue(path, max_bytes=100)
    assert issue.message == "file is larger than the limit of 100 bytes; refused"
    assert issue.file == str(path)


def test_a_file_at_the_size_limit_is_read(tmp_path) -> None:
    path = tmp_path / "exact.yaml"
    path.write_text("id: " + "x" * 95 + "\n", "utf-8")  # 100 bytes
    assert read_source(path, max_bytes=100).data == {"id": "x" * 95}


def test_the_default_size_limit_is_two_mebibytes() -> None:
    assert MAX_BYTES == 2 * 1024 * 1024


@pytest.mark.parametrize(
    ("raw", "byte", "line", "column"),
    [(b"label: caf\xe9\n", 10, 1, 11), (b"\xff\xfei\x00d\x00", 0, 1, 1), (b"id: ok\nlabel: \xc3\x28\n", 14, 2, 8),
     (b"\xef\xbb\xbfid: \xe5\n", 7, 1, 5), (b"label: V\xc3\xa5ld \xe4\n", 13, 1, 13)],
)
def test_non_utf8_bytes_are_refused(tmp_path, raw: bytes, byte: int, line: int, column: int) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(raw)
    issue = read_issue(path)
    assert issue.message.startswith(f"not UTF-8 text: byte {byte} (0x{raw[byte]:02X}) on line {line} cannot be read")
    assert "save the file as UTF-8" in issue.message
    assert (issue.file, issue.line, issue.column) == (str(path), line, column)
    assert "spara filen som UTF-8" in issue.render("sv")


def test_a_utf8_byte_order_mark_is_accepted(tmp_path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffid: demo\nlabel: Våld\n".encode("utf-8"))
    assert read_source(path).data == {"id": "demo", "label": "Våld"}


def test_a_missing_file_is_reported(tmp_path) -> None:
    path = tmp_path / "nowhere.yaml"
    issue = read_issue(path)
    assert (issue.message, issue.file) == ("no such file", str(path))
    assert str(issue) == f"{path}: $: no such file"


def test_a_directory_is_reported(tmp_path) -> None:
    issue = read_issue(tmp_path)
    assert (issue.message, issue.file) == ("is a directory, not a file", str(tmp_path))


def test_dash_reads_standard_input(monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"id: from-stdin\n")))
    source = read_source("-")
    assert (source.file, source.data) == ("-", {"id": "from-stdin"})


def test_source_error_message_lists_every_issue() -> None:
    with pytest.raises(SourceError) as caught:
        parse_text("a: 1\na: 2\nb: .nan\n", "doc.yaml")
    assert str(caught.value) == (
        "doc.yaml:2:1: a: duplicate key 'a' (first at line 1); doc.yaml:3:4: b: nan is not a number this tool accepts: use a finite number"
    )


@pytest.mark.parametrize("text", [".inf", "-.inf", ".Inf"])
def test_infinity_is_refused(text: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_text(f"a: {text}\n", "doc.yaml")
    issue = caught.value.issues[0]
    assert (issue.line, issue.column, issue.json_path) == (1, 4, "a")
    assert "use a finite number" in issue.message


# --- syntax errors in the reader's language -----------------------------------------------------


def test_every_description_of_a_yaml_syntax_error_has_swedish() -> None:
    from riskmanual.yamlsource import _YAML_PARTS, _YAML_WORDS

    words = [w if not callable(w) else w(_YAML_PARTS["block mapping"]) for _, w in _YAML_WORDS]
    for message in [*words, *_YAML_PARTS.values()]:
        assert message.render("sv") != message.render("en"), message


@pytest.mark.parametrize("text, sv, en", [
    ("a: b: c\n", "ett ':' är inte tillåtet här", "a ':' is not allowed here"),
    ("a:\n\tb: 1\n", "en tabb", "a tab"),
    ('a: "open\n', "när en text inom citattecken lästes: filen tar slut mitt i ett värde",
     "while reading a quoted text: the file ends in the middle of a value"),
    ("a: *nope\n", "ett alias (*namn) som inget ankare (&namn) definierar", "an alias (*name) that no anchor"),
    ("a: [1, 2\n", "när en lista inom hakparenteser lästes: ett ',' eller en avslutande parentes saknas",
     "while reading a list in brackets: a ',' or a closing bracket is missing"),
    ("a:\n  b: 1\n c: 2\n", "en nyckel väntades här", "a key was expected here"),
    ('a: "\\q"\n', "okänd kombination med '\\'", "unknown escape sequence with '\\'"),
    ("a: &x 1\nb: &x 2\n", "ett ankare (&namn) är definierat två gånger", "an anchor (&name) is defined twice"),
])
def test_yaml_syntax_errors_are_described_in_both_languages(text: str, sv: str, en: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_text(text, "case.yaml")
    (issue,) = caught.value.issues
    assert issue.line is not None and issue.column is not None
    assert issue.render("sv").startswith("case.yaml:") and sv in issue.render("sv")
    assert en in issue.render("en")
