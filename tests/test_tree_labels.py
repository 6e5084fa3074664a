"""Tree labels stay readable at 80 columns: no two steps (nor two sections) look alike once cut to
the tree's width. The playbook gives a long title a ``short`` one instead of leaving it to the cut."""

from __future__ import annotations

import pytest
from rich.style import Style

from tests.ui_helpers import make_app, settle


@pytest.mark.parametrize("lang", ["nl", "en"])
async def test_every_tree_label_is_distinct_at_80_columns(lang: str) -> None:
    app = make_app(lang=lang)
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
            shown = text[2:] if info.key or info.step_id else text  # the status mark / the arrow
            shown = shown.rsplit(" ", 1)[0] if not info.key else shown  # a count "3/5" is no name
            what = info.key or info.step_id or info.section_id
            assert shown not in labels, f"{what!r} and {labels[shown]!r} both read {shown!r}"
            labels[shown] = what
        assert len(labels) > 20
