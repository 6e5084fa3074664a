"""The selected step: title, menu path, instructions, warnings, then its form, confirmation or check.

It shows what the screen hands down (the verdicts) and what it answers when asked (the step's facts),
and reports what the admin does (messages); it never holds the session, and never writes.
Rapid cursor moves coalesce: only the last requested step is composed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable, Iterator
from weakref import WeakKeyDictionary

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Input, Static

from tui.keys import button_label
from tui.playbook.model import ContextLine, Step, StepWarning
from tui.state.session import NOTE_DRAFT
from tui.state.verdicts import SessionFacts, StepFacts, Verdicts
from tui.text import mark, t
from tui.runs import Run, RunRegistry
from tui.widgets.instructions import Instruction, InstructionList
from tui.widgets.log_pane import KeptRows, LogPane
from tui.widgets.step_form import StepForm

if TYPE_CHECKING:
    from textual.widgets import Markdown

    from tui.playbook.model import Playbook
    from tui.playbook.rules import Finding

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def plain_markdown(text: str) -> Markdown:
    """CommonMark without linkify: "Visma.net" is a product name here, not a link. Imported here:
    a view of plain paragraphs only (the first one, mostly) never loads markdown_it and pygments."""
    from markdown_it import MarkdownIt
    from textual.widgets import Markdown

    return Markdown(text, parser_factory=lambda: MarkdownIt("commonmark"))


_PLAIN_LINE = re.compile(r"[^\W\d_]|[\"'(]")  # how a line of a plain paragraph may begin


def prose(text: str, classes: str = "") -> Iterator[Static | Markdown]:
    """A playbook text as plain_markdown(md_escape(text)) shows it. Text that Markdown would only
    wrap - paragraphs whose lines begin with a letter, a quote or a bracket (no list, heading, code
    or break), without entities - is a Static per paragraph, drawn alike (a paragraph's margin is
    its padding, so it never collapses with the next widget's): each Markdown is a container of
    blocks that parses first, the dearest widget of a view (issue 11). Anything else: Markdown."""
    paragraphs = [part for part in re.split(r"\n[ \t]*\n", text) if part.strip()]
    lines = [line for part in paragraphs for line in part.split("\n")]
    if ("&" in text or "\t" in text or "  \n" in text or (classes and len(paragraphs) != 1)
            or not all(_PLAIN_LINE.match(line) for line in lines)):
        yield plain_markdown(md_escape(text)).add_class(*classes.split())
        return
    for part in paragraphs:
        yield Static(Content(" ".join(part.split())), classes=f"prose {classes}".strip())


def md_escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def text_order(step: Step, lang: str) -> list[list[Instruction] | StepWarning | ContextLine]:
    """The instructions in runs, each warning and koppel line after the instruction it follows
    (a warning before a koppel line after the same one; none given: after the last)."""
    count = len(step.instructions)

    def run(first: int, last: int) -> list[Instruction]:
        return [Instruction(number, step.instructions[number - 1].text.get(lang),
                            result.get(lang) if (result := step.instructions[number - 1].result) else None)
                for number in range(first, last + 1)]

    inserts: list[tuple[int, int, StepWarning | ContextLine]] = [
        (count if w.after is None else min(w.after, count), 1, w) for w in step.warnings]
    inserts += [(0 if line.after is None else min(line.after, count), 2, line) for line in step.context]
    order: list[list[Instruction] | StepWarning | ContextLine] = []
    first = 1
    for upto, _, insert in sorted(inserts, key=lambda insert: insert[:2]):
        if upto >= first:
            order.append(run(first, upto))
            first = upto + 1
        order.append(insert)
    if first <= count:
        order.append(run(first, count))
    return order


@dataclass(frozen=True)
class View:
    """Everything the detail shows; equal views are not composed twice."""

    key: str | None
    section_id: str | None = None
    step_id: str | None = None  # a group of per-administratie steps
    overview: bool = False
    section_intro: bool = False  # a step the admin entered its section on: the section's introduction too
    version: int = 0


class StepDetail(VerticalScroll, can_focus=True):
    DEFAULT_CSS = """
    StepDetail { padding: 0 1; }
    StepDetail > #step-title { text-style: bold; color: $text-primary; }
    StepDetail > #step-menu { color: $text-accent; }
    StepDetail > #step-state { color: $text-muted; }
    StepDetail > #overview-sections { margin: 1 0; }
    StepDetail > .blocked { color: $text-warning; text-style: bold; }
    StepDetail > .state-note { color: $text-muted; text-style: italic; }
    StepDetail > .state-warn { color: $text-warning; }
    StepDetail > Markdown { margin: 0; padding: 0; }
    StepDetail > .prose { padding: 0 0 1 0; }
    StepDetail > .prose.section-intro { padding: 0 0 1 1; }
    StepDetail > .step-warning { border-left: thick $warning; padding: 0 1; margin: 0 0 1 0;
                                 background: $warning 10%; }
    StepDetail > .koppel-line { border-left: thick $accent; padding: 0 1; margin: 0 0 1 0; color: $text-accent; }
    StepDetail > .section-intro-title { color: $text-muted; text-style: bold; }
    StepDetail > .section-intro { border-left: thick $foreground 30%; padding: 0 0 0 1; margin: 0 0 1 0; }
    StepDetail > .step-warning.-opmerking { border-left: thick $primary; background: $primary 10%; }
    StepDetail > #result { height: auto; margin-bottom: 1; }
    StepDetail > #result.-ok { color: $text-success; }
    StepDetail > #result.-warn { color: $text-warning; }
    StepDetail > #result.-fail { color: $text-error; }
    StepDetail > #result.-na { color: $text-warning; }
    StepDetail > .buttons { height: auto; margin: 0 0 1 0; }
    StepDetail > .buttons > Button { margin-right: 2; }
    StepDetail > #manual-note { margin-bottom: 1; }
    """

    class ConfirmPressed(Message):
        def __init__(self, note: str) -> None:
            super().__init__()
            self.note = note

    class NoteChanged(Message):
        """The admin typed in a manual step's note: kept as a draft, like form input."""

        def __init__(self, note: str) -> None:
            super().__init__()
            self.note = note

    class RunPressed(Message):
        pass

    class CancelPressed(Message):
        pass

    def __init__(self, playbook: Playbook, facts: SessionFacts, *, lang: str = "nl", ascii_mode: bool = False,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.playbook = playbook
        self.facts = facts  # asked for the shown step's facts when it is composed
        self.verdicts = Verdicts()  # the screen's, after every change
        self.lang = lang
        self.ascii_mode = ascii_mode
        self.runs = RunRegistry()  # the screen hands over its runner's: this pane only asks
        self._kept_rows: WeakKeyDictionary[Run, KeptRows] = WeakKeyDictionary()  # each run's wrapped log rows
        self.view = View(None)
        self._wanted = View(None)
        self._busy = False
        self._version = 0
        self._reveal: str | None = None

    # -- what to show ---------------------------------------------------------------------
    def show(self, view: View, *, force: bool = False) -> None:
        """Ask for a view; composed after the current one, skipping any asked for in between."""
        if force:
            self._version += 1
        self._wanted = replace(view, version=self._version)
        if not self._busy:
            self._busy = True
            self.call_later(self._catch_up)

    def refresh_view(self) -> None:
        self.show(self._wanted, force=True)

    def reveal(self, selector: str) -> None:
        """After the next redraw, scroll just enough to show ``selector`` (a check's result)."""
        self._reveal = selector

    async def _catch_up(self) -> None:
        try:
            while self.view != self._wanted:
                # the same view redrawn (a check started or ended) stays where the admin scrolled it
                same = replace(self.view, version=0) == replace(self._wanted, version=0)
                scrolled = self.scroll_y
                self.view = self._wanted
                focused_id = self.app.focused.id if self.app.focused and self in self.app.focused.ancestors else None
                async with self.batch():
                    await self.recompose()
                if same:  # once laid out: a taller or shorter view clamps it
                    self.call_after_refresh(self.scroll_to, y=scrolled, animate=False)
                else:
                    self.scroll_home(animate=False)
                if focused_id:
                    for widget in self.query(f"#{focused_id}"):
                        widget.focus(scroll_visible=not same)
            if self._reveal is not None:
                for widget in self.query(self._reveal):
                    self.call_after_refresh(self.scroll_to_widget, widget, animate=False)
                self._reveal = None
        finally:
            self._busy = False

    def compose(self) -> ComposeResult:
        view, lang = self.view, self.lang
        facts = self.facts.step(view.key, lang) if view.key is not None else None
        if view.overview:
            yield from self._compose_overview(lang)
        elif facts is not None:
            yield from self._compose_step(facts, lang)
        elif view.step_id is not None:
            step = self.playbook.step(view.step_id)
            if step:
                yield Static(Content(step.title.get(lang)), id="step-title")
                yield from self._compose_text(step, lang, None)
                yield Static(Content(t("detail.scoped", lang)), classes="state-note")
        elif view.section_id is not None:
            section = self.playbook.section(view.section_id)
            done, total = self.verdicts.section(section.id)
            yield Static(Content(f"{section.title.get(lang)}  {done}/{total}"), id="step-title")
            if section.menu_path:
                yield Static(Content(f"{t('detail.menu', lang)}: {section.menu_path}"), id="step-menu")
            if section.intro:
                yield from prose(section.intro.get(lang))

    def _compose_overview(self, lang: str) -> ComposeResult:
        """The note's own introduction, where it comes from, and how far each section is."""
        playbook, verdicts = self.playbook, self.verdicts
        yield Static(Content(playbook.title.get(lang)), id="step-title")
        yield Static(Content(f"Support ID: {playbook.source} · {t('overview.product', lang)}: {playbook.product.get(lang)}"
                             .replace(" · ", " - " if self.ascii_mode else " · ")), id="step-state")
        if playbook.intro:
            yield from prose(playbook.intro.get(lang))
        for line in playbook.context:
            yield self._koppel_line(line.text.get(lang), None, lang)
        rows = []
        for section in playbook.sections:
            done, total = verdicts.section(section.id)
            rows.append(f"{mark('done' if done == total else 'todo', self.ascii_mode)} "
                        f"{section.title.get(lang)}: {done}/{total}")
        yield Static(Content("\n".join(rows)), id="overview-sections")
        done, total = verdicts.progress
        if done < total:
            yield Static(Content(t("overview.next", lang)), classes="state-note")
        else:
            yield Static(Content(t("overview.all_done", lang)), classes="state-note")
            if playbook.outro:
                yield from prose(playbook.outro.get(lang))

    # -- pieces ---------------------------------------------------------------------------
    def _compose_step(self, facts: StepFacts, lang: str) -> ComposeResult:
        ref, status, entry = facts.ref, facts.status, facts.entry
        step = ref.step
        yield Static(Content(f"{mark(status, self.ascii_mode)} {ref.title(lang)}"), id="step-title")
        state_bits = [t(f"status.{status}", lang)]
        if entry.check_since:  # a check run since the admin closed the step did not pass
            state_bits.append(mark("flagged", self.ascii_mode) + " " + t(
                "status.check_since", lang, result=t(f"result.{entry.check_since}", lang).lower()))
        if step.optional:
            state_bits.append(t("detail.optional", lang))
        if entry.by and entry.updated_at and status in ("done", "confirmed", "skipped", "failed"):
            state_bits.append(f"{entry.by}, {entry.updated_at.astimezone():%d-%m %H:%M}")
        yield Static(Content((" - " if self.ascii_mode else " · ").join(state_bits)), id="step-state")
        if step.menu_path:
            yield Static(Content(f"{t('detail.menu', lang)}: {step.menu_path}"), id="step-menu")
        if status == "blocked":
            names = ", ".join(facts.waits_for)
            yield Static(Content(f"{t('detail.waits_for', lang)}: {names}"), classes="blocked", id="blocked")
        if status == "skipped" and entry.skip_reason:
            yield Static(Content(f"{t('detail.skipped', lang)}: {entry.skip_reason}"), classes="state-note")
        if status == "interrupted":
            text = "detail.interrupted" if step.check else "detail.interrupted_manual"
            yield Static(Content(t(text, lang)), classes="state-warn")
        if entry.note and status in ("done", "confirmed"):
            yield Static(Content(f"{t('detail.note', lang)}: {entry.note}"), classes="state-note")
        section = ref.section
        first_of_section = section.steps[0].id == step.id
        if section.intro and (self.view.section_intro or first_of_section):
            yield Static(Content(section.title.get(lang)), classes="section-intro-title")
            yield from prose(section.intro.get(lang), "section-intro")
        yield from self._compose_text(step, lang, ref.administratie)
        yield from self._compose_kind(facts, lang)

    def _koppel_line(self, text: str, administratie: str | None, lang: str) -> Static:
        """koppel's own line beside the note's words, with the admin's earlier answers filled in."""
        shown = self.facts.koppel_line(text, administratie, lang, self.ascii_mode)
        return Static(Content.assemble(("koppel: ", "bold"), shown), classes="koppel-line")

    def _compose_text(self, step: Step, lang: str, administratie: str | None) -> ComposeResult:
        if step.intro:
            yield from prose(step.intro.get(lang))
        for part in text_order(step, lang):
            if isinstance(part, list):
                yield InstructionList(part)
            elif isinstance(part, StepWarning):
                yield Static(Content.assemble((f"{part.label(lang)}: ", "bold"), part.text.get(lang)),
                             classes=f"step-warning -{part.kind}")
            else:
                yield self._koppel_line(part.text.get(lang), administratie, lang)
        if step.outro:
            yield from prose(step.outro.get(lang))

    def _compose_kind(self, facts: StepFacts, lang: str) -> ComposeResult:
        key, step, status, entry = facts.ref.key, facts.ref.step, facts.status, facts.entry
        if step.fields and step.check is None:
            yield StepForm(step, facts.values, lang, ascii_mode=self.ascii_mode,
                           validate=self._validator(key), id="form")
        if step.kind == "form":
            with Horizontal(classes="buttons"):
                yield Button(button_label("form.submit", lang, t("detail.submit_button", lang)), id="submit", compact=True,
                             disabled=status == "blocked")
            return
        if step.check is None:  # manual
            if status != "done":
                note = (entry.draft or {}).get(NOTE_DRAFT, entry.note)
                yield Input(note, placeholder=t("detail.manual_note", lang), compact=True, id="manual-note",
                            select_on_focus=False)  # a half-typed note is kept, not replaced by the next key
            with Horizontal(classes="buttons"):
                label = button_label("step.reopen" if status == "done" else "step.confirm", lang)
                yield Button(label, id="confirm", compact=True, disabled=status == "blocked")
            return
        run = self.runs.get(key)
        running = run is not None and run.active
        # the last result first (what the admin comes back for), then the parameters, the button under them
        result = entry.result
        if result is not None and not running:
            # an interrupted run left no result of its own: what shows is the run before it
            heading = "detail.previous_result" if status == "interrupted" else "detail.last_result"
            text = f"{t(heading, lang)}: {t(f'result.{result.status}', lang)}  {result.message}"
            if result.hint:
                text += f"\n{result.hint}"
            if result.status == "na":
                text += f"\n{t('detail.na', lang)}"
            yield Static(Content(text), id="result", classes=f"-{result.status}")
        if step.fields:  # a check's fields are its parameters
            yield StepForm(step, facts.values, lang, ascii_mode=self.ascii_mode,
                           validate=self._validator(key), id="form")
        with Horizontal(classes="buttons"):
            again = t("detail.rerun_button", lang) if entry.result or status == "interrupted" else None
            yield Button(button_label("step.run", lang, again), id="run", compact=True, disabled=running or status == "blocked")
            if running:
                yield Button(button_label("step.cancel", lang), id="cancel", compact=True, variant="warning")
        if run is not None or entry.log_tail:
            kept = self._kept_rows.setdefault(run, KeptRows()) if run is not None else None
            yield LogPane(run, list(entry.log_tail), total=entry.log_lines, log_path=self.facts.log_path,
                          ascii_mode=self.ascii_mode, lang=lang, kept=kept, id="log-pane")

    def _validator(self, key: str) -> Callable[[dict[str, str]], list[Finding]]:
        return lambda values: self.facts.validate(key, values)

    # -- what the admin does -------------------------------------------------------------
    def focus_first(self) -> None:
        """Enter from the list: the first field, else the first button, else the text itself."""
        for selector in ("StepForm Input, StepForm Select", "#manual-note", "Button"):
            for widget in self.query(selector):
                if widget.focusable:
                    widget.focus()
                    return
        self.focus()

    def note(self) -> str:
        notes = self.query("#manual-note").results(Input)
        return next((n.value for n in notes), "")

    @on(Button.Pressed, "#confirm")
    def _confirm(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.ConfirmPressed(self.note()))

    @on(Input.Changed, "#manual-note")
    def _note_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.NoteChanged(event.value))

    @on(Input.Submitted, "#manual-note")
    def _note_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.ConfirmPressed(event.value))

    @on(Button.Pressed, "#run")
    def _run(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.RunPressed())

    @on(Button.Pressed, "#cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.CancelPressed())

    @on(Button.Pressed, "#submit")
    def _submit(self, event: Button.Pressed) -> None:
        event.stop()
        for form in self.query(StepForm):  # posted here: Textual stops bubbling at the sender
            self.post_message(StepForm.Submitted(form, form.values()))
