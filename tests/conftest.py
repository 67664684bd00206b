"""Shared fixtures: the project's own instruments and answers in tests/data/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from riskmanual import Instrument, read_instrument

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="session")
def full() -> Instrument:
    """An instrument that uses every feature of the format (tests/data/full.yaml)."""
    return read_instrument(DATA / "full.yaml")


def full_answers(**answers: Any) -> dict[str, Any]:
    """A complete answers document for full.yaml; keyword arguments replace answers."""
    base: dict[str, Any] = {
        "prior_offences": 2,
        "violence": "high",
        "peers": "yes",
        "gang": "no",
        "school": "truant",
        "adult": "yes",
        "district": "north",
    }
    base.update(answers)
    return {
        "instrument": "test-full",
        "version": "1.2.0",
        "assessment_date": "2026-11-01",
        "birth_date": "2009-03-02",
        "answers": {k: v for k, v in base.items() if v is not ...},
    }
