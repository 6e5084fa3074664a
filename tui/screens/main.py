"""The checklist screen: the tree on the left, the selected step on the right, and every step action.

All writes go through the session (which saves through the store); widgets only show and report.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.events import Key, Resize
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Tree
from textual.worker import Worker

from tui.runs import Outcome, Run, RunRegistry, StepRunner
from tui.screens.copying import CopyByCheck
from tui.screens.focusing import Focusing
from tui.screens.host import Host
from tui.screens.saves import SaveWatch
from tui.screens.step_actions import StepActions
from tui.screens.step_forms import FormHandlers
from tui.state.session import SessionError
from tui.state.verdicts import SessionFacts, verdicts
from tui.text import t
from tui.widgets.checklist import ChecklistTree, NodeInfo
from tui.widgets.footer import KoppelFooter
from tui.widgets.header import NoticeBand, StatusHeader
from tui.widgets.keyed import bindings, install
from tui.widgets.step_detail import StepDetail, View
from tui.widgets.step_form import StepForm

NARROW_WIDTH = 80
SAVE_WATCH = 1.0  # s: how often a failed save is looked for (the background saver's) and retried


class MainScreen(StepActions, CopyByCheck, FormHandlers, Focusing, SaveWatch, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = bindings("main")

    app: Host  # type: ignore[assignment]  # the app is above the screens: known by what they use of it
    # attributes down: the app's lang and ascii_mode, followed here; the header binds to these
    lang: var[str] = var("nl", init=False)
    ascii_mode: var[bool] = var(False, init=False)
    unsaved: var[bool] = var(False, init=False)  # a save failed: what is on screen is not on disk
    said: var[str] = var("", init=False)  # the status line (the header): shown until the next key
    notice, notice_kind = var("", init=False), var("warning", init=False)  # the band under it (``tell``)

    def __init__(self, lang: str = "nl", ascii_mode: bool = False, greeting: str = "",
                 notices: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.greeting = greeting  # "Welkom terug ...": said once the screen is there
        self.notices = notices  # what the start found (a damaged state file, interrupted checks)
        install(self, "main", lang)
        self.set_reactive(MainScreen.lang, lang)
        self.set_reactive(MainScreen.ascii_mode, ascii_mode)
        self.runner: StepRunner | None = None  # made on first use, when the app is there
        self._copying: Worker[None] | None = None
        self._unsaved: str | None = None  # the last save failure said, until a save succeeds again
        self._section_seen: str | None = None  # the section of the step shown last
        self._resume_focus: tuple[str, str] | None = None  # (step key, field id) that had the keys last time

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

    def compose(self) -> ComposeResult:
        yield StatusHeader(id="header").data_bind(MainScreen.lang, MainScreen.ascii_mode, MainScreen.unsaved,
                                                  message=MainScreen.said)
        yield NoticeBand(id="notice").data_bind(text=MainScreen.notice, kind=MainScreen.notice_kind)
        with Horizontal(id="body"):
            yield ChecklistTree(self.session.playbook, lang=self.lang, ascii_mode=self.ascii_mode, id="tree")
            detail = StepDetail(self.session.playbook, SessionFacts(self.session), lang=self.lang,
                                ascii_mode=self.ascii_mode, id="detail")
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
        self.set_class(self.session.read_only, "-read-only")  # no buttons, no typing: nothing is refused later
        self.show_verdicts()
        self.update_header()
        self.tell("\n".join(self.notices))
        self.say(self.greeting)
        start, field_id = self.session.state.cursor, self.session.state.focus
        if start and self.session.has(start):
            self._resume_focus = (start, field_id) if field_id else None  # given back once its form is there
            self.goto(start)
            self.call_after_refresh(self._give_back_note)  # a manual step's note: given back too
        else:  # a first visit opens on the note's introduction
            self.tree.select_overview()
        self.tree.focus()
        # once the tree has its size: scroll so the cursor shows with as much as possible above it
        self.call_after_refresh(self._scroll_to_cursor)
        self.set_interval(SAVE_WATCH, self.retry_saves)
        self.watch(self.app, "lang", self._follow_lang, init=False)
        self.watch(self.app, "ascii_mode", self._follow_ascii, init=False)

    def _follow_lang(self, lang: str) -> None:
        self.lang = lang
        install(self, "main", lang)
        self.tree.lang = self.detail.lang = lang
        self.refresh_all()

    def _follow_ascii(self, ascii_mode: bool) -> None:
        self.ascii_mode = ascii_mode
        self.refresh_all()

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
        header.count = self.session.count()
        header.read_only = self.session.read_only

    def say(self, text: str) -> None:
        """A message on the status line, where it hides nothing (why a key does nothing, a refusal,
        "Opgeslagen"); the next key takes it away (KoppelApp.on_event, ``heard``). Longer than the
        line can hold whole (60 columns, a long list of steps waited for): the band, never cut."""
        if text and not self.query_one(StatusHeader).holds(text, self.app.size.width):
            self.said = ""
            kind = self.notice_kind if self.notice else "said"  # a word of the status line's, not a warning
            self.tell("\n".join(filter(None, (text, self.notice))), kind == "error", said=kind == "said")
            return
        self.said = text

    def refresh_all(self) -> None:
        """After a change of language or ASCII mode: redraw everything from the session."""
        self.tree.set_ascii(self.ascii_mode)
        self.detail.ascii_mode = self.ascii_mode
        self.step_changed()  # the detail's border title too: "Vooraf" becomes "Before you start"

    def show_verdicts(self) -> None:
        """The session's verdicts, made once, handed down to the tree and the detail."""
        now = verdicts(self.session)
        self.tree.show(now)
        self.detail.verdicts = now

    def step_changed(self) -> None:
        self.show_verdicts()
        if self.key is not None:
            self._title_detail(self.key)
        self.detail.refresh_view()
        self.update_header()
        self.refresh_bindings()

    # -- where we are ---------------------------------------------------------------------
    @property
    def key(self) -> str | None:
        return self.detail._wanted.key

    def step_title(self) -> str:
        key = self.key
        return self.session.ref(key).title(self.lang) if key and self.session.has(key) else ""

    def goto(self, key: str | None) -> None:
        if key is None:
            return
        self.tree.select_key(key)
        self._show_key(key)

    def _show_key(self, key: str) -> None:
        if self._resume_focus is not None and self._resume_focus[0] != key:
            self._resume_focus = None  # the admin went elsewhere first
        self._title_detail(key)
        # entering a section (by n, the tree or the palette) shows its introduction on the step landed on
        section_id = self.session.ref(key).section.id
        same = self.detail._wanted
        entering = same.section_intro if same.key == key else section_id != self._section_seen
        self._section_seen = section_id
        self.detail.show(View(key, section_intro=entering))
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
            self._section_seen = section.id  # its page shows the introduction
            self.detail.border_title = section.title.get(self.lang)
            self.detail.show(View(None, info.section_id, info.step_id))
            self.refresh_bindings()

    def on_key(self, event: Key) -> None:
        """A letter that is no key anywhere here says so (the keys table's keys say their own why)."""
        if event.is_printable and self._choosing() and event.key != "space":
            self.say(t("why.in_choice", self.lang))  # a letter in a closed choice list: not a command
        elif event.is_printable and not self._typing() and event.key not in self.app.active_bindings:
            self.say(t("why.no_key", self.lang, letter=event.character))

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[NodeInfo]) -> None:
        node = event.node
        if node.data is not None and node.data.key is not None:
            self.app.keys.hold()  # what is typed after enter belongs to the form, once it has the focus
            self.call_after_refresh(self._focus_form)
        elif node.allow_expand:
            node.toggle()

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
            self.say(t("msg.fields_first", self.lang))  # beside the fields: what is wrong with each
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
        if key == self.key:  # its log comes into view as it starts, however far up the step was read
            self.detail.reveal("#log-pane")
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

    def action_run_all(self) -> None:
        started = self.run_all_checks()
        self.say(t("msg.run_all", self.lang, n=started) if started else t("msg.run_all_none", self.lang))

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
