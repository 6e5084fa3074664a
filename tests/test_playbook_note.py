"""The built-in playbook against the support note AV-638111 itself: nothing left out, nothing
reworded. The note is parsed from shared/reference next to the repository, else from the copy in
tests/data (a test keeps the two the same), so this test never skips."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tui.playbook.loader import load_builtin
from tui.playbook.model import WARNING_LABELS, Playbook, Step, Text

ROOT = Path(__file__).resolve().parents[1]
NOTE_DIR = ROOT.parent / "shared" / "reference"
NOTE_COPY = ROOT / "tests" / "data" / "AV-638111.txt"
NOTE_ID = "AV-638111"

# "Opties > Instellingen > Administratie > Algemeen > Elektr aangifte": capitalised first words,
# segments joined by " > " (a segment may go on with lower-case words).
MENU_PATH = re.compile(r"[A-Z][\w-]*(?: [a-z][\w-]*)*(?: > [A-Z][\w-]*(?: [a-z][\w-]*)*)+")


@dataclass
class NoteInstruction:
    number: int
    text: str
    result: str | None = None


@dataclass
class Note:
    groups: list[list[NoteInstruction]] = field(default_factory=list)  # numbering restarts = new group
    warnings: list[tuple[str, str, NoteInstruction | None]] = field(default_factory=list)  # label, text, after
    prose: list[str] = field(default_factory=list)  # top-level lines that are sentences
    headings: list[str] = field(default_factory=list)  # top-level lines without final punctuation
    text: str = ""


def _shared_note() -> Path | None:
    if NOTE_DIR.is_dir():
        for path in sorted(NOTE_DIR.glob("*.txt")):
            if NOTE_ID in path.read_text(encoding="utf-8"):
                return path
    return None


def _find_note() -> Path:
    return _shared_note() or NOTE_COPY


def test_the_copy_of_the_note_is_the_shared_note() -> None:
    shared = _shared_note()
    if shared is None:
        pytest.skip(f"no shared/reference beside the repository: the copy {NOTE_COPY.name} is used")
    assert NOTE_COPY.read_bytes() == shared.read_bytes()


def parse_note(text: str) -> Note:
    note = Note(text=text)
    warning = re.compile(r"(Let op|Opmerking): (.+)")
    last: NoteInstruction | None = None
    for line in text.splitlines():
        if not line.strip():
            continue
        if match := re.fullmatch(r" (\d+)\. (.+)", line):
            last = NoteInstruction(int(match.group(1)), match.group(2))
            if last.number == 1:
                note.groups.append([])
            assert note.groups and last.number == len(note.groups[-1]) + 1, f"note numbering at {line!r}"
            note.groups[-1].append(last)
        elif match := re.fullmatch(r"  (\S.*)", line):
            assert last is not None, line
            if found := warning.fullmatch(match.group(1)):
                note.warnings.append((found.group(1), found.group(2), last))
            else:
                assert last.result is None, f"two follow-up lines under {last.text!r}"
                last.result = match.group(1)
        elif found := warning.fullmatch(line):
            note.warnings.append((found.group(1), found.group(2), None))
        else:
            assert not line[0].isspace(), f"unexpected indentation: {line!r}"
            last = None
            heading = re.sub(r"^\d+\. ", "", line)
            (note.prose if line.endswith((".", ":")) else note.headings).append(heading)
    return note


@pytest.fixture(scope="module")
def note() -> Note:
    return parse_note(_find_note().read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def playbook() -> Playbook:
    return load_builtin()


def _texts(playbook: Playbook) -> list[Text]:
    texts: list[Text | None] = [playbook.title, playbook.product, playbook.intro, playbook.outro]
    texts += [line.text for line in playbook.context]
    for section in playbook.sections:
        texts += [section.title, section.intro]
        for step in section.steps:
            texts += [step.title, step.intro, step.outro, *(line.text for line in step.context)]
            texts += [part for i in step.instructions for part in (i.text, i.result)]
            texts += [w.text for w in step.warnings]
            texts += [part for f in step.fields for part in (f.label, f.help)]
    return [text for text in texts if text is not None]


def _all_dutch(playbook: Playbook) -> str:
    menu_paths = [p for s in playbook.sections for p in [s.menu_path, *(t.menu_path for t in s.steps)] if p]
    return "\n".join([text.nl for text in _texts(playbook)] + menu_paths)


def _instruction_steps(playbook: Playbook) -> list[Step]:
    return [step for step in playbook.steps() if step.instructions]


def test_the_note_parses_into_its_known_shape(note: Note) -> None:
    # guards the parser itself: if it silently found nothing, every other test would pass
    assert [len(group) for group in note.groups] == [4, 1, 7, 2, 18, 4, 8, 4, 4, 9, 7]
    assert len(note.warnings) == 4
    assert sum(1 for g in note.groups for i in g if i.result) == 4
    assert len(note.prose) >= 20


def test_every_numbered_instruction_is_in_the_playbook_word_for_word_in_order(note: Note, playbook: Playbook) -> None:
    from_note = [[i.text for i in group] for group in note.groups]
    from_playbook = [[i.text.nl for i in step.instructions] for step in _instruction_steps(playbook)]
    assert from_playbook == from_note


def test_every_follow_up_line_is_the_result_of_its_instruction(note: Note, playbook: Playbook) -> None:
    from_note = [(i.text, i.result) for group in note.groups for i in group]
    from_playbook = [
        (i.text.nl, i.result.nl if i.result else None) for step in _instruction_steps(playbook) for i in step.instructions
    ]
    assert from_playbook == from_note


def test_every_let_op_and_opmerking_is_a_warning_word_for_word_in_its_place(note: Note, playbook: Playbook) -> None:
    placed = []
    for step in playbook.steps():
        for warning in step.warnings:
            after = step.instructions[warning.after - 1].text.nl if warning.after else None
            placed.append((warning.label("nl"), warning.text.nl, after))
    expected = [(label, text, after.text if after else None) for label, text, after in note.warnings]
    assert sorted(placed, key=str) == sorted(expected, key=str)
    assert {label for label, _, _ in placed} <= {labels["nl"] for labels in WARNING_LABELS.values()}


def test_every_menu_path_of_the_note_is_in_the_playbook(note: Note, playbook: Playbook) -> None:
    paths = set(MENU_PATH.findall(note.text))
    assert len(paths) >= 10  # the pattern still finds the note's menu paths
    dutch = _all_dutch(playbook)
    assert sorted(path for path in paths if path not in dutch) == []


def test_every_menu_path_of_the_playbook_comes_from_the_note(note: Note, playbook: Playbook) -> None:
    menu_paths = [p for s in playbook.sections for p in [s.menu_path, *(t.menu_path for t in s.steps)] if p]
    assert len(menu_paths) >= 6
    # a whole path, not a cut-off one ("Bestand > Administratie" is not "Bestand > Administraties")
    invented = [path for path in menu_paths if not re.search(re.escape(path) + r"(?![\w-])", note.text)]
    assert invented == []


def test_every_paragraph_of_the_note_is_in_an_intro_or_outro(note: Note, playbook: Playbook) -> None:
    prose_texts = [playbook.intro, playbook.outro]
    for section in playbook.sections:
        prose_texts.append(section.intro)
        for step in section.steps:
            prose_texts += [step.intro, step.outro]
    paragraphs = {p for text in prose_texts if text for p in text.nl.split("\n\n")}
    assert [line for line in note.prose if line not in paragraphs] == []


def test_every_heading_of_the_note_is_a_title_or_intro(note: Note, playbook: Playbook) -> None:
    dutch = _all_dutch(playbook)
    support = {f"Support ID: {playbook.source}", f"Product: {playbook.product.nl}"}
    # "Inleiding" is the heading of the playbook's intro itself
    missing = [h for h in note.headings if h not in dutch and h not in support and h != "Inleiding"]
    assert missing == []
    step_titles = {step.title.nl for step in playbook.steps()}
    numbered = re.findall(r"^\d+\. (.+)$", note.text, flags=re.MULTILINE)
    assert [title for title in numbered if title not in step_titles] == []


def test_every_text_has_an_english_translation(playbook: Playbook) -> None:
    assert [text.nl for text in _texts(playbook) if not text.en.strip()] == []


def test_menu_paths_stay_dutch_inside_english_texts(playbook: Playbook) -> None:
    undutched = [
        (path, text.en) for text in _texts(playbook) for path in MENU_PATH.findall(text.nl)
        if path.split(" > ")[0] in ("Opties", "Bestand", "Document", "Bewerken", "Help")
        and re.sub(r" [a-z]+(?: [a-z]+)*$", "", path) not in text.en
    ]
    assert undutched == []


def test_the_parser_catches_a_reworded_instruction(note: Note, playbook: Playbook) -> None:
    # the comparison is strict: a single changed character is a difference
    reworded = parse_note(note.text.replace("Kies Aanmaken.", "Kies Aanmaken"))
    from_playbook = [[i.text.nl for i in step.instructions] for step in _instruction_steps(playbook)]
    assert from_playbook != [[i.text for i in group] for group in reworded.groups]
