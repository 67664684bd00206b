"""The report's chart: the points of each domain as horizontal bars (matplotlib, Agg), returned as
an SVG string to embed inline, so that the HTML file stands alone and the PDF draws it as vectors.

Risk domains go right, protective ones left; a light grey bar behind each shows the domain's
range. Labels and numbers follow the report's language (``6,5`` in Swedish); ticks are whole
numbers when every value is whole.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from ..numbers import number
from ..result import Result

__all__ = ["Bar", "bars", "domain_chart"]

RISK = "#b4532a"
PROTECTIVE = "#2f7d5b"
RANGE = "#e6e6e6"
TEXT = "#222222"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    minimum: float
    maximum: float


def bars(result: Result) -> list[Bar]:
    """One bar per domain that has no sub-domains and can give points (in the result's order)."""
    parents = {d.parent for d in result.domains if d.parent}
    return [Bar(d.label, d.subtotal, d.minimum, d.maximum) for d in result.domains
            if d.id not in parents and (d.minimum != 0 or d.maximum != 0)]


def _wrap(label: str, width: int = 28) -> str:
    """The label on lines of about ``width`` characters, with ``$`` kept literal (no mathtext)."""
    words, lines, line = label.replace("$", r"\$").split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def domain_chart(result: Result, lang: str, *, axis_label: str, title: str) -> str | None:
    """The chart as an ``<svg>`` element (None when there is nothing to draw)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    shown = bars(result)
    if not shown:
        return None
    rows = list(reversed(shown))  # the first domain at the top
    height = 0.8 + 0.3 * sum(1 + _wrap(b.label).count("\n") * 0.5 for b in rows)
    figure = Figure(figsize=(7.0, height), dpi=100)
    figure.patch.set_alpha(0)
    axes = figure.add_subplot()
    positions = range(len(rows))
    axes.barh(positions, [b.maximum - b.minimum for b in rows], left=[b.minimum for b in rows], color=RANGE,
              height=0.78, zorder=1)
    axes.barh(positions, [b.value for b in rows], color=[PROTECTIVE if b.value < 0 else RISK for b in rows],
              height=0.52, zorder=2)
    axes.set_yticks(list(positions), [_wrap(b.label) for b in rows], fontsize=10, color=TEXT)
    whole = all(float(v).is_integer() for b in rows for v in (b.value, b.minimum, b.maximum))
    axes.xaxis.set_major_locator(MaxNLocator(integer=whole, nbins=8))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: number(x, lang, 1)))
    low = min(min(b.minimum, b.value) for b in rows)
    high = max(max(b.maximum, b.value) for b in rows)
    pad = max(1.0, (high - low) * 0.08)
    axes.set_xlim(low - (pad if low < 0 else 0), high + pad)
    axes.axvline(0, color="#555555", linewidth=0.8, zorder=3)
    for y, b in zip(positions, rows):
        text = number(b.value, lang, 0)
        if b.value < 0:
            axes.text(b.value - pad * 0.15, y, text, va="center", ha="right", fontsize=9.5, color=TEXT, zorder=4)
        else:
            axes.text(max(b.value, 0) + pad * 0.15, y, text, va="center", ha="left", fontsize=9.5, color=TEXT,
                      zorder=4)
    axes.set_xlabel(axis_label, fontsize=10, color=TEXT)
    axes.tick_params(axis="x", labelsize=9.5, colors=TEXT)
    axes.tick_params(axis="y", length=0)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.grid(axis="x", color="#f2f2f2", zorder=0)
    axes.set_axisbelow(True)
    figure.tight_layout(pad=0.4)
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "font.family": "DejaVu Sans", "svg.hashsalt": "riskmanual"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1', svg, count=1)
    safe_title = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return svg.replace("<svg", f'<svg class="chart" role="img" aria-label="{safe_title}"', 1)
