"""Readable explanations of a :class:`~riskmanual.result.Result`, in Swedish or English.

The explanation is rendered from the result alone (its labels are already in the result's
language): the result in one line, what contributed most, the protective factors, what
was not answered and how that was handled, and the needs with suggested interventions.
"""

from __future__ import annotations

from .messages import message
from .result import Contribution, Result

__all__ = ["explain"]

TOP = 5


def explain(result: Result, *, top: int = TOP, calibrated: bool | None = None) -> str:
    """The explanation of ``result`` as plain text, in ``result.lang``.

    ``top`` limits the list of main contributing factors; ``calibrated=False`` adds a note
    that the instrument's weights have not been calibrated against outcomes.
    """
    lang = result.lang
    lines: list[str] = []
    values = dict(
        title=result.instrument.title,
        version=result.instrument.version,
        total=_num(result.total),
        minimum=_num(result.minimum),
        maximum=_num(result.maximum),
        band=result.band.label if result.band else "-",
    )
    lines.append(message("ex.headline" if result.status == "complete" else "ex.incomplete", lang, **values))
    if result.protective_total is not None:
        lines.append(message("ex.protective_total", lang, total=_num(result.protective_total)))
    if result.judgement is not None:
        lines.append(message(
            "ex.final", lang, band=result.judgement.band.label,
            direction=message(f"ex.direction.{result.judgement.direction}", lang),
            reason=result.judgement.reason or message("ex.no_reason", lang),
        ))
    if result.target_group is not None:
        key = {True: "ex.target_yes", False: "ex.target_no", None: "ex.target_unknown"}[result.target_group.met]
        lines.append(message(key, lang, rule=result.target_group.rule, reasons="; ".join(result.target_group.reasons)))
    if result.probability is not None:
        p = result.probability
        ci = f" [{_pct(p.ci[0])}-{_pct(p.ci[1])}]" if p.ci else ""
        lines.append(message("ex.probability", lang, months=p.follow_up_months, value=_pct(p.value), ci=ci,
                             sample=p.sample, date=p.date))
    if calibrated is False:
        lines.append(message("ex.calibration", lang))

    risks = [c for c in result.contributions if c.kind == "risk" and c.points > 0]
    lines.append("")
    if risks:
        lines.append(message("ex.main", lang))
        lines.extend(_factor(c, lang) for c in risks[:top])
        if len(risks) > top:
            rest = sum(c.points for c in risks[top:])
            more = {"sv": f"  … och {len(risks) - top} till ({_signed(rest)} p)",
                    "en": f"  ... and {len(risks) - top} more ({_signed(rest)} pt)"}
            lines.append(more.get(lang, more["en"]))
    else:
        lines.append(message("ex.none_main", lang))

    lines.append("")
    if result.protective_factors:
        lines.append(message("ex.protective", lang))
        lines.extend(_factor(c, lang) for c in result.protective_factors)
    else:
        lines.append(message("ex.none_protective", lang))

    if result.domains:
        lines.append("")
        lines.append(message("ex.domains", lang))
        for domain in result.domains:
            lines.append(f"  {domain.label}: {_num(domain.subtotal)} ({_num(domain.minimum)}..{_num(domain.maximum)})")

    lines.append("")
    lines.append(message("ex.not_answered", lang))
    for key, refs in (("ex.missing", result.missing), ("ex.unknown", result.unknown), ("ex.na", result.not_applicable)):
        if refs:
            lines.append(f"  {message(key, lang)}: " + ", ".join(ref.label for ref in refs))
    lines.append(f"  {result.missing_rule.description}")

    if result.needs:
        lines.append("")
        lines.append(message("ex.needs", lang))
        for need in result.needs:
            helpers = "; ".join(f"{i['label']} ({i['agency_label']})" for i in need.interventions)
            lines.append(f"  - {need.label}" + (f": {helpers}" if helpers else ""))
    return "\n".join(lines) + "\n"


def _factor(c: Contribution, lang: str) -> str:
    unit = message("ex.points", lang)
    text = f"  {_signed(c.points):>6} {unit}  {c.label}: {c.response_label}"
    if c.critical:
        text += f" [{message('ex.critical', lang)}]"
    if c.note:
        text += f" – {c.note}"
    return text


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def _signed(value: float) -> str:
    text = _num(value)
    return text if text.startswith("-") else "+" + text


def _pct(value: float) -> str:
    return f"{value * 100:.0f} %"
