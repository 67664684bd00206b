"""riskmanual.text: the quick printable check in has_control decides as the pattern would."""

from __future__ import annotations

from riskmanual.text import _CONTROL, has_control


def test_has_control_agrees_with_its_pattern_for_every_code_point() -> None:
    every = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    assert [c for c in every if has_control(c) != bool(_CONTROL.search(c))] == []
    assert has_control("rad ett\nrad två\tmed tabb") is False
    assert has_control("ok\x1b[2J") is True
    assert has_control("vänd\u202eriktning") is True
