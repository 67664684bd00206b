"""Keep personal identity numbers out of everything riskmanual stores, logs or prints."""

from __future__ import annotations

import re

__all__ = ["looks_like_personnummer", "mask_personnummer"]

# A Swedish personal identity or co-ordination number, with or without century and separator.
_PERSONNUMMER = re.compile(r"(?<!\d)(?:19|20)?\d{6}[-+ ]?\d{4}(?!\d)")
MASK = "<personnummer hidden>"


def looks_like_personnummer(text: str) -> bool:
    """True when ``text`` holds something shaped like a personnummer (never store those)."""
    return bool(_PERSONNUMMER.search(text))


def mask_personnummer(text: str) -> str:
    """``text`` with everything shaped like a personnummer replaced by a placeholder."""
    return _PERSONNUMMER.sub(MASK, text)
