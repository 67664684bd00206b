"""The guided assessment in the terminal: one item at a time, every answer saved at once.

Drives :class:`riskmanual.case.flow.Flow` with prompt_toolkit (completion of the answers, in
both languages). Ctrl-C, a closed terminal or ``kill -9`` lose at most the answer being typed.
"""

from __future__ import annotations

from typing import Any

import click

from ..instrument import NumericResponse
from ..messages import message, render, tr
from ..text import localize

COMMANDS = {
    "sv": "Svara med nummer, kod eller text. ? = definition och källor, < = föregående, - = hoppa över (saknas), "
          "g ID = gå till fråga, n TEXT = anteckning, k TEXT = informationskälla, q = avbryt (utkastet är sparat).",
    "en": "Answer by number, code or text. ? = definition and sources, < = back, - = skip (missing), "
          "g ID = go to item, n TEXT = note, k TEXT = source of information, q = stop (the draft is saved).",
}


def _ask(text: str, words: list[str]) -> str:
    from prompt_toolkit import prompt
    from prompt_toolkit.completion import WordCompleter

    return prompt(text, completer=WordCompleter(words, ignore_case=True, sentence=True))


def run(store: Any, draft_id: int, version: int, flow: Any, alias: str, lang: str) -> bool:
    """Go through the items; return True when the assessor confirms the finished answers."""
    from ..case.drafts import save_draft
    from ..case.flow import FlowError

    instrument = flow.instrument
    click.echo(render(tr("Draft {id} for {pseudonym}: {title}", id=draft_id, pseudonym=alias,
                         title=f"{localize(instrument.title, lang)} {instrument.version}")))
    click.echo(COMMANDS[lang])
    while True:
        item = flow.current
        if item is None:
            if _review(flow, lang) and _judgement(flow, lang):
                save_draft(store, draft_id, version, flow)
                return True
            flow.back()
            continue
        number, total = flow.progress()
        domain = localize(instrument.domains_by_id[item.domain].label, lang)
        click.echo("")
        click.secho(f"{number} / {total}  {domain}", dim=True)
        click.secho(localize(item.label, lang), bold=True)
        if item.question:
            click.echo(localize(item.question, lang))
        levels = (item.guidance.levels or {}) if item.guidance else {}
        choices = flow.choices(item, lang)
        if isinstance(item.response, NumericResponse):  # a number is typed; the specials only in words
            click.echo("  " + render(tr("write a number from {min} to {max}", min=item.response.min,
                                        max=item.response.max)) + "".join(f"; {c.label}" for c in choices))
        else:
            for choice in choices:
                guide = f" – {localize(levels[choice.code], lang)}" if choice.code in levels else ""
                click.echo(f"  {choice.number}  {choice.label}{guide}")
        if item.id in flow.answers:
            click.echo(render(tr("(now: {answer})", answer=str(flow.answers[item.id]))))
        words = [c.label for c in choices] + [c.code for c in choices]
        try:
            typed = _ask("> ", words).strip()
        except EOFError:
            typed = "q"
        try:
            if typed in ("q", ":q"):
                click.echo(render(tr("The draft is saved: continue with 'riskmanual assess --resume {id}'.",
                                     id=draft_id)))
                return False
            if typed == "?":
                _guidance(item, lang)
                continue
            if typed == "<":
                flow.back()
                continue
            if typed == "-":
                flow.skip(as_unknown=False)
            elif typed.startswith("g "):
                flow.goto(typed[2:].strip())
                continue
            elif typed.startswith("n "):
                flow.note(typed[2:].strip())
                click.echo(render(tr("Note saved.")))
            elif typed.startswith("k "):
                flow.source(typed[2:].strip())
                click.echo(render(tr("Note saved.")))
            else:
                critical = flow.answer(typed, lang)
                if critical:
                    rule = item.critical_rule
                    reason = f" {localize(rule.reason, lang)}" if rule is not None and rule.reason else ""
                    click.secho("! " + render(tr("Critical answer: the assessor must review it.")) + reason, bold=True)
        except FlowError as error:
            click.echo(render(error.msg))
            continue
        version = save_draft(store, draft_id, version, flow)


def _guidance(item: Any, lang: str) -> None:
    guidance = item.guidance
    if guidance is None:
        click.echo(render(tr("No guidance for this item.")))
        return
    click.echo(localize(guidance.definition, lang))
    if guidance.sources:
        click.echo(render(tr("Sources: {sources}", sources="; ".join(localize(s, lang) for s in guidance.sources))))
    if guidance.time_window:
        click.echo(render(tr("Time window: {window}", window=localize(guidance.time_window, lang))))


def _review(flow: Any, lang: str) -> bool:
    click.echo("")
    click.secho(render(tr("Your answers:")), bold=True)
    for item in flow.items():
        value = flow.answers.get(item.id)
        if value is None:
            shown = render(tr("not answered"))
        else:
            shown = next((c.label for c in flow.choices(item, lang) if c.code == value), str(value))
        click.echo(f"  {localize(item.label, lang)}: {shown}")
    try:
        typed = _ask(render(tr("Save the assessment? (yes/no) ")), [message("yes", lang), message("no", lang)])
        typed = typed.strip().casefold()
    except EOFError:
        typed = ""
    return typed in ("ja", "j", "yes", "y")


def _judgement(flow: Any, lang: str) -> bool:
    """Where the instrument lets the assessor rate or adjust the band, ask for it with its reason;
    False when the answers could not be scored (the error is shown and the review starts again)."""
    from ..case.flow import FlowError
    from ..errors import RiskmanualError
    from ..scoring import score

    rules = flow.instrument.judgement
    if rules.final_rating != "assessor" and not rules.override.allowed:
        return True
    try:
        result = score(flow.instrument, {k: v for k, v in flow.document().items() if k != "judgement"}, lang=lang)
    except RiskmanualError as error:
        click.echo(error.render(lang))
        return False
    if result.band is None:
        return True  # incomplete: there is no band to adjust
    bands = [b.id for b in flow.instrument.bands]
    labels = ", ".join(f"{b.id} ({localize(b.label, lang)})" for b in flow.instrument.bands)
    click.echo(render(tr("The computed band is {band}.", band=localize(result.band.label, lang))))
    while True:
        if rules.final_rating == "assessor":
            question = render(tr("Your final band ({bands}): ", bands=labels))
        else:
            question = render(tr("Adjust the band? Press Enter to keep it, or give another ({bands}): ", bands=labels))
        try:
            band = _ask(question, bands).strip()
            if not band and rules.final_rating != "assessor":
                flow.judgement = None
                return True
            reason = _ask(render(tr("Reason for the band: ")), []).strip()
            flow.judge(band, reason)
            return True
        except FlowError as error:
            click.echo(render(error.msg))
        except EOFError:
            return False


def offer_starting_answers(start: Any, lang: str) -> bool:
    """Ask whether a screening's answers become the starting answers of this assessment."""
    ref, date, answers = start
    try:
        typed = _ask(render(tr("{n} answers from {instrument} of {date} can be the starting answers (you go through "
                               "every item). Use them? (yes/no) ", n=len(answers), instrument=ref,
                               date=date.isoformat())), [message("yes", lang), message("no", lang)])
    except EOFError:
        return False
    return typed.strip().casefold() in ("ja", "j", "yes", "y")
