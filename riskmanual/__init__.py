"""riskmanual: structured risk-assessment manuals as data.

Instruments are YAML files validated by a JSON Schema and pydantic models; the engine
scores answers against them and explains which factors contributed::

    from riskmanual import load_instrument, score, explain

    instrument = load_instrument("sig-screening")
    result = score(instrument, {"instrument": "sig-screening", "version": "1.0.0",
                                "assessment_date": "2026-11-01", "answers": {...}})
    print(explain(result))

Names are imported on first use (PEP 562), so ``import riskmanual`` stays cheap and the
command line loads only what a command needs.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .answers import Answers
    from .errors import AnswersError, InstrumentError, Issue, NotFoundError, RiskmanualError
    from .explanation import explain
    from .instrument import Instrument
    from .loading import read_instrument
    from .registry import find_instrument, list_instruments, load_instrument
    from .result import Result
    from .schema import answers_schema, instrument_schema
    from .batch import score_frame
    from .scoring import parse_answers, score, score_total

_WHERE = {
    "Answers": "answers",
    "AnswersError": "errors",
    "Instrument": "instrument",
    "InstrumentError": "errors",
    "Issue": "errors",
    "NotFoundError": "errors",
    "Result": "result",
    "RiskmanualError": "errors",
    "answers_schema": "schema",
    "explain": "explanation",
    "find_instrument": "registry",
    "instrument_schema": "schema",
    "list_instruments": "registry",
    "load_instrument": "registry",
    "parse_answers": "scoring",
    "read_instrument": "loading",
    "score": "scoring",
    "score_frame": "batch",  # numpy and pyarrow/pandas are imported only when it is used
    "score_total": "scoring",
}

__all__ = sorted([*_WHERE, "__version__"])


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'riskmanual' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
