"""The checklist screen: the tree on the left, the selected step on the right, and every step action.

All writes go through the session (which saves through the store); widgets only show and report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.actions import parse as parse_action
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Input, Tree
from textual.worker import Worker

from tui.keys import Now, Verdict, by_action, row, verdict_for_key
from tui.runs import Outcome, Run, RunRegistry, StepRunner
from tui.screens.dialogs import ConfirmDialog, SkipDialog
from tui.state.session import DONE, NOTE_DRAFT, SaveFailed, SessionError
from tui.text import t
from tui.widgets.checklist import ChecklistTree, NodeInfo
from tui.widgets.footer import KoppelFooter
from tui.widgets.header import StatusHeader
from tui.widgets.keyed import WHY, bindings, install
from tui.widgets.step_detail import StepDetail, View
from tui.widgets.step_form import StepForm

if TYPE_CHECKING:
    from tui.app import KoppelApp

NARROW_WIDTH = 80
SAVE_WATCH = 1.0  # s: how often a failed save is looked for (the background saver's) and retried
# what a step's "c" copies by running another step's check, by check name (else just "Tekst")
COPIED_WHAT = {"licence_pdf": "copy.licence_text"}


class MainScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = bindings("main")

    app: KoppelApp

    def __init__(self, lang: str = "nl") -> None:
        super().__init__()
        install(self, "main", lang)
        self.runner: StepRunner | None = None  # made on first use, when the app is there
        self._copying: Worker[None] | None = None
        self._unsaved: str | None = None  # the last save failure said, until a save succeeds again

    @property
    def runs(self) -> RunRegistry:
        """What is running, as the runner keeps it (the detail pane asks the same registry)."""
        return self._runner().runs

    def _runner(self) -> StepRunner:
        if self.runner is None:
            self.runner = StepRunner(self.session, log_file=self.app.log_file, clipboard=self.app.copy_to_clipboard)
        return self.runner

    @property
    def session(self) -> Any:
        return self.app.session

    @property
    def lang(self) -> str:
        return self.session.lang

    def compose(self) -> ComposeResult:
        yield StatusHeader(id="header")
        with Horizontal(id="body"):
            yield ChecklistTree(self.session, ascii_mode=self.app.ascii_mode, id="tree")
            detail = StepDetail(self.session, ascii_mode=self.app.ascii_mode, id="detail")
            detail.runs = self.runs
            yield detail
        yield KoppelFooter()

    @property
    def tree(self) -> ChecklistTree:
        return self.query_one(ChecklistTree)

    @property
    def detail(self) -> StepDetail:
        return self.query_one(StepDetail)

    def on_mount(self) -> None:
        self.tree.border_title = "Checklist"
        self.tree.rebuild()
        self.update_header()
        start = self.session.state.cursor
        if start and self.session.has(start):
            self.goto(start)
        else:  # a first visit opens on the note's introduction
            self.tree.select_overview()
        self.tree.focus()
        # once the tree has its size: scroll so the cursor shows with as much as possible above it
        self.call_after_refresh(self._scroll_to_cursor)
        self.set_interval(SAVE_WATCH, self.retry_saves)

    def _scroll_to_cursor(self) -> None:
        tree = self.tree
        tree.scroll_home(animate=False, immediate=True)
        if tree.cursor_node is not None:
            tree.scroll_to_node(tree.cursor_node, animate=False)

    # -- layout ---------------------------------------------------------------------------
    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")
        self.call_after_refresh(self._scroll_to_cursor)  # a shorter list must still show where we are

    def action_toggle_tree(self) -> None:
        self.toggle_class("-tree-hidden")
        if self.has_class("-tree-hidden"):
            self.detail.focus()
        else:
            self.tree.focus()

    def update_header(self) -> None:
        header = self.query_one(StatusHeader)
        header.server = self.session.state.server
        header.playbook = self.session.playbook.source or self.session.playbook.id
        header.done, header.total = self.session.progress()
        header.lang = self.lang
        header.ascii_mode = self.app.ascii_mode
        header.read_only = self.session.read_only
        header.unsaved = self._unsaved is not None

    def refresh_all(self) -> None:
        """After a change of language or ASCII mode: redraw everything from the session."""
        self.tree.set_ascii(self.app.ascii_mode)
        self.detail.ascii_mode = self.app.ascii_mode
        self.tree.refresh_statuses()
        self.detail.refresh_view()
        self.update_header()
        self.refresh_bindings()

    def step_changed(self) -> None:
        self.tree.refresh_statuses()
        if self.key is not None:
            self._title_detail(self.key)
        self.detail.refresh_view()
        self.update_header()
        self.refresh_bindings()

    # -- where we are ---------------------------------------------------------------------
    @property
    def key(self) -> str | None:
        return self.detail._wanted.key

    def goto(self, key: str | None) -> None:
        if key is None:
            return
        self.tree.select_key(key)
        self._show_key(key)

    def _show_key(self, key: str) -> None:
        self._title_detail(key)
        self.detail.show(View(key))
        self.session.set_cursor(key)
        self.refresh_bindings()

    def _title_detail(self, key: str) -> None:
        section = self.session.ref(key).section
        done, total = self.session.section_progress(section.id)
        self.detail.border_title = f"{section.title.get(self.lang)} {done}/{total}"

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted[NodeInfo]) -> None:
        info = event.node.data
        if info is None:
            return
        if info.key is not None:
            self._show_key(info.key)
        elif info.overview:
            self.detail.border_title = self.session.playbook.source
            self.detail.show(View(None, overview=True))
            self.refresh_bindings()
        else:
            section = self.session.playbook.section(info.section_id)
            self.detail.border_title = section.title.get(self.lang)
            self.detail.show(View(None, info.section_id, info.step_id))
            self.refresh_bindings()

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[NodeInfo]) -> None:
        node = event.node
        if node.data is not None and node.data.key is not None:
            self.app.keys.hold()  # what is typed after enter belongs to the form, once it has the focus
            self.call_after_refresh(self._focus_form)
        elif node.allow_expand:
            node.toggle()

    def _focus_form(self) -> None:
        self.detail.focus_first()
        self.app.call_later(self.app.keys.release)  # behind the focus change, which focus() queues on the app

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
        return isinstance(self.app.focused, Input)

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
        self.notify(t(verdict.reason, self.lang, names=names), severity="warning", timeout=4)

    def _check_runs(self, key: str | None) -> bool:
        return self.runs.active(key)

    # -- step actions ---------------------------------------------------------------------
    def _guard(self, action: Any, *args: Any) -> bool:
        try:
            action(*args)
        except SessionError as error:
            self.refused(error)
            return False
        return True

    def refused(self, error: SessionError) -> None:
        """What the checklist does not allow (a warning), or a save that failed (an error; the
        change may be kept in memory, so the views show what the session now holds)."""
        if isinstance(error, SaveFailed):
            self.save_failed(error)
            self.step_changed()
        else:
            self.notify(str(error), severity="warning")

    # -- saves that fail (a full disk, a read-only folder) ---------------------------------
    def save_failed(self, error: SessionError, then: str = "") -> None:
        """Said once per distinct failure (and whenever there is ``then`` to add); the header says
        "not saved" until a save succeeds."""
        if str(error) != self._unsaved or then:
            self.notify(f"{error}\n{then}".strip(), title=t("msg.not_saved", self.lang), severity="error",
                        timeout=30 if then else 20)
        self._unsaved = str(error)
        self.update_header()

    def retry_saves(self) -> None:
        """A failed background save (drafts, the cursor) is said too; while anything is unsaved,
        each call writes it again, so the header clears once the disk lets it."""
        if self.session.read_only or (self._unsaved is None and not self.session.save_error):
            return
        try:
            self.session.flush()
        except SaveFailed as error:  # not refused(): no redraw under the admin's typing
            self.save_failed(error)
            return
        if self._unsaved is not None:
            self._unsaved = None
            self.update_header()
            self.notify(t("msg.saved_again", self.lang), timeout=4)

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
            self.notify(t("msg.saved", self.lang), timeout=2)
            self._completed(key)

    def action_reopen(self) -> None:
        key = self._at()
        title = self.session.ref(key).title(self.lang)
        self.app.push_screen(ConfirmDialog(t("dlg.reopen", self.lang, title=title), self.lang),
                             lambda yes: yes and self._reopen(key))

    def _reopen(self, key: str) -> None:
        if self._guard(self.session.reopen, key):
            self.step_changed()

    def _completed(self, key: str) -> None:
        """A step is done: on to the next open one, back in the list."""
        self.step_changed()
        nxt = self.session.next_open(key)
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
            self.notify(t("msg.no_copy", self.lang), severity="warning")
            return
        self.app.copy_to_clipboard(text)
        preview = text if len(text) <= 60 else text[:57] + "..."
        self.notify(preview, title=t("msg.copied", self.lang), timeout=3)

    def copy_by_check(self, key: str) -> None:
        """Text that is never stored (the licence): run the ``copy_from`` step's check again with
        the clipboard, in a worker; the check puts the text there."""
        ref = self.session.ref(key)
        source_id = ref.step.copy_from
        assert source_id is not None
        scoped = f"{source_id}@{ref.administratie}"  # a scoped source: the same administratie's
        source_key = scoped if ref.administratie and self.session.has(scoped) else source_id
        self._copying = self.app.run_worker(
            self._run_copy_check(source_key), group="copy", exclusive=True, exit_on_error=False,
            description=f"copy for {key} by the check of {source_key}")
        self.refresh_bindings()

    async def _run_copy_check(self, source_key: str) -> None:
        check = self.session.ref(source_key).step.check
        assert check is not None
        copied: list[str] = []

        def clipboard(text: str) -> None:
            self.app.copy_to_clipboard(text)
            copied.append(text)

        runner = StepRunner(self.session, log_file=self.app.log_file, clipboard=clipboard, runs=self.runs)
        try:  # a run that only looks: the source step's record stays as it is
            outcome = await runner.run(source_key, record=False)
        finally:
            self._copying = None
            self.refresh_bindings()
        result = outcome.result
        assert result is not None
        if copied:
            what = t(COPIED_WHAT.get(check.name, "copy.text"), self.lang)
            self.notify(t("msg.copied_by_check", self.lang, what=what, n=len(copied[-1])),
                        title=t("msg.copied", self.lang), timeout=4)
        elif result.status == "fail":
            self.notify("\n".join(filter(None, (result.message, result.hint))), severity="error", timeout=10)
        else:
            self.notify(t("msg.no_copy", self.lang), severity="warning")

    def action_cancel(self) -> None:
        run = self.runs.get(self.key)
        if run is not None and run.active and run.worker is not None:
            run.worker.cancel()
            self.notify(t("msg.cancelled", self.lang), severity="warning", timeout=3)

    def action_back(self) -> None:
        if not self.has_class("-tree-hidden"):
            self.tree.focus()

    # -- forms ----------------------------------------------------------------------------
    @on(StepForm.Changed)
    def _draft(self, event: StepForm.Changed) -> None:
        key = self.key
        if key is None or self.session.read_only:
            return
        shown = self.session.form_values(key)
        if any(str(shown.get(k, "") or "") != v for k, v in event.values.items()):
            self._guard(self.session.save_draft, key, event.values)

    @on(StepDetail.NoteChanged)
    def _note_draft(self, event: StepDetail.NoteChanged) -> None:
        if self.key is not None and not self.session.read_only:
            self._guard(self.session.save_draft, self.key, {NOTE_DRAFT: event.note})

    @on(StepForm.Submitted)
    def _submitted(self, event: StepForm.Submitted) -> None:
        key = self.key
        if key is None:
            return
        step = self.session.ref(key).step
        if step.kind != "form":
            self.perform("step.run")
            return
        try:
            findings = self.session.submit(key, event.values)
        except SessionError as error:
            self.refused(error)
            return
        errors = [f for f in findings if f.level == "error"]
        event.form.show_findings(findings)
        if errors:
            self.notify(t("msg.form_errors", self.lang), severity="error")
            event.form.focus_first(only_invalid=True)
            return
        for warning in findings:
            self.notify(warning.message, severity="warning", timeout=6)
        self.notify(t("msg.saved", self.lang), timeout=2)
        self._completed(key)

    @on(StepDetail.ConfirmPressed)
    def _confirm_pressed(self, event: StepDetail.ConfirmPressed) -> None:
        self.perform("step.reopen" if self.session.status(self._at()) in DONE else "step.confirm", event.note)

    @on(StepDetail.RunPressed)
    def _run_pressed(self) -> None:
        self.perform("step.run")

    @on(StepDetail.CancelPressed)
    def _cancel_pressed(self) -> None:
        self.perform("step.cancel")

    # -- checks ---------------------------------------------------------------------------
    def action_run(self) -> None:
        key = self._at()
        forms = list(self.detail.query(StepForm))
        values = forms[0].values() if forms else None
        if forms and not self._params_valid(key, forms[0]):
            return
        if self.start_check(key, values):
            self.step_changed()

    def _params_valid(self, key: str, form: StepForm) -> bool:
        """A check's fields are its parameters: the run records them, once they are valid."""
        _, findings = self.session.validate(key, form.values())
        form.show_findings(findings)
        if any(f.level == "error" for f in findings):
            self.session.save_draft(key, form.values())
            self.notify(t("msg.fields_first", self.lang), severity="error")
            form.focus_first(only_invalid=True)
            return False
        return True

    def start_check(self, key: str, values: dict[str, Any] | None = None) -> bool:
        """The runner marks the step running at once (one save, with the form's ``values``, in the
        worker); the worker runs the check and the log pane reads the run as it streams."""
        try:
            run = self._runner().start(key, values=values)
        except SessionError as error:
            self.refused(error)
            return False
        run.worker = self.app.run_worker(
            self._run_check(run), name=key, group=f"check:{key}", exclusive=True, exit_on_error=False,
            description=f"check for {key}")
        return True

    async def _run_check(self, run: Run) -> None:
        try:
            outcome = await self._runner().execute(run)
        except BaseException:  # cancelled (or a bug of ours): recorded by the runner all the same
            self._finish(run, run.outcome)
            raise
        self._finish(run, outcome)

    def _finish(self, run: Run, outcome: Outcome | None) -> None:
        error = outcome.refused or outcome.save_error if outcome else None
        if error is not None:
            self.refused(error)
        if run.key == self.key and outcome is not None and outcome.refused is None:
            self.detail.reveal("#result")  # what the admin waited for, wherever the detail was scrolled
        self.step_changed()

    def run_all_checks(self) -> int:
        """Every check (not action) that waits for nothing runs now, side by side; their
        marks are one save (the first run's, in its worker: the others find nothing left to write)."""
        started = 0
        for ref in self.session.refs():
            step = ref.step
            if step.kind != "check" or step.check is None or self.session.status(ref.key) in ("blocked", "running"):
                continue
            _, findings = self.session.validate(ref.key, self.session.form_values(ref.key))
            if any(f.level == "error" for f in findings):
                continue
            started += self.start_check(ref.key)
        if started:
            self.step_changed()
        return started

    async def cancel_all(self) -> None:
        workers = [run.worker for run in self.runs.running() if run.worker is not None]
        for worker in workers:
            worker.cancel()
        for worker in workers:
            try:
                await worker.wait()
            except Exception:  # cancelled or failed: either way recorded by _finish
                pass
