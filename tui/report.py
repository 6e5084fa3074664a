"""A hand-over report of one server's checklist: Markdown for people, JSON for tools.

Plain Python (no Textual). Answers come from the state, which never holds secrets; the session's
scrub() masks anything typed this session as well, and a password in an address (a state from before
koppel refused those).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tui.state.model import now
from tui.state.session import Session

STATUS_WORDS = {
    "nl": {"todo": "te doen", "running": "bezig", "done": "gereed", "failed": "mislukt",
           "skipped": "overgeslagen", "interrupted": "onderbroken", "blocked": "geblokkeerd"},
    "en": {"todo": "to do", "running": "running", "done": "done", "failed": "failed",
           "skipped": "skipped", "interrupted": "interrupted", "blocked": "blocked"},
}


def report_data(session: Session, at: datetime | None = None) -> dict[str, Any]:
    done, total = session.progress()
    steps = []
    for ref in session.refs():
        entry = session.step_state(ref.key)
        steps.append({
            "id": ref.key, "section": ref.section.title.get(session.lang), "title": ref.title(session.lang),
            "menu_path": ref.step.menu_path, "status": session.status(ref.key),
            "updated_at": entry.updated_at.isoformat() if entry.updated_at else None, "by": entry.by,
            "answers": entry.answers, "note": entry.note, "skip_reason": entry.skip_reason,
            "result": entry.result.model_dump(mode="json", exclude={"evidence"}) if entry.result else None,
        })
    return session.scrub_value({
        "server": session.state.server, "playbook": session.playbook.id, "source": session.playbook.source,
        "generated_at": (at or now()).isoformat(), "done": done, "total": total,
        "administraties": session.state.administraties, "steps": steps})


def report_markdown(session: Session, at: datetime | None = None) -> str:
    data = report_data(session, at)
    lang = session.lang
    words = STATUS_WORDS["en" if lang == "en" else "nl"]
    heading = "Hand-over report" if lang == "en" else "Overdrachtsrapport"
    lines = [f"# {heading}: {data['server']}", "",
             f"{session.playbook.title.get(lang)} ({data['source']}): **{data['done']}/{data['total']}**",
             f"{'Generated' if lang == 'en' else 'Gemaakt'}: {data['generated_at'][:16].replace('T', ' ')} UTC", ""]
    section = None
    for step in data["steps"]:
        if step["section"] != section:
            section = step["section"]
            lines += [f"## {section}", ""]
        lines.append(f"- **{step['title']}**: {words.get(step['status'], step['status'])}"
                     + (f" ({step['by']}, {step['updated_at'][:16].replace('T', ' ')})" if step["updated_at"] else ""))
        if step["menu_path"]:
            lines.append(f"  - `{step['menu_path']}`")
        for key, value in step["answers"].items():
            shown = ", ".join(map(str, value)) if isinstance(value, list) else value
            lines.append(f"  - {key}: {shown}")
        if step["note"]:
            lines.append(f"  - {'note' if lang == 'en' else 'notitie'}: {step['note']}")
        if step["skip_reason"]:
            lines.append(f"  - {'reason' if lang == 'en' else 'reden'}: {step['skip_reason']}")
        if step["result"]:
            result = step["result"]
            lines.append(f"  - {result['status']}: {result['message']}")
            if result["hint"] and result["status"] != "ok":
                lines.append(f"  - {'hint' if lang == 'en' else 'tip'}: {result['hint']}")
    return session.scrub("\n".join(lines) + "\n")
