"""Every message the engine shows exists in Swedish and English (riskmanual/messages.py).

An AST scan of the package (but calibration/report_words.py and summary.py, which have their
own tables of Swedish and English) checks that every
``tr()`` template is a literal with a Swedish entry in ``messages_sv.CATALOGUE`` using the
same fields, and that no error, issue or problem is built from a plain string or f-string.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from riskmanual import messages
from riskmanual.errors import AnswersError, Issue
from riskmanual.messages import Msg, language, render, set_language, tr
from riskmanual.messages_sv import CATALOGUE

PACKAGE = Path(messages.__file__).resolve().parent
#: Modules with their own bilingual tables instead of tr().
OWN_TABLES = {("calibration", "report_words.py"), ("calibration", "summary.py")}
SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if tuple(p.relative_to(PACKAGE).parts) not in OWN_TABLES)

#: Calls whose message argument must be translatable: name -> index of the message argument.
MESSAGE_ARGS = {
    "Issue": 0, "issue": 1, "_at": 3, "InstrumentError": 0, "AnswersError": 0, "NotFoundError": 0,
    "RiskmanualError": 0, "BadParameter": 0, "fail": 0, "UsageError": 0, "_problem": 1, "CalibrationError": 0,
}
#: Calls that print to the user.
ECHO = {"echo", "secho"}


def _fields(template: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _plain_words(node: ast.expr) -> bool:
    """True when ``node`` is a literal or f-string (or a concatenation of them) with words in it."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(re.search(r"[A-Za-zåäöÅÄÖ]{2,}", node.value))
    if isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
        return bool(re.search(r"[A-Za-zåäöÅÄÖ]{2,}", text))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _plain_words(node.left) or _plain_words(node.right)
    return False


def _scan() -> tuple[list[tuple[str, int, str]], list[str]]:
    templates: list[tuple[str, int, str]] = []
    plain: list[str] = []
    for path in SOURCES:
        tree = ast.parse(path.read_text("utf-8"))
        rel = path.relative_to(PACKAGE)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = _name(node.func)
                if name == "tr":
                    first = node.args[0] if node.args else None
                    if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                        plain.append(f"{rel}:{node.lineno}: tr() needs a literal template")
                    else:
                        templates.append((str(rel), node.lineno, first.value))
                    continue
                index = MESSAGE_ARGS.get(name)
                if index is not None:
                    arg = node.args[index] if len(node.args) > index else None
                    for kw in node.keywords:
                        if kw.arg == "message":
                            arg = kw.value
                    if arg is not None and _plain_words(arg):
                        plain.append(f"{rel}:{node.lineno}: {name}() with a plain string message")
                if name in ECHO and node.args and _plain_words(node.args[0]):
                    plain.append(f"{rel}:{node.lineno}: {name}() prints a plain string")
                if name == "append" and node.args and isinstance(node.args[0], ast.Tuple):
                    elts = node.args[0].elts
                    if len(elts) == 3 and _plain_words(elts[1]):
                        plain.append(f"{rel}:{node.lineno}: a problem with a plain string message")
            if isinstance(node, (ast.Yield,)) and isinstance(node.value, ast.Tuple):
                elts = node.value.elts
                if len(elts) == 3 and _plain_words(elts[1]):
                    plain.append(f"{rel}:{node.lineno}: a yielded problem with a plain string message")
    return templates, plain


def test_every_template_has_swedish_with_the_same_fields():
    templates, _ = _scan()
    assert len(templates) > 50
    missing = sorted({f"{file}:{line}: {t!r}" for file, line, t in templates if t not in CATALOGUE})
    assert not missing, "no Swedish for:\n" + "\n".join(missing)
    wrong = sorted({t for _, _, t in templates if _fields(t) != _fields(CATALOGUE[t])})
    assert not wrong, "Swedish and English fields differ:\n" + "\n".join(wrong)


#: Modules whose messages are still being converted to tr() (report.py: helper E's, see progress-F.md).
NOT_YET: tuple[str, ...] = ()


def test_no_message_is_a_plain_string():
    _, plain = _scan()
    plain = [p for p in plain if not p.startswith(NOT_YET)]
    assert not plain, "\n".join(plain)


def test_catalogue_has_no_stale_or_empty_entries():
    templates, _ = _scan()
    used = {t for _, _, t in templates}
    stale = sorted(set(CATALOGUE) - used)
    assert not stale, "catalogue entries no tr() uses:\n" + "\n".join(stale)
    assert all(text.strip() for text in CATALOGUE.values())


def test_every_engine_word_has_swedish_and_english():
    for key, texts in messages._MESSAGES.items():
        assert set(texts) >= {"sv", "en"}, key
        assert texts["sv"].strip() and texts["en"].strip(), key
        assert _fields(texts["sv"]) == _fields(texts["en"]), key


def test_msg_is_english_and_renders_swedish():
    msg = tr("unknown item '{value}'", value="x")
    assert msg == "unknown item 'x'"
    assert msg.render("en") == "unknown item 'x'"
    assert msg.render("sv") == "frågan 'x' finns inte"
    nested = tr("{message}; did you mean '{close}'?", message=msg, close="y")
    assert nested.render("sv") == "frågan 'x' finns inte; menade du 'y'?"
    assert render("plain", "sv") == "plain"


def test_numbers_in_messages_follow_the_language():
    msg = tr("max must be above min ({min})", min=5.0)
    assert msg == "max must be above min (5)"
    assert tr("the interval does not contain the rate {rate}", rate=0.25).render("sv").endswith("0,25")


def test_concatenated_messages_stay_translatable():
    msg = tr("unknown item '{value}'", value="x") + " (!)"
    assert isinstance(msg, Msg)
    assert msg.render("sv") == "frågan 'x' finns inte (!)"


def test_issue_and_error_render_in_the_current_language():
    issue = Issue(tr("unknown item '{value}'", value="x"), path=("answers", "x"), file="a.yaml", line=3, column=2,
                  value="x")
    assert str(issue) == "a.yaml:3:2: answers.x: unknown item 'x' (got 'x')"
    assert issue.render("sv") == "a.yaml:3:2: answers.x: frågan 'x' finns inte (angivet: 'x')"
    with language("sv"):
        assert str(issue) == issue.render("sv")
        assert issue.as_dict()["message"] == "frågan 'x' finns inte"
        error = AnswersError(tr("{file}: not an instrument", file="a.yaml"), [issue])
        assert str(error).splitlines()[0] == "a.yaml: inget instrument"
    assert str(issue) == issue.render("en")


@pytest.fixture(autouse=True)
def _english_after():
    yield
    set_language("en")
