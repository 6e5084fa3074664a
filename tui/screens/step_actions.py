"""The step actions of the checklist screen, and the one gate they pass: the keys table.

Mixed into MainScreen (tui/screens/main.py), which holds the session, the tree and the detail.
"""

from __future__ import annotations

from typing import Any

from textual.actions import parse as parse_action
from textual.widgets import Input, Select, Tree

from tui.keys import Now, Verdict, by_action, row, verdict_for_key
from tui.screens.dialogs import ConfirmDialog, SkipDialog
from tui.text import t
from tui.widgets.keyed import WHY


class StepActions:
    """Whether a key applies is asked of its row in tui.keys (``check_action`` for keys, ``perform``
    for buttons and the palette); the actions themselves only act."""

    session: Any
    runs: Any  # the runner's RunRegistry
    _copying: Any

    # -- keys that apply now (the keys table decides; the actions only act) -----------------
    def now(self) -> Now:
        key, session = self.key, self.session
        step = session.ref(key).step if key is not None and session.has(key) else None
        return Now(step, session.status(key) if step else "", self._check_runs(key), session.read_only,
                   copying=self._copying is not None, copy_text=bool(step and key and self._copy_text(key)),
                   all_done=session.next_open(key) is None, in_list=isinstance(self.app.focused, Tree),
                   tree_hidden=self.has_class("-tree-hidden"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """True: the key applies; None: it would, but not now (greyed out); False: not here (hidden)."""
        if action == WHY:
            return not self._typing()
        rows = by_action(action)
        if not rows or rows[0].scope != "main":
            return True
        if self._typing() and not rows[0].typing_safe:
            return False
        state = rows[0].applies(self.now()).state
        return True if state == "shown" else None if state == "greyed" else False

    def _typing(self) -> bool:
        """A field that takes text or a choice has the keys: no letter is a command there."""
        return isinstance(self.app.focused, (Input, Select))

    def _choosing(self) -> bool:
        return isinstance(self.app.focused, Select)

    def verdict(self, key_id: str) -> Verdict:
        """Whether a key would do something now, wherever the focus is (the palette, the buttons)."""
        return row(key_id).applies(self.now())

    def perform(self, key_id: str, *args: object) -> bool:
        """A key's action from a button or the palette: done when it applies, else said why."""
        verdict = self.verdict(key_id)
        if not verdict.shown:
            self.say_why(verdict)
            return False
        namespace, name, params = parse_action(row(key_id).action)
        getattr(self.app if namespace == "app" else self, f"action_{name}")(*(args or params))
        return True

    def action_why(self, name: str) -> None:
        """A key that does nothing here: one line on why (never silence)."""
        self.say_why(verdict_for_key("main", name, self.now()))

    def say_why(self, verdict: Verdict) -> None:
        if not verdict.reason:
            return
        key = self.key
        names = ", ".join(b.title(self.lang) for b in self.session.blockers(key)) if key else ""
        self.say(t(verdict.reason, self.lang, names=names))

    def _check_runs(self, key: str | None) -> bool:
        return self.runs.active(key)

    # the actions run only where the keys table lets them (bindings, perform): they just act
    def _at(self) -> str:
        key = self.key
        assert key is not None, "a step action without a step: the keys table lets none through"
        return key

    def action_next_open(self, backwards: bool = False) -> None:
        self.goto(self.session.next_open(self.key, backwards=backwards))

    def action_confirm(self, note: str | None = None) -> None:
        key = self._at()
        title = self.session.ref(key).title(self.lang)
        if self.session.ref(key).step.check is not None and not self._check_is_na(key):
            self.app.push_screen(ConfirmDialog(t("dlg.confirm_check", self.lang, title=title), self.lang),
                                 lambda yes: yes and self._confirm(key, ""))
        else:
            self._confirm(key, self.detail.note() if note is None else note)

    def _check_is_na(self, key: str) -> bool:
        result = self.session.step_state(key).result
        return result is not None and result.status == "na"

    def _confirm(self, key: str, note: str) -> None:
        if self._guard(self.session.confirm, key, note):
            self._completed(key)
            self.say(t("msg.saved", self.lang))

    def action_reopen(self) -> None:
        key = self._at()
        title = self.session.ref(key).title(self.lang)
        self.app.push_screen(ConfirmDialog(t("dlg.reopen", self.lang, title=title), self.lang),
                             lambda yes: yes and self._reopen(key))

    def _reopen(self, key: str) -> None:
        if self._guard(self.session.reopen, key):
            self.step_changed()

    def _completed(self, key: str, stay: bool = False) -> None:
        """A step is done: on to the next open one (unless it should ``stay`` in view), back in the list."""
        self.step_changed()
        nxt = None if stay else self.session.next_open(key)
        if nxt is not None and nxt != key:
            self.goto(nxt)
        if not self.has_class("-tree-hidden"):
            self.tree.focus()

    def action_skip(self) -> None:
        key = self._at()
        ref = self.session.ref(key)

        def skip(reason: str | None) -> None:
            if reason and self._guard(self.session.skip, key, reason):
                self._completed(key)

        self.app.push_screen(SkipDialog(ref.title(self.lang), self.lang), skip)

    def _copy_text(self, key: str) -> str:
        result = self.session.step_state(key).result
        evidence = result.evidence if result else {}
        return str(evidence.get("clipboard") or "")

    def action_copy(self) -> None:
        key = self._at()
        step = self.session.ref(key).step
        if step.copy_from:
            self.copy_by_check(key)
            return
        text = self._copy_text(key) or step.menu_path or ""
        if not text:
            self.say(t("msg.no_copy", self.lang))
            return
        self.app.copy_to_clipboard(text)
        preview = text if len(text) <= 60 else text[:57] + "..."
        self.say(f"{t('msg.copied', self.lang)}: {preview}")

    def action_cancel(self) -> None:
        run = self.runs.get(self.key)
        if run is not None and run.active and run.worker is not None:
            run.worker.cancel()
            self.say(t("msg.cancelled", self.lang))

    def action_back(self) -> None:
        if not self.has_class("-tree-hidden"):
            self.tree.focus()
