"""A step's fields: one input per field, live validation with the rule's message under it.

The form only reports what the admin typed (``Changed``, ``Submitted``); the screen saves drafts and
submits through the session. Secret fields are masked; the session keeps their values out of drafts.
Live messages come from the ``validate`` it is given: the session's, which masks a secret or the
password of an address that a rule's message would quote.
"""

from __future__ import annotations

from typing import Any, Callable

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import ScrollableContainer, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Select, Static
from textual.widgets._select import SelectOverlay

from tui.limits import FIELD_MAX_CHARS
from tui.playbook.model import FormField, Step
from tui.playbook.rules import Finding, validate_values
from tui.text import t
from tui.widgets.keyed import bindings, install

BOOL_WORDS = {"nl": ("ja", "nee"), "en": ("yes", "no")}
MAX_LIST_ROWS = 12  # an open choice list at most (Textual's SelectOverlay max-height)
Validate = Callable[[dict[str, str]], list[Finding]]  # a form's raw values -> every finding


def bool_words(lang: str) -> tuple[str, str]:
    """(yes, no) as a bool field offers them: Dutch unless English."""
    return BOOL_WORDS["en" if lang == "en" else "nl"]


def display_value(value: Any, lang: str) -> str:
    """A stored (cleaned) value as the admin types it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        yes, no = bool_words(lang)
        return yes if value else no
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


class MaskedInput(Input):
    """An input for a secret: masked with "*" in ASCII mode (Textual masks with "•")."""

    def __init__(self, *args: Any, ascii_mode: bool, **kwargs: Any) -> None:
        self.ascii_mode = ascii_mode  # before Input's __init__: setting a reopened step's value draws it
        super().__init__(*args, **kwargs)

    @property
    def _value(self) -> Text:  # what Input draws
        if self.password and self.ascii_mode:
            return Text("*" * len(self.value), no_wrap=True, overflow="ignore", end="")
        return super()._value


class ListInput(Input):
    """A list field: a pasted column (one name a line) arrives whole, comma-separated.
    Textual's Input keeps only the first line of a paste."""

    def _on_paste(self, event: events.Paste) -> None:
        items = [line.strip() for line in event.text.splitlines() if line.strip()]
        if len(items) < 2:
            return  # one line: Input's own paste
        event.prevent_default()
        event.stop()
        text = ", ".join(items)
        if self.selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *self.selection)


