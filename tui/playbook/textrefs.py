"""Field references in koppel's own lines of playbook text: ``{step_id:field}`` shows what the
admin answered earlier where the note refers to it (the unpack folder in De stap Gateway, the
administrator's e-mail where it is asked for again), ``{section:id}`` names a section with how far
it is and its next open step, ``{administratie}`` the administratie of a scoped step.

Checked when the playbook loads (``problems``): an unknown step, field or section is a located
error, and so is a secret field, which is never shown. Shown (``render``) an unanswered field reads
as a placeholder that says so, never as a blank. A field of a step that repeats per administratie
reads that administratie's answer inside such a step, and "Demo BV: DEMO; Holding BV: HOLD" outside.
"""

from __future__ import annotations

from typing import Any, Iterable

from tui.playbook.names import did_you_mean
from tui.playbook.model import ADMINISTRATIE_REF, PARAM_REF, Playbook, Step
from tui.text import answer_text

SECTION_REF = "section"

_UNANSWERED = {"nl": "nog niet ingevuld", "en": "not filled in yet"}
_NEXT = {"nl": "volgende", "en": "next"}


def problems(where: str, text: str, step: Step | None, steps: dict[str, Step], section_ids: Iterable[str]) -> list[str]:
    """Located problems of the references in ``text`` (``where`` is its path in the TOML file);
    ``step`` is the step the text belongs to (None for the playbook's own lines)."""
    sections = list(section_ids)
    found = []
    for match in PARAM_REF.finditer(text):
        name, field_id = match.group(1), match.group(2)
        shown = match.group(0)
        if field_id is None:
            if name != ADMINISTRATIE_REF:
                found.append(f"{where}: unknown reference '{shown}' (use {{step_id:field}}, {{section:id}} "
                             f"or {{administratie}})")
            elif step is None or step.scope != "administratie":
                found.append(f"{where}: '{shown}' only exists in a step with scope 'administratie'")
        elif name == SECTION_REF:
            if field_id not in sections:
                found.append(f"{where}: unknown section '{field_id}'{did_you_mean(field_id, sections)}")
        elif name not in steps:
            found.append(f"{where}: unknown step '{name}'{did_you_mean(name, steps)}")
        elif (field := steps[name].field(field_id)) is None:
            known = [f.id for f in steps[name].fields]
            found.append(f"{where}: step '{name}' has no field '{field_id}'{did_you_mean(field_id, known)}")
        elif field.secret:
            found.append(f"{where}: '{shown}' is a secret field, which koppel never shows")
    return found


def playbook_problems(playbook: Playbook) -> list[str]:
    """Every reference of every context line in ``playbook``, and each line's place."""
    steps = {step.id: step for step in playbook.steps()}
    section_ids = [section.id for section in playbook.sections]
    found = []
    for c, line in enumerate(playbook.context):
        for lang in ("nl", "en"):
            found += problems(f"context[{c}].text.{lang}", getattr(line.text, lang), None, steps, section_ids)
        if line.after is not None:
            found.append(f"context[{c}].after: the introduction has no instructions")
    for s, section in enumerate(playbook.sections):
        for t, step in enumerate(section.steps):
            for c, line in enumerate(step.context):
                at = f"sections[{s}].steps[{t}].context[{c}]"
                for lang in ("nl", "en"):
                    found += problems(f"{at}.text.{lang}", getattr(line.text, lang), step, steps, section_ids)
                if line.after is not None and not 1 <= line.after <= len(step.instructions):
                    found.append(f"{at}.after: instruction {line.after} does not exist "
                                 f"(the step has {len(step.instructions)})")
    return list(dict.fromkeys(found))


def render(text: str, session: Any, lang: str, administratie: str | None = None, *, ascii_mode: bool = False) -> str:
    """``text`` with its references filled in from ``session`` (anything with ``playbook``,
    ``state``, ``refs()``, ``section_progress()`` and ``status()``, as tui.state.session.Session)."""

    def value(match: Any) -> str:
        name, field_id = match.group(1), match.group(2)
        if field_id is None:
            return (administratie or match.group(0)) if name == ADMINISTRATIE_REF else match.group(0)
        if name == SECTION_REF:
            return _section(session, field_id, lang)
        return _answer(session, name, field_id, lang, administratie, ascii_mode)

    return PARAM_REF.sub(value, text)


def _section(session: Any, section_id: str, lang: str) -> str:
    section = session.playbook.section(section_id)
    done, total = session.section_progress(section_id)
    shown = f"{section.title.get(lang)} ({done}/{total}"
    for ref in session.refs():
        if ref.section.id == section_id and session.status(ref.key) not in ("done", "skipped"):
            return f"{shown}; {_NEXT[_lang(lang)]}: {ref.title(lang)})"
    return shown + ")"


def _answer(session: Any, step_id: str, field_id: str, lang: str, administratie: str | None, ascii_mode: bool) -> str:
    step = session.playbook.step(step_id)

    def one(key: str) -> str:
        shown = answer_text(session.state.peek(key).answers.get(field_id), lang)
        left, right = ("<", ">") if ascii_mode else ("‹", "›")
        return shown or f"{left}{step.field(field_id).label.get(lang)}: {_UNANSWERED[_lang(lang)]}{right}"

    if step.scope != "administratie" or not session.state.administraties:
        return one(step_id)
    if administratie:  # a scoped step reads its own administratie's answer
        return one(f"{step_id}@{administratie}")
    return "; ".join(f"{name}: {one(f'{step_id}@{name}')}" for name in session.state.administraties)


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "nl"
