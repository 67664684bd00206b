"""The case report (``riskmanual report``): one assessment with its consent, action plan and the
change since the previous one, for the case file and the meeting with the young person.

:func:`gather` reads the data (one audited read); :mod:`.render` turns it into HTML, markdown or
PDF. jinja2, matplotlib and WeasyPrint load only when a report is rendered.
"""

from __future__ import annotations

from .case_report import CaseReport, gather

__all__ = ["CaseReport", "gather"]
