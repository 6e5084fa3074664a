"""A hand-over report of one server's checklist: Markdown for people, JSON for tools.

The Markdown speaks the admin's language: the fields' labels, values as a person reads them (ja/nee,
"—" for nothing), one word per status (tui.text.status_word) and the count everything shows
(tui.state.counts). The JSON keeps the ids and raw values, for tools.

Plain Python (no Textual). Answers come from the state, which never holds secrets; the session's
scrub() masks anything typed this session as well, and a password in an address (a state from before
koppel refused those).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tui.state.model import now
from tui.state.session import Session, StepRef
from tui.text import answer_text, status_said, status_word, t


def report_data(session: Session, at: datetime | None = None) -> dict[str, Any]:
    steps = []
    for ref in session.refs():
        entry = session.step_state(ref.key)
        steps.append({
            "id": ref.key, "section": ref.section.title.get(session.lang), "title": ref.title(session.lang),
            "menu_path": ref.step.menu_path, "status": session.status(ref.key), "check_since": entry.check_since,
            "updated_at": entry.updated_at.isoformat() if entry.updated_at else None, "by": entry.by,
            "answers": entry.answers, "note": entry.note, "skip_reason": entry.skip_reason,
            "result": entry.result.model_dump(mode="json", exclude={"evidence"}) if entry.result else None,
        })
    return session.scrub_value({
        "server": session.state.server, "playbook": session.playbook.id, "source": session.playbook.source,
        "generated_at": (at or now()).isoformat(), **session.count().as_json(),
        "administraties": session.state.administraties, "steps": steps})


def _when(iso: str) -> str:
    return iso[:16].replace("T", " ")


def _answer_lines(ref: StepRef, answers: dict[str, Any], lang: str) -> list[str]:
    """Each field of the step by its label, in the playbook's order, with its answer as a person
    reads it ("—" when empty); answers of fields the playbook no longer has come last, by name."""
    empty = t("value.empty", lang)
    fields = [f for f in ref.step.fields if not f.secret]  # a secret is never stored, so never shown
    lines = [f"  - {f.label.get(lang)}: {answer_text(answers.get(f.id), lang) or empty}" for f in fields]
    known = {f.id for f in ref.step.fields}
    lines += [f"  - {name}: {answer_text(value, lang) or empty}" for name, value in answers.items() if name not in known]
    return lines


def report_markdown(session: Session, at: datetime | None = None) -> str:
    data = report_data(session, at)
    lang = session.lang
    count = session.count()
    lines = [f"# {t('report.title', lang)}: {data['server']}", "",
             f"{session.playbook.title.get(lang)} ({data['source']}): **{count.ratio} {status_word('done', lang)}**"
             + (f" ({count.details(lang)})" if count.details(lang) else ""),
             f"{t('report.generated', lang)}: {_when(data['generated_at'])} UTC"]
    if data["administraties"]:
        lines.append(f"{t('report.administraties', lang)}: {', '.join(data['administraties'])}")
    lines.append("")
    section = None
    for ref, step in zip(session.refs(), data["steps"]):
        if step["section"] != section:
            section = step["section"]
            lines += ([""] if lines[-1] else []) + [f"## {section}", ""]
        said = status_said(step["status"], lang, step["check_since"])
        stamp = f" ({t('report.by', lang, by=step['by'])}, {_when(step['updated_at'])})" if step["by"] and step["updated_at"] \
            else f" ({_when(step['updated_at'])})" if step["updated_at"] else ""
        lines.append(f"- **{step['title']}**: {said}{stamp}")
        if step["menu_path"]:
            lines.append(f"  - `{step['menu_path']}`")
        if step["answers"]:
            lines += _answer_lines(ref, step["answers"], lang)
        if step["note"]:
            lines.append(f"  - {t('detail.note', lang)}: {step['note']}")
        if step["skip_reason"]:
            lines.append(f"  - {t('report.reason', lang)}: {step['skip_reason']}")
        if step["result"]:
            result = step["result"]
            verdict = t("result." + result["status"], lang)
            lines.append(f"  - {t('detail.last_result', lang)}: {verdict}" + (f": {result['message']}" if result["message"] else ""))
            if result["hint"] and result["status"] != "ok":
                lines.append(f"  - {t('report.hint', lang)}: {result['hint']}")
    return session.scrub("\n".join(lines) + "\n")
