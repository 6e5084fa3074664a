"""One text table per language: the same keys in each, every placeholder in both, one word per status."""

from __future__ import annotations

import re

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