class ChoiceSelect(Select[str]):
    """A dropdown in a form: space or an arrow opens it, Enter saves the form as in every other field
    (Textual's Select opens on Enter, so Enter never saved from a choice)."""

    BINDINGS = bindings("choice")

    def __init__(self, *args: Any, lang: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        install(self, "choice", lang)

    def on_mount(self) -> None:
        """Type-ahead: PageUp/PageDown reaching the list between the key that opened it and the frame
        that lays it out raised KeyError in Textual's OptionList._move_page (it pages by laid-out
        lines). Such a key has no page to move by yet and does nothing, as in the palette."""
        overlay = self.query_one(SelectOverlay)
        for name in ("action_page_up", "action_page_down"):
            action = getattr(overlay, name)
            setattr(overlay, name, lambda action=action: action() if overlay.scrollable_content_region else None)

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        """Letters stay here, as in a text field: none is a command of the screen behind it (n, q, c
        fired from a closed list), so none shows in the footer either; the screen says why."""
        return character is not None and character.isprintable()

    def action_submit_form(self) -> None:
        form = next((a for a in self.ancestors if isinstance(a, StepForm)), None)
        if form is not None:
            form.submit()

    def watch_expanded(self, expanded: bool) -> None:
        """The open list stays inside the pane it is in (Textual's overlay only keeps to the screen, so
        at 80x24 it covered the pane's border and the footer): the pane scrolls the list's room into
        view, and what still does not fit scrolls inside the list."""
        pane = next((a for a in self.ancestors if isinstance(a, ScrollableContainer)), None)
        if not expanded or pane is None:
            return
        overlay = self.query_one(SelectOverlay)
        rows = min(overlay.option_count, MAX_LIST_ROWS)
        bottom = pane.content_region.bottom
        top = self.region.y + 1  # the list opens under the select's row
        overflow = top + rows - bottom
        scroll = max(0, min(overflow, int(pane.max_scroll_y - pane.scroll_y)))
        if scroll:
            pane.scroll_relative(y=scroll, animate=False, immediate=True)
        room = bottom - (top - scroll)
        overlay.styles.max_height = max(1, min(rows, room))


class FieldRow(Vertical):
    DEFAULT_CSS = """
    FieldRow { height: auto; margin-bottom: 1; }
    FieldRow > .field-label { color: $text-muted; }
    FieldRow > .field-help { color: $text-muted; text-style: italic; }
    FieldRow > .field-message { height: auto; display: none; }
    FieldRow > .field-message.-error, FieldRow > .field-message.-warning { display: block; }
    FieldRow > .field-message.-error { color: $text-error; }
    FieldRow > .field-message.-warning { color: $text-warning; }
    FieldRow Input > .input--placeholder { text-style: italic; }
    FieldRow Input.-error { background: $error 25%; }
    FieldRow Input.-warning { background: $warning 15%; }
    """

    def __init__(self, form_field: FormField, value: Any, lang: str, *, ascii_mode: bool) -> None:
        super().__init__(id=f"row-{form_field.id}")
        self.field = form_field
        self.value = value
        self.lang = lang
        self.ascii_mode = ascii_mode
        self._shown = ""

    def compose(self) -> ComposeResult:
        f, lang = self.field, self.lang
        flags = [t("detail.required", lang)] if f.required else []
        if f.secret:
            flags.append(t("detail.secret_hint", lang))
        if self.is_default(self.value):
            flags.append(t("detail.default", lang))
        suffix = f" ({', '.join(flags)})" if flags else ""
        yield Static(Content(f.label.get(lang) + suffix), classes="field-label")
        widget_id = f"field-{f.id}"
        text = display_value(self.value, lang)
        if f.type in ("choice", "bool"):
            options = f.choices if f.type == "choice" else list(bool_words(lang))
            yield ChoiceSelect([(o, o) for o in options], value=text if text in options else Select.NULL,
                               prompt=t("detail.choose", lang), allow_blank=not f.required or text not in options,
                               compact=True, id=widget_id, lang=lang)
        elif f.secret:
            yield MaskedInput(text, placeholder=self.hint(), password=True, compact=True, id=widget_id,
                              select_on_focus=False, ascii_mode=self.ascii_mode, max_length=FIELD_MAX_CHARS)
        else:
            kind = ListInput if f.type == "list" else Input
            # a default is selected whole when the field gets the keys: typing replaces it
            yield kind(text, placeholder=self.hint(), compact=True, id=widget_id,
                       select_on_focus=self.is_default(self.value),
                       max_length=FIELD_MAX_CHARS)  # a 1 MB paste is cut here, so typing stays quick
        if f.help:
            yield Static(Content(f.help.get(lang)), classes="field-help")
        yield Static("", classes="field-message")

    def is_default(self, value: Any) -> bool:
        return self.field.default is not None and value not in (None, "") and value == self.field.default

    def hint(self) -> str:
        """The playbook's example as a hint that never reads as a value: "bijv. 9.8", in italics."""
        example = self.field.placeholder.get(self.lang)
        return t("detail.example", self.lang, example=example) if example else ""

    def follow_default(self) -> None:
        """Typed over: the field's value is the admin's now, no longer selected whole on focus."""
        widget = self.query_one(f"#field-{self.field.id}")
        if isinstance(widget, Input):
            widget.select_on_focus = self.is_default(widget.value)

    def on_mount(self) -> None:
        for overlay in self.query(SelectOverlay):  # its footer key says "Dismiss menu", in English
            install(overlay, "select", self.lang)
        if self.ascii_mode:
            for arrow, text in ((".down-arrow", "v"), (".up-arrow", "^")):
                for static in self.query(arrow).results(Static):
                    static.update(text)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Tab onto a field: its help and message under it come into view too, not just the input."""
        self.call_after_refresh(self.scroll_visible, animate=False)

    def raw(self) -> str:
        widget = self.query_one(f"#field-{self.field.id}")
        if isinstance(widget, Select):
            return "" if widget.value in (Select.NULL, Select.BLANK) else str(widget.value)
        assert isinstance(widget, Input)
        return widget.value

    def show(self, findings: list[Finding]) -> None:
        message = self.query_one(".field-message", Static)
        widget = self.query_one(f"#field-{self.field.id}")
        findings = list(dict.fromkeys(findings))  # a rule and the session may say the same thing
        level = "error" if any(f.level == "error" for f in findings) else ("warning" if findings else "")
        for name in ("error", "warning"):
            message.set_class(level == name, f"-{name}")
            widget.set_class(level == name, f"-{name}")
        prefix = {"error": "x ", "warning": "! "} if self.ascii_mode else {"error": "✘ ", "warning": "⚠ "}
        text = "\n".join(prefix[f.level] + f.message for f in findings)
        if text != self._shown:  # an update means a new layout: not on every keystroke
            self._shown = text
            message.update(Content(text))


class StepForm(Vertical):
    """The fields of a form step, or the parameters of a check step."""

    DEFAULT_CSS = """
    StepForm { height: auto; }
    StepForm > #form-problems { color: $text-error; height: auto; display: none; }
    StepForm > #form-problems.-shown { display: block; }
    """

    class Changed(Message):
        def __init__(self, form: StepForm, values: dict[str, str]) -> None:
            super().__init__()
            self.form = form
            self.values = values

    class Shown(Message):
        """The form is there with its fields: the screen may give one of them the keys (a resume)."""

        def __init__(self, form: StepForm) -> None:
            super().__init__()
            self.form = form

    class Submitted(Message):
        def __init__(self, form: StepForm, values: dict[str, str]) -> None:
            super().__init__()
            self.form = form
            self.values = values

    def __init__(self, step: Step, values: dict[str, Any], lang: str, *, ascii_mode: bool = False,
                 validate: Validate | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.step = step
        self.initial = values
        self.lang = lang
        self.ascii_mode = ascii_mode
        self.validate = validate or (lambda raw: validate_values(step, raw, lang)[1])

    def compose(self) -> ComposeResult:
        yield Static("", id="form-problems")
        for form_field in self.step.fields:
            yield FieldRow(form_field, self.initial.get(form_field.id), self.lang, ascii_mode=self.ascii_mode)

    def on_mount(self) -> None:
        # restored drafts show their problems straight away; an untouched empty form stays quiet
        values = self.values()
        findings = self.validate(values)
        for row in self.query(FieldRow):
            if values.get(row.field.id) not in (None, ""):
                row.show([f for f in findings if f.field == row.field.id])
        self.post_message(self.Shown(self))

    def values(self) -> dict[str, str]:
        return {row.field.id: row.raw() for row in self.query(FieldRow)}

    def show_findings(self, findings: list[Finding], headline: str = "") -> None:
        """Each finding under its field; ``headline`` and findings of no field on the form's top line,
        where they hide nothing (a notification would cover the field it is about)."""
        by_field: dict[str, list[Finding]] = {}
        for finding in findings:
            by_field.setdefault(finding.field, []).append(finding)
        for row in self.query(FieldRow):
            row.show(by_field.pop(row.field.id, []))
        loose = [headline] * bool(headline) + [f.message for rest in by_field.values() for f in rest]
        problems = self.query_one("#form-problems", Static)
        problems.update(Content("\n".join(loose)))
        problems.set_class(bool(loose), "-shown")

    def focus_field(self, field_id: str) -> bool:
        """Give ``field_id`` the keys, if the form has it."""
        rows = [row for row in self.query(FieldRow) if row.field.id == field_id]
        if rows:
            rows[0].query_one(f"#field-{field_id}").focus()
        return bool(rows)

    def focus_first(self, only_invalid: bool = False) -> None:
        rows = list(self.query(FieldRow))
        if only_invalid:
            rows = [r for r in rows if r.query_one(".field-message").has_class("-error")] or rows
        if rows:
            rows[0].query_one(f"#field-{rows[0].field.id}").focus(scroll_visible=False)
            rows[0].scroll_visible()  # the field and its message under it

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self, event: Input.Changed | Select.Changed) -> None:
        event.stop()
        row = next((a for a in event.control.ancestors if isinstance(a, FieldRow)), None)
        if row is None:
            return
        values = self.values()
        row.show([f for f in self.validate(values) if f.field == row.field.id])
        row.follow_default()
        self.post_message(self.Changed(self, values))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def submit(self) -> None:
        self.post_message(self.Submitted(self, self.values()))
