"""The headless commands on a playbook: validate a file, show one (as text or JSON)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tui.console import print_json
from tui.exit_codes import EXIT_OK
from tui.text import t


def playbook_validate(args: argparse.Namespace) -> int:
    from tui.playbook.loader import load_playbook
    from tui.state.language import default_lang

    playbook = load_playbook(Path(args.file))
    print(t("playbook.valid", default_lang(args.lang), file=args.file, sections=len(playbook.sections),
            steps=len(playbook.steps())))
    return EXIT_OK


def playbook_show(args: argparse.Namespace) -> int:
    from tui.playbook.loader import load_builtin, load_playbook
    from tui.state.language import default_lang

    playbook = load_playbook(Path(args.playbook)) if args.playbook else load_builtin()
    return show_playbook(playbook, default_lang(args.lang), args.json)


def show_playbook(playbook: Any, lang: str, as_json: bool) -> int:
    """The one body of ``koppel playbook show``, for the validated playbook or its plain cached copy."""
    if as_json:
        print_json(playbook_as_json(playbook, lang))
        return EXIT_OK
    print(f"{playbook.title.get(lang)} ({playbook.source})")
    for number, section in enumerate(playbook.sections, 1):
        print(f"\n{number}. {section.title.get(lang)}" + (f"  [{section.menu_path}]" if section.menu_path else ""))
        for step in section.steps:
            extras = [t(f"kind.{step.kind}", lang)] + ([t("scope.administratie", lang)] if step.scope == "administratie"
                                                        else []) + ([t("detail.optional", lang)] if step.optional else [])
            print(f"   - {step.title.get(lang)}  ({step.id}; {', '.join(extras)})")
            if step.menu_path:
                print(f"       {step.menu_path}")
    return EXIT_OK


def playbook_as_json(playbook: Any, lang: str) -> dict[str, Any]:
    def step_json(step: Any) -> dict[str, Any]:
        return {
            "id": step.id, "title": step.title.get(lang), "kind": step.kind, "menu_path": step.menu_path,
            "instructions": [i.text.get(lang) + (f"\n{i.result.get(lang)}" if i.result else "") for i in step.instructions],
            "warnings": [{"kind": w.kind, "label": w.label(lang), "text": w.text.get(lang)} for w in step.warnings],
            "requires": list(step.requires), "scope": step.scope, "optional": step.optional,
            "check": step.check.name if step.check else None,
            "fields": [{"id": f.id, "label": f.label.get(lang), "type": f.type, "required": f.required,
                        "choices": f.choices, "rules": [r.name for r in f.rules]} for f in step.fields],
        }

    return {"id": playbook.id, "title": playbook.title.get(lang), "source": playbook.source, "lang": lang,
            "sections": [{"id": s.id, "title": s.title.get(lang), "menu_path": s.menu_path,
                          "steps": [step_json(step) for step in s.steps]} for s in playbook.sections]}
