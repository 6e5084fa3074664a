"""The playbook as data: sections -> steps -> fields, validated by pydantic.

A playbook is a TOML file (see ``tui/playbooks/av638111.toml``). These models own their
(de)serialisation; ``tui.playbook.loader`` turns TOML and validation errors into located messages.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Callable, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field as PydanticField, model_validator

# WARNING_LABELS: re-exported, the note test reads it here
from tui.playbook.methods import WARNING_LABELS, Labelled, PlaybookMethods, TextMethods, WarningMethods  # noqa: F401

Lang = Literal["nl", "en"]

StepKind = Literal["manual", "form", "check", "action"]
FieldType = Literal["text", "email", "int", "choice", "bool", "path", "secret", "list"]
Scope = Literal["server", "administratie"]
WarningKind = Literal["let_op", "opmerking"]



# A section, step or field id names state keys, answers-file tables and {step:field} placeholders:
# readable ASCII only. "@" separates a step from its administratie, ":" a step from its field, "/"
# and ".." could walk paths: none of them belong in an id.
_ID = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_-]|\.(?!\.))*")
MAX_ID_CHARS = 64


def _readable_id(value: str) -> str:
    if not _ID.fullmatch(value) or len(value) > MAX_ID_CHARS or value.endswith("."):
        shown = repr(value if len(value) <= 40 else value[:40] + "...")
        raise ValueError(
            f"{shown} is not a valid id: use letters, digits, '_', '-' and single dots, starting with a "
            f"letter or digit, at most {MAX_ID_CHARS} characters (like 'wizard.licentie')"
        )
    return value


Id = Annotated[str, AfterValidator(_readable_id)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict, TextMethods):
    """A text in Dutch (the source, always present) and English (falls back to Dutch)."""

    nl: str
    en: str = ""

    @model_validator(mode="before")
    @classmethod
    def _from_plain_string(cls, value: Any) -> Any:
        # A plain string in TOML is Dutch only: menu paths and screen names stay Dutch anyway.
        return {"nl": value} if isinstance(value, str) else value


class Instruction(_Strict):
    """One numbered instruction of the note, word for word, with an optional follow-up line."""

    text: Text
    result: Text | None = None  # the indented line under it in the note ("AccountView meldt ...")


class StepWarning(_Strict, WarningMethods):
    """A "Let op" / "Opmerking" block of the note. ``after`` = instruction number it follows."""

    kind: WarningKind
    text: Text
    after: int | None = None


class ContextLine(_Strict):
    """koppel's own line beside the note's text (never inside it): what the admin gave earlier, a
    public fact with its source. ``{step_id:field}`` names an answer (see tui.playbook.textrefs);
    ``after`` = the instruction it follows, None = under the introduction."""

    text: Text
    after: int | None = None


class RuleRef(_Strict):
    """A validation rule by name (see ``tui.playbook.rules``) with its parameters."""

    name: str
    params: dict[str, Any] = PydanticField(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _from_plain_name(cls, value: Any) -> Any:
        # rules = ["email"] is short for rules = [{ name = "email" }]
        return {"name": value} if isinstance(value, str) else value


class FormField(_Strict):
    id: Id
    label: Text
    type: FieldType = "text"
    required: bool = False
    default: Any = None
    choices: list[str] = PydanticField(default_factory=list)
    rules: list[RuleRef] = PydanticField(default_factory=list)
    help: Text | None = None
    placeholder: Text = Text(nl="")  # an example answer; a plain string serves both languages

    @property
    def secret(self) -> bool:
        return self.type == "secret"


# ``{step_id:field}`` = an answer of the admin; ``{administratie}`` = the scope of the step.
PARAM_REF = re.compile(r"\{([^{}:\s]+)(?::([^{}\s]+))?\}")
ADMINISTRATIE_REF = "administratie"


class CheckRef(_Strict):
    """A check/action by registry name. String params may hold ``{step_id:field}`` references
    to the admin's answers, and ``{administratie}`` inside a scoped step."""

    name: str
    params: dict[str, Any] = PydanticField(default_factory=dict)
    timeout: float | None = None  # total deadline in seconds; None = the check's default

    def references(self) -> list[tuple[str, str, str | None]]:
        """(param name, step id or "administratie", field id or None) for every reference."""
        return [
            (param, match.group(1), match.group(2))
            for param, value in self.params.items()
            for text in _strings_in(value)
            for match in PARAM_REF.finditer(text)
        ]

    def resolve(
        self, answer: Callable[[str, str], Any], administratie: str | None = None
    ) -> dict[str, Any]:
        """The params with references filled in. ``answer(step_id, field_id)`` gives a value
        (None when unanswered). A param that is exactly one reference keeps the answer's type
        (int port, list of URLs); when that answer is empty the param is left out, so the
        check's own default applies ("empty = look in Downloads"). References inside longer
        strings are replaced by their text."""
        resolved = {param: _resolve_value(value, answer, administratie) for param, value in self.params.items()}
        return {param: value for param, value in resolved.items() if value is not None}


