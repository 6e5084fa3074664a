"""Every key of koppel, one row each: its keys, action, words, footer rank, palette flag, and when it applies.

The footer, the F1 help, the Ctrl+P palette, the screens' bindings and their ``check_action`` all read
this table; a new key is one new row. ``applies`` is pure (what the step and the moment allow), so it
is tested without Textual; the reason it gives for "not now" is what pressing the key says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Literal

if TYPE_CHECKING:
    from tui.playbook.model import Step

State = Literal["shown", "greyed", "hidden"]


@dataclass(frozen=True)
class Verdict:
    state: State
    reason: str = ""  # a tui.text id said when the key is pressed anyway ("" says nothing)

    @property
    def shown(self) -> bool:
        return self.state == "shown"


SHOWN = Verdict("shown")
SILENT = Verdict("hidden")


@dataclass(frozen=True)
class Now:
    """What a key's verdict depends on: the step at hand (None on the introduction or a section
    page), its status, whether its check runs, read-only; then what the screen knows besides."""

    step: Step | None = None
    status: str = ""
    busy: bool = False  # this step's check runs
    read_only: bool = False
    copying: bool = False  # a copy by check runs
    copy_text: bool = False  # the step's last result left text to copy
    all_done: bool = False  # no open step left
    in_list: bool = False  # the checklist has the focus
    tree_hidden: bool = False


def _always(now: Now) -> Verdict:
    return SHOWN


def _step_first(now: Now) -> Verdict | None:
    if now.step is None:
        return Verdict("hidden", "why.no_step")
    return None


def _writes(now: Now) -> Verdict | None:
    """A key that changes the record: nothing on a page without a step, nothing in read-only."""
    if (verdict := _step_first(now)) is not None:
        return verdict
    if now.read_only:
        return Verdict("hidden", "why.read_only")
    return None


def _confirm(now: Now) -> Verdict:
    if (verdict := _writes(now)) is not None:
        return verdict
    assert now.step is not None
    if now.step.kind == "form":
        return Verdict("hidden", "why.form_enter")
    if now.status in ("done", "confirmed"):
        return SILENT  # space reopens it (the next row)
    if now.status == "blocked":
        return Verdict("hidden", "why.waits")
    if now.busy:
        return Verdict("greyed", "why.busy")
    return SHOWN


def _reopen(now: Now) -> Verdict:
    if (verdict := _writes(now)) is not None:
        return verdict
    assert now.step is not None
    if now.step.kind == "form" or now.status not in ("done", "confirmed"):
        return SILENT
    return Verdict("greyed", "why.busy") if now.busy else SHOWN


def _run(now: Now) -> Verdict:
    if (verdict := _writes(now)) is not None:
        return verdict
    assert now.step is not None
    if now.step.check is None:
        return Verdict("hidden", "why.no_check")
    if now.status == "blocked":
        return Verdict("hidden", "why.waits")
    return Verdict("greyed", "why.busy") if now.busy else SHOWN


def _cancel(now: Now) -> Verdict:
    return SHOWN if now.busy else SILENT


def _back(now: Now) -> Verdict:
    return SILENT if now.busy or now.in_list or now.tree_hidden else SHOWN


def _next_open(now: Now) -> Verdict:
    return Verdict("hidden", "why.all_done") if now.all_done else SHOWN


def _skip(now: Now) -> Verdict:
    if (verdict := _writes(now)) is not None:
        return verdict
    assert now.step is not None
    if not now.step.optional:
        return Verdict("hidden", "why.not_optional")
    return Verdict("greyed", "why.busy") if now.busy else SHOWN


def _copy(now: Now) -> Verdict:
    if (verdict := _step_first(now)) is not None:
        return verdict
    assert now.step is not None
    if not (now.step.copy_from or now.step.menu_path or now.copy_text):
        return Verdict("hidden", "why.no_copy")
    return Verdict("greyed", "why.copying") if now.copying else SHOWN


def _run_all(now: Now) -> Verdict:
    return Verdict("hidden", "why.read_only") if now.read_only else SHOWN


@dataclass(frozen=True)
class Key:
    id: str  # the binding id (Textual keymaps use it too)
    keys: str  # Textual's key names, comma-separated; "" for a palette-only command
    action: str  # the action of the screen (or widget) the row belongs to; "app." for the app's
    words: tuple[str, str]  # (Dutch, English): footer, help and palette
    scope: Literal["app", "main", "tree", "help", "confirm", "skip", "form", "select", "choice"] = "main"
    rank: int | None = None  # footer: lower stays longer when narrow; None: never in the footer
    palette: bool = False  # offered in Ctrl+P (where it applies)
    applies: Callable[[Now], Verdict] = field(default=_always, compare=False)
    typing_safe: bool = False  # still a command while a text field has the focus (no letter, no space)
    hint: tuple[str, str] | None = None  # the palette's line under a command without a key
    priority: bool = False
    system: bool = False  # never listed (Ctrl+C: it only says how to quit)

    def word(self, lang: str) -> str:
        return self.words[1] if lang == "en" else self.words[0]

    def hint_text(self, lang: str) -> str:
        return "" if self.hint is None else self.hint[1] if lang == "en" else self.hint[0]


KEYS: list[Key] = [
    # the step at hand
    Key("step.confirm", "space", "confirm", ("Gereed", "Done"), rank=2, palette=True, applies=_confirm),
    Key("step.reopen", "space", "reopen", ("Heropenen", "Reopen"), rank=3, palette=True, applies=_reopen),
    Key("step.run", "r", "run", ("Uitvoeren", "Run"), rank=1, palette=True, applies=_run),
    Key("step.cancel", "escape", "cancel", ("Annuleren", "Cancel"), rank=4, palette=True, applies=_cancel,
        typing_safe=True),
    Key("step.back", "escape", "back", ("Terug", "Back"), rank=5, applies=_back, typing_safe=True),
    Key("step.next", "n", "next_open", ("Volgende open", "Next open"), rank=8, palette=True, applies=_next_open),
    Key("step.prev", "p", "next_open(True)", ("Vorige open", "Previous open"), palette=True, applies=_next_open),
    Key("step.skip", "s", "skip", ("Overslaan", "Skip"), rank=7, palette=True, applies=_skip),
    Key("step.copy", "c", "copy", ("Kopiëren", "Copy"), rank=6, palette=True, applies=_copy),
    Key("view.tree", "t", "toggle_tree", ("Lijst aan/uit", "Toggle list"), palette=True, typing_safe=True),
    Key("app.quit_q", "q", "app.quit", ("Stoppen", "Quit"), rank=9),
    # the checklist
    Key("tree.up", "up,k", "cursor_up", ("Omhoog", "Up"), scope="tree"),
    Key("tree.down", "down,j", "cursor_down", ("Omlaag", "Down"), scope="tree"),
    Key("tree.collapse", "left", "collapse_or_parent", ("Inklappen", "Collapse"), scope="tree"),
    Key("tree.expand", "right", "expand_or_child", ("Uitklappen", "Expand"), scope="tree"),
    Key("tree.open", "enter", "select_cursor", ("Openen", "Open"), scope="tree"),
    Key("tree.page_up", "pageup", "page_up", ("Pagina omhoog", "Page up"), scope="tree"),
    Key("tree.page_down", "pagedown", "page_down", ("Pagina omlaag", "Page down"), scope="tree"),
    Key("tree.home", "home", "scroll_home", ("Naar het begin", "To the top"), scope="tree"),
    Key("tree.end", "end", "scroll_end", ("Naar het eind", "To the end"), scope="tree"),
    # everywhere
    Key("app.help", "f1", "help", ("Help", "Help"), scope="app", rank=0, palette=True, typing_safe=True),
    Key("app.quit", "ctrl+q", "quit", ("Stoppen", "Quit"), scope="app", palette=True, priority=True),
    Key("app.quit_f10", "f10", "quit", ("Stoppen", "Quit"), scope="app", priority=True),
    Key("app.palette", "ctrl+p", "command_palette", ("Opdrachten", "Commands"), scope="app", priority=True),
    Key("app.ctrl_c", "ctrl+c", "help_quit", ("Zegt hoe u stopt", "Says how to quit"), scope="app", system=True),
    # only in the palette
    Key("cmd.run_all", "", "run_all", ("Alle controles uitvoeren", "Run all checks"),
        palette=True, applies=_run_all, hint=("Voert alle controles uit die niet wachten op andere stappen",
                                              "Runs every check that does not wait for other steps")),
    Key("cmd.lang", "", "app.switch_lang", ("Taal wisselen (Nederlands / English)",
                                            "Switch language (Nederlands / English)"), scope="app", palette=True),
    Key("cmd.ascii", "", "app.toggle_ascii", ("ASCII-modus aan/uit", "Toggle ASCII mode"), scope="app",
        palette=True),
    Key("cmd.ansi", "", "app.ansi_theme", ("Kleuren van de terminal gebruiken (ANSI-thema)",
                                           "Use the terminal's colours (ANSI theme)"), scope="app", palette=True),
    # in a form (Textual's own keys: listed in the help, never bound here)
    Key("form.fields", "tab,shift+tab", "focus_next", ("Volgend / vorig veld", "Next / previous field"),
        scope="form"),
    Key("form.submit", "enter", "submit", ("Formulier opslaan", "Submit the form"), scope="form"),
    # the help screen and the questions
    Key("help.close", "escape,f1,q", "app.pop_screen", ("Sluiten", "Close"), scope="help", rank=0,
        typing_safe=True),
    Key("choice.open", "space,down,up", "show_overlay", ("Keuzelijst openen", "Open the choices"), scope="choice",
        typing_safe=True),
    Key("choice.submit", "enter", "submit_form", ("Formulier opslaan", "Submit the form"), scope="choice",
        typing_safe=True),
    Key("select.close", "escape", "dismiss", ("Sluiten", "Close"), scope="select", rank=0, typing_safe=True),
    Key("dialog.no", "escape,n", "answer(False)", ("Nee", "No"), scope="confirm"),
    Key("dialog.yes", "y,j", "answer(True)", ("Ja", "Yes"), scope="confirm"),
    Key("dialog.cancel", "escape", "cancel", ("Annuleren", "Cancel"), scope="skip"),
]

ASCII_KEYS = {"enter": "enter", "escape": "esc", "space": "space", "up": "up", "down": "down", "left": "left",
              "right": "right", "ctrl+p": "ctrl+p"}
# how the help and the palette name a key ("esc", not Textual's "escape")
KEY_NAMES = {"escape": "esc", "pageup": "pgup", "pagedown": "pgdn"}


def row(key_id: str) -> Key:
    return next(k for k in KEYS if k.id == key_id)


def rows(scope: str) -> list[Key]:
    return [k for k in KEYS if k.scope == scope]


def by_action(action: str) -> list[Key]:
    """The rows of a (screen-local) action name, in table order."""
    return [k for k in KEYS if k.action.split("(")[0] == action]


def footer_rank() -> dict[str, int]:
    """Action -> rank, for the footer's narrow-screen choice (its keys carry actions, not ids)."""
    ranks: dict[str, int] = {}
    for k in KEYS:
        if k.rank is not None and k.keys:
            ranks.setdefault(k.action, k.rank)
    return ranks


def key_names(k: Key) -> str:
    """The keys as the help and the palette write them: "up / k", "esc"."""
    return " / ".join(KEY_NAMES.get(name.strip(), name.strip()) for name in k.keys.split(",") if name.strip())


def button_label(key_id: str, lang: str, text: str | None = None) -> str:
    """A button that does what a key does says so: its words (or ``text``) and the key, from the row."""
    k = row(key_id)
    return f"{text or k.word(lang)} ({key_names(k).split(' / ')[0]})"


def fallback_keys(scope: str) -> list[str]:
    """Each key of ``scope`` once: bound last to "why", so a key that does nothing now says why."""
    seen: list[str] = []
    for k in rows(scope):
        for name in k.keys.split(","):
            name = name.strip()
            if name and name not in seen and k.applies is not _always:
                seen.append(name)
    return seen


def verdict_for_key(scope: str, name: str, now: Now) -> Verdict:
    """What pressing key ``name`` in ``scope`` meets now: the first row of that key with a reason."""
    verdicts = [k.applies(now) for k in rows(scope) if name in (n.strip() for n in k.keys.split(","))]
    return next((v for v in verdicts if v.reason), SILENT)
