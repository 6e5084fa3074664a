"""One text table per language: the same keys in each, every placeholder in both, one word per status."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.conftest import ROOT
from tui.text import LANGS, STATUSES, status_word, t


def test_every_language_has_the_same_keys_and_placeholders() -> None:
    nl, en = LANGS["nl"], LANGS["en"]
    assert set(nl) == set(en), set(nl) ^ set(en)
    for key in nl:
        assert set(re.findall(r"{(\w+)}", nl[key])) == set(re.findall(r"{(\w+)}", en[key])), key


def test_one_word_per_status_in_each_language() -> None:
    for lang in LANGS:
        words = [status_word(s, lang) for s in STATUSES]
        assert len(set(words)) == len(words), words
    assert status_word("todo", "nl") == "open" and status_word("confirmed", "nl") == "met de hand bevestigd"


def test_an_unknown_language_speaks_dutch() -> None:
    assert t("msg.saved", "fr") == "Opgeslagen"




def inline_pairs(path: Path) -> list[int]:
    """The lines of ``path`` that pick between a Dutch and an English text themselves (``ctx.t(nl, en)``, which is gone,
    ``_t(lang, nl, en)``) instead of taking a row of the text tables."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            pair = isinstance(func, ast.Attribute) and func.attr == "t" and len(node.args) == 2
            if pair or (isinstance(func, ast.Name) and func.id == "_t"):
                lines.append(node.lineno)
    return lines


def test_checks_rules_and_versions_take_their_words_from_the_text_tables() -> None:
    modules = [*sorted((ROOT / "tui" / "checks").glob("*.py")), *sorted((ROOT / "tui" / "playbook").glob("*.py")),
               ROOT / "tui" / "versions.py", *sorted((ROOT / "tui" / "state").glob("*.py"))]
    found = {str(path.relative_to(ROOT).as_posix()): inline_pairs(path) for path in modules}
    assert {name: lines for name, lines in found.items() if lines} == {}