def _strings_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def _resolve_value(value: Any, answer: Callable[[str, str], Any], administratie: str | None) -> Any:
    if isinstance(value, list):
        return [_resolve_value(item, answer, administratie) for item in value]
    if not isinstance(value, str):
        return value

    def lookup(match: re.Match[str]) -> Any:
        step_id, field_id = match.group(1), match.group(2)
        if field_id is None:
            return administratie if step_id == ADMINISTRATIE_REF else match.group(0)
        return answer(step_id, field_id)

    whole = PARAM_REF.fullmatch(value)
    if whole:
        found = lookup(whole)
        return None if found in ("", [], None) else found
    return PARAM_REF.sub(lambda m: "" if (v := lookup(m)) is None else str(v), value)


class Step(_Strict, Labelled):
    id: Id
    title: Text
    short: Text | None = None  # the tree's label when the title would be cut at 80 columns
    kind: StepKind = "manual"
    menu_path: str | None = None  # AccountView menu path, Dutch, never translated
    intro: Text | None = None
    instructions: list[Instruction] = PydanticField(default_factory=list)
    warnings: list[StepWarning] = PydanticField(default_factory=list)
    outro: Text | None = None  # text after the instructions ("De gemaakte wijzigingen ...")
    context: list[ContextLine] = PydanticField(default_factory=list)  # koppel's own lines
    requires: list[str] = PydanticField(default_factory=list)
    scope: Scope = "server"
    optional: bool = False
    fields: list[FormField] = PydanticField(default_factory=list)
    check: CheckRef | None = None
    # a step whose check, run with the clipboard, puts the text this step needs there ("c" runs it);
    # such text (the licence) is never stored, so it is fetched again each time
    copy_from: str | None = None

    def field(self, field_id: str) -> FormField | None:
        return next((f for f in self.fields if f.id == field_id), None)

    @property
    def secret_field_ids(self) -> frozenset[str]:
        return frozenset(f.id for f in self.fields if f.secret)


class Section(_Strict, Labelled):
    id: Id
    title: Text
    short: Text | None = None  # the tree's label when the title would be cut at 80 columns
    intro: Text | None = None
    menu_path: str | None = None
    steps: list[Step] = PydanticField(default_factory=list)


class Playbook(_Strict, PlaybookMethods):
    id: str
    title: Text
    source: str = ""  # e.g. "AV-638111"
    product: Text = Text(nl="")  # e.g. "AccountView 9.8 en hoger", the note's "Product:" line
    intro: Text | None = None
    context: list[ContextLine] = PydanticField(default_factory=list)  # koppel's lines under the intro
    outro: Text | None = None
    # "step_id:field" of the list field naming the administraties that scoped steps repeat for
    administraties_field: str | None = None
    sections: list[Section]
