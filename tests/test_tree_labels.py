"""Tree labels stay readable at 80 columns: no two steps (nor two sections) look alike once cut to
the tree's width. The playbook gives a long title a ``short`` one instead of leaving it to the cut,
and a short label is shown whole, in ASCII mode too (its marks are two cells wider: "[x] " for "✔ ")."""

from __future__ import annotations

import pytest
from rich.style import Style

from tests.ui_helpers import make_app, settle


@pytest.mark.parametrize("ascii_mode", [False, True], ids=["unicode", "ascii"])
@pytest.mark.parametrize("lang", ["nl", "en"])
async def test_every_tree_label_is_whole_and_distinct_at_80_columns(lang: str, ascii_mode: bool) -> None:
    app = make_app(lang=lang, ascii_mode=ascii_mode)
    app.session.record_answers("autoreport.administraties", {"administraties": ["Demo BV", "Holding BV"]})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tree = app.main_screen.tree
        app.main_screen.show_verdicts()  # the tree as the screen shows it after a change
        for node in list(tree._tree_nodes.values()):
            node.expand()
        tree._build()
        await settle(pilot)
        labels: dict[str, str] = {}
        for line in tree._tree_lines:
            node = line.node
            info = node.data
            if info is None or info.overview:
                continue
            parent = node.parent.data if node.parent else None
            if parent is not None and parent.step_id:  # an administratie under its step: named by the group
                continue
            text = tree.render_label(node, Style(), Style()).plain
            if info.key or info.step_id:
                step = app.session.playbook.step(info.step_id or app.session.ref(info.key).step.id)
                whole = step.label(lang)
            else:
                whole = app.session.playbook.section(info.section_id).label(lang)
            assert whole in text, f"{whole!r} is cut to {text!r}"
            shown = text[2:] if info.key or info.step_id else text  # the status mark / the arrow
            shown = shown.rsplit(" ", 1)[0] if not info.key else shown  # a count "3/5" is no name
            what = info.key or info.step_id or info.section_id
            assert shown not in labels, f"{what!r} and {labels[shown]!r} both read {shown!r}"
            labels[shown] = what
        assert len(labels) > 20
