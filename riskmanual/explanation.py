"""Readable explanations of a :class:`~riskmanual.result.Result`, in Swedish or English.

The explanation is rendered from the result alone (its labels are already in the result's
language), in the order a decision needs it: the result and the band's recommendation,
critical answers, what rests on estimates, the target-group decision, the answered factors,
the estimated ones apart, protective factors, information, domains, what was not answered,
and the needs as the band's risk principle allows.
"""

from __future__ import annotations

import re
import textwrap

from typing import TYPE_CHECKING

from .messages import message
from .numbers import number, percent, points, signed, span

if TYPE_CHECKING:  # the command line's warm-cache path explains a view of the result dicts, without pydantic
    from .result import Contribution, Result

__all__ = ["explain"]

TOP = 8
#: Notes longer than this are cut in the text (the JSON keeps them whole).
NOTE_LIMIT = 300


def explain(result: Result, *, top: int = TOP, calibrated: bool | None = None,
            show_all: bool = False, width: int | None = None) -> str:
    """The explanation of ``result`` as plain text, in ``result.lang``, wrapped to ``width``
    columns (not wrapped when ``width`` is None; the CLI passes the terminal's width).

    ``top`` limits the list of main contributing factors unless ``show_all``;
    ``calibrated=False`` adds a note that the weights are not calibrated against outcomes.
    """
    lang = result.lang
    out = _Lines(width or 10_000)
    values = dict(
        title=result.instrument.title, version=result.instrument.version, total=number(result.total, lang),
        minimum=number(result.minimum, lang), maximum=number(result.maximum, lang),
        band=result.band.label if result.band else "–",
    )
    out.add(message("ex.headline" if result.status == "complete" else "ex.incomplete", lang, **values))
    if result.recommendation:
        out.add(message("ex.recommendation", lang, text=result.recommendation))
    _critical(out, result, lang)
    _robustness(out, result, lang)
    if result.protective_total is not None:
        out.add(message("ex.protective_total", lang, total=number(result.protective_total, lang)))
    if result.judgement is not None:
        out.add(message(
            "ex.final", lang, band=result.judgement.band.label,
            direction=message(f"ex.direction.{result.judgement.direction}", lang),
            reason=result.judgement.reason or message("ex.no_reason", lang),
        ))
    if result.target_group is not None:
        tg = result.target_group
        verdict = {True: "yes", False: "no", None: "unknown"}[tg.met]
        reasons = "; ".join(tg.reasons)
        if tg.decision:
            out.add(message(f"ex.decision_{verdict}", lang, decision=tg.decision, reasons=reasons))
        else:
            out.add(message(f"ex.target_{verdict}", lang, rule=tg.rule, reasons=reasons))
    if result.probability is not None:
        p = result.probability
        ci = f" [{percent(p.ci[0], lang)}–{percent(p.ci[1], lang)}]" if p.ci else ""
        out.add(message("ex.probability", lang, months=p.follow_up_months, value=percent(p.value, lang), ci=ci,
                        sample=p.sample, date=p.date))
    if calibrated is False:
        out.add(message("ex.calibration", lang))

    risks = [c for c in result.contributions if c.kind == "risk" and c.points > 0 and not c.imputed]
    out.blank()
    if risks:
        out.add(message("ex.main", lang))
        shown = risks if show_all else risks[:top]
        for c in shown:
            _factor(out, c, lang)
        if len(shown) < len(risks):
            rest = sum(c.points for c in risks[len(shown):])
            out.add(message("ex.more", lang, n=len(risks) - len(shown), points=points(rest, lang, sign=True)), indent=2)
    else:
        out.add(message("ex.none_main", lang))

    estimated = [c for c in result.contributions if c.imputed]
    if estimated:
        out.blank()
        out.add(message("ex.estimated", lang))
        for c in estimated:
            _factor(out, c, lang)

    out.blank()
    if result.protective_factors:
        out.add(message("ex.protective", lang))
        for c in result.protective_factors:
            _factor(out, c, lang)
    else:
        out.add(message("ex.none_protective", lang))

    if result.information:
        out.blank()
        out.add(message("ex.information", lang))
        for c in result.information:
            _factor(out, c, lang, with_points=False)

    if result.domains:
        out.blank()
        out.add(message("ex.domains", lang))
        depth: dict[str, int] = {}
        for domain in result.domains:
            depth[domain.id] = depth.get(domain.parent, -1) + 1 if domain.parent else 0
            parts = []
            if domain.risk:
                parts.append(f"{message('ex.risk_word', lang)} {signed(domain.risk, lang)}")
            if domain.protective:
                parts.append(f"{message('ex.protective_word', lang)} {signed(domain.protective, lang)}")
            single = len(parts) == 1 and domain.subtotal == (domain.risk or domain.protective)
            detail = f" ({', '.join(parts)})" if parts and not single else ""
            out.add(f"{domain.label}: {number(domain.subtotal, lang)}{detail} "
                    f"[{span(domain.minimum, domain.maximum, lang)}]", indent=2 + 2 * depth[domain.id])

    out.blank()
    out.add(message("ex.not_answered", lang))
    for key, refs in (("ex.missing", result.missing), ("ex.unknown", result.unknown), ("ex.na", result.not_applicable)):
        if refs:
            out.add(f"{message(key, lang)}: " + ", ".join(ref.label for ref in refs), indent=2)
    out.add(result.missing_rule.description, indent=2)

    policy = result.needs_policy or "offer"
    if policy == "none":
        out.blank()
        out.add(message("ex.needs_none", lang))
    elif result.needs:
        out.blank()
        out.add(message("ex.needs" if policy == "offer" else "ex.needs_consider", lang))
        for need in result.needs:
            helpers = "; ".join(_with_agency(i["label"], i["agency_label"]) for i in need.interventions)
            out.add(f"- {need.label}" + (f": {helpers}" if helpers else ""), indent=2, hang=4)
    return out.text()


