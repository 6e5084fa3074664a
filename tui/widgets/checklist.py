"""The checklist: sections with their progress, steps with a status mark, per-administratie children."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import BindingType
from textual.reactive import var
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.state.session import CLOSED, StepRef
from tui.state.verdicts import Verdicts
from tui.text import mark, t
from tui.widgets.keyed import bindings, install

if TYPE_CHECKING:
    from tui.playbook.model import Playbook

ASCII_LINES = {name: ("  ", "| ", "`-", "|-") for name in ("default", "bold", "double")}


@dataclass(frozen=True)
class NodeInfo:
    """What a tree line stands for: a section, a step (``key`` set) or a scoped step's group."""

    section_id: str
    key: str | None = None
    step_id: str | None = None  # set for a group of per-administratie steps
    overview: bool = False  # the top line: the note's introduction and the progress of each section


class ChecklistTree(Tree[NodeInfo], inherit_bindings=False):
    """Shows the verdicts the screen hands down (``show``); it never holds the session."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("tree")

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "checklist--todo", "checklist--running", "checklist--done", "checklist--confirmed", "checklist--failed",
        "checklist--skipped", "checklist--interrupted", "checklist--blocked", "checklist--section",
        "checklist--count",
    }

    DEFAULT_CSS = """
    ChecklistTree {
        & > .checklist--todo { color: $foreground; }
        & > .checklist--running { color: $accent; text-style: bold; }
        & > .checklist--done { color: $success; }
        & > .checklist--confirmed { color: $success; text-style: italic; }
        & > .checklist--failed { color: $error; text-style: bold; }
        & > .checklist--skipped { color: $foreground-muted; text-style: italic; }
        & > .checklist--interrupted { color: $warning; text-style: bold; }
        & > .checklist--blocked { color: $foreground-muted; }
        & > .checklist--section { text-style: bold; }
        & > .checklist--count { color: $foreground-muted; }
    }
    """

    lang: var[str] = var("nl", init=False)

    def __init__(self, playbook: Playbook, *, lang: str = "nl", ascii_mode: bool = False, id: str | None = None) -> None:
        super().__init__("checklist", id=id)
        self.set_reactive(ChecklistTree.lang, lang)
        install(self, "tree", lang)
        self.playbook = playbook
        self.verdicts = Verdicts()
        self.show_root = False
        self.auto_expand = False
        self.guide_depth = 2
        self._key_nodes: dict[str, TreeNode[NodeInfo]] = {}
        self._refs: dict[str, StepRef] = {}
        self._shape: tuple[str, ...] | None = None
        self.set_ascii(ascii_mode)

    def watch_lang(self, lang: str) -> None:
        install(self, "tree", lang)
        self._invalidate()

    # -- building -------------------------------------------------------------------------
    def show(self, verdicts: Verdicts) -> None:
        """The session as it is now: the nodes are made again only when the step list changed
        (administraties added or removed), else the lines are redrawn."""
        self.verdicts = verdicts
        if verdicts.shape != self._shape:
            self._rebuild()
        else:
            self._invalidate()

    def _rebuild(self) -> None:
        """(Re)create the nodes from the step list, keeping the cursor's step: one pass over the steps."""
        current = self.current_key()
        collapsed = {n.data.section_id for n in self.root.children if n.data and not n.is_expanded}
        self.clear()
        self._key_nodes.clear()
        refs = self.verdicts.refs
        self._refs = {ref.key: ref for ref in refs}
        by_step: dict[str, list[StepRef]] = {}
        for ref in refs:
            by_step.setdefault(ref.step.id, []).append(ref)
        self.root.add_leaf("", NodeInfo("", overview=True))
        for section in self.playbook.sections:
            section_node = self.root.add("", NodeInfo(section.id), expand=section.id not in collapsed)
            for step in section.steps:
                step_refs = by_step.get(step.id, [])
                parent = section_node
                if any(r.administratie for r in step_refs):
                    parent = section_node.add("", NodeInfo(section.id, step_id=step.id), expand=True)
                for ref in step_refs:
                    self._key_nodes[ref.key] = parent.add_leaf("", NodeInfo(section.id, key=ref.key))
        self._shape = self.verdicts.shape
        if current:
            self.select_key(current)

    def set_ascii(self, ascii_mode: bool) -> None:
        self.ascii_mode = ascii_mode
        self.ICON_NODE, self.ICON_NODE_EXPANDED = ("+ ", "- ") if ascii_mode else ("▶ ", "▼ ")
        self.LINES = ASCII_LINES if ascii_mode else Tree.LINES
        self._invalidate()

    # -- cursor ---------------------------------------------------------------------------
    def current_key(self) -> str | None:
        node = self.cursor_node
        return node.data.key if node is not None and node.data else None

    def select_overview(self) -> None:
        self._build()
        self.move_cursor(self.root.children[0])

    def select_key(self, key: str) -> None:
        node = self._key_nodes.get(key)
        if node is None:
            return
        parent = node.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        self._build()  # the node needs its line number now, not at the next idle
        self.move_cursor(node)

    def action_collapse_or_parent(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)

    def action_expand_or_child(self) -> None:
        node = self.cursor_node
        if node is None or not node.allow_expand:
            return
        if not node.is_expanded:
            node.expand()
        elif node.children:
            self._build()
            self.move_cursor(node.children[0])

    # -- rendering ------------------------------------------------------------------------
    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"checklist--{name}", partial=True)

    def _group_status(self, keys: list[str]) -> str:
        statuses = [self.verdicts.status(k) for k in keys]
        for wanted in ("running", "failed", "interrupted"):
            if wanted in statuses:
                return wanted
        if all(s in CLOSED for s in statuses):
            return "confirmed" if "confirmed" in statuses else "done"
        return "blocked" if all(s == "blocked" for s in statuses) else "todo"

    def render_label(self, node: TreeNode[NodeInfo], base_style: Style, style: Style) -> Text:
        info = node.data
        lang, verdicts = self.lang, self.verdicts
        if info is None:
            return Text("")
        if info.overview:
            label = Text.assemble(("= " if self.ascii_mode else "≡ ", base_style),
                                  (t("overview.title", lang), self._style("section")))
        elif info.key is None and info.step_id is None:  # a section
            section = self.playbook.section(info.section_id)
            done, total = verdicts.section(section.id)
            icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
            label = Text.assemble(
                (icon, base_style), (section.label(lang), self._style("section")),
                (f" {done}/{total}", self._style("done" if done == total else "count")))
        elif info.key is None:  # a group of per-administratie steps
            keys = [child.data.key for child in node.children if child.data and child.data.key]
            status = self._group_status(keys)
            done = sum(verdicts.status(k) in CLOSED for k in keys)
            step = self.playbook.step(info.step_id or "")
            label = Text.assemble(
                (mark(status, self.ascii_mode) + " ", self._style(status)),
                (step.label(lang) if step else "", self._style(status) if status != "todo" else Style()),
                (f" {done}/{len(keys)}", self._style("count")))
        else:
            status = verdicts.status(info.key)
            ref = self._refs[info.key]
            in_group = bool(ref.administratie and node.parent and node.parent.data and node.parent.data.step_id)
            title = ref.administratie if in_group else ref.step.label(lang) + (
                f" ({ref.administratie})" if ref.administratie else "")
            flagged = info.key in verdicts.flagged
            label = Text.assemble(
                (mark(status, self.ascii_mode) + " ", self._style(status)),
                (title or "", self._style(status) if status != "todo" else Style()),
                (" " + mark("flagged", self.ascii_mode) if flagged else "", self._style("failed")))
        label.stylize(style)
        return self._fit(node, label)

    def _fit(self, node: TreeNode[NodeInfo], label: Text) -> Text:
        """Cut long titles at the tree's width: the detail shows them in full."""
        width = self.scrollable_content_region.width
        if width <= 0 or node._line < 0:
            return label
        lines = self._tree_lines_cached
        if lines is None or node._line >= len(lines):
            return label
        room = width - lines[node._line]._get_guide_width(self.guide_depth, self.show_root)
        if room > 1 and label.cell_len > room:
            label.truncate(room, overflow="crop" if self.ascii_mode else "ellipsis")
        return label
