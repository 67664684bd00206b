"""riskmanual: structured risk-assessment manuals as data.

Instruments are YAML files validated by a JSON Schema and pydantic models; the engine
scores answers against them and explains which factors contributed::

    from riskmanual import load_instrument, score, explain

    instrument = load_instrument("sig-screening")
    result = score(instrument, {"instrument": "sig-screening", "version": "1.0.0",
                                "assessment_date": "2026-11-01", "answers": {...}})
    print(explain(result))
"""

from ._version import __version__
from .answers import Answers
from .errors import AnswersError, InstrumentError, Issue, NotFoundError, RiskmanualError
from .explain import explain
from .instrument import Instrument
from .loading import read_instrument
from .registry import find_instrument, list_instruments, load_instrument
from .result import Result
from .schema import answers_schema, instrument_schema
from .scoring import parse_answers, score

__all__ = [
    "Answers",
    "AnswersError",
    "Instrument",
    "InstrumentError",
    "Issue",
    "NotFoundError",
    "Result",
    "RiskmanualError",
    "__version__",
    "answers_schema",
    "explain",
    "find_instrument",
    "instrument_schema",
    "list_instruments",
    "load_instrument",
    "parse_answers",
    "read_instrument",
    "score",
]
