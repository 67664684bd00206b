"""The evaluation of the work (``riskmanual evaluate``): the target group, each young person's
course and outcomes, the collaboration between agencies, and a comparison with another unit,
from the case store for a period, with small numbers suppressed.

``data`` reads the store (the only I/O); ``target_group``, ``outcomes``, ``collaboration`` and
``comparison`` compute; ``suppression`` hides small cells; ``report`` holds the result and
``render`` turns it into HTML. pandas and statsmodels are imported only here, never by
``import riskmanual``.
"""

from __future__ import annotations

__all__ = ["evaluate"]


def evaluate(*args, **kwargs):  # type: ignore[no-untyped-def]
    """:func:`riskmanual.evaluation.report.evaluate` (imported lazily: it needs pandas)."""
    from .report import evaluate as run

    return run(*args, **kwargs)