def _with_agency(label: str, agency: str) -> str:
    """``label (agency)``, unless the label already names the agency (``Samtal på ungdomsmottagningen``)."""
    if re.search(rf"(?<!\w){re.escape(agency)}(?!\w)", label, flags=re.IGNORECASE):
        return label
    return f"{label} ({agency})"


def _critical(out: "_Lines", result: Result, lang: str) -> None:
    if not result.critical:
        return
    out.blank()
    out.add(message("ex.critical_heading", lang))
    for c in result.critical:
        text = f"! {c.label}: {c.response_label} – {c.rule}"
        if c.raised and result.score_band is not None:
            text += f" ({message('ex.raised', lang, band=result.score_band.label)})"
        if c.reason:
            text += f". {c.reason}"
        out.add(text, indent=2, hang=4)
    if result.review_required:
        out.add(message("ex.review", lang), indent=2)


def _robustness(out: "_Lines", result: Result, lang: str) -> None:
    r = result.robustness
    if r is None or r.unresolved == 0:
        return
    items = message("ex.the_unknown", lang) if r.unresolved == 1 else message("ex.the_unknowns", lang, n=r.unresolved)
    low, high = r.lowest_band_label or r.lowest_band, r.highest_band_label or r.highest_band
    out.blank()
    if low is None or high is None:
        text = message("ex.robust_open", lang, items=items, low=number(r.lowest_total, lang),
                       high=number(r.highest_total, lang))
    elif low == high:
        text = message("ex.robust_same", lang, items=items, band=low)
    else:
        text = message("ex.robust_range", lang, items=items, low=low, high=high)
    if r.decision_stable is not None:
        text += " " + message("ex.decision_stable" if r.decision_stable else "ex.decision_unstable", lang)
    out.add(text)


def _factor(out: "_Lines", c: Contribution, lang: str, *, with_points: bool = True) -> None:
    lead = f"{signed(c.points, lang):>6} {message('ex.points', lang)}  " if with_points else ""
    text = f"{c.label}: {c.response_label}"
    if c.critical:
        text += f" [{message('ex.critical', lang)}]"
    if c.note:
        note = " ".join(c.note.split())
        if len(note) > NOTE_LIMIT:
            note = note[:NOTE_LIMIT].rstrip() + " " + message("ex.cut", lang)
        text += f" – {note}"
    out.add(lead + text, indent=2, hang=2 + len(lead) if with_points else 4)


class _Lines:
    """Lines wrapped to a width with hanging indents."""

    def __init__(self, width: int) -> None:
        self.width = max(width, 30)
        self.lines: list[str] = []

    def add(self, text: str, *, indent: int = 0, hang: int | None = None) -> None:
        hang = indent if hang is None else hang
        stripped = text.lstrip(" ")
        indent += len(text) - len(stripped)  # leading spaces (aligned points) survive the wrapping
        self.lines.extend(textwrap.wrap(
            stripped, width=self.width, initial_indent=" " * indent, subsequent_indent=" " * hang,
            break_long_words=True, break_on_hyphens=False,
        ) or [""])

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"
