"""The public API: exactly what __all__ promises, and the README's example runs."""

from __future__ import annotations

import re

import pytest

import riskmanual

from .conftest import ROOT


EXPECTED = [
    "Answers", "AnswersError", "Instrument", "InstrumentError", "Issue", "NotFoundError", "Result",
    "RiskmanualError", "__version__", "answers_schema", "explain", "find_instrument", "instrument_schema",
    "list_instruments", "load_instrument", "parse_answers", "read_instrument", "score", "score_frame", "score_total",
]


def test_all_is_the_promised_public_api() -> None:
    assert riskmanual.__all__ == EXPECTED


def test_every_public_name_resolves() -> None:
    for name in riskmanual.__all__:
        assert getattr(riskmanual, name) is not None
    public = {name for name in dir(riskmanual) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(riskmanual, name)).__name__ == "module"}
    assert public - modules - {"annotations", "import_module", "TYPE_CHECKING", "Any"} == set(EXPECTED) - {"__version__"}


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError):
        riskmanual.no_such_name  # noqa: B018


def test_errors_share_one_root() -> None:
    for name in ("InstrumentError", "AnswersError", "NotFoundError"):
        assert issubclass(getattr(riskmanual, name), riskmanual.RiskmanualError)


def test_package_is_typed() -> None:
    assert (ROOT / "riskmanual" / "py.typed").exists()


def test_readme_library_example_runs(capsys) -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    assert blocks, "the README has no python example"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    assert capsys.readouterr().out.strip()


def test_explain_stays_the_function_after_the_cli_imports_its_module() -> None:
    # A submodule named like a public function would replace it on the package once imported.
    import riskmanual
    import riskmanual.explanation  # noqa: F401

    assert callable(riskmanual.explain) and riskmanual.explain.__module__ == "riskmanual.explanation"
