"""The navigation of the answering screen: phases -> sections -> items in one Tree.

One Tree widget holds every item as a node (not one widget per item), so a checklist of
thousands of items mounts as fast as a small one: the Tree renders only visible lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from readiness.model import Item
from readiness.scoring import Tally
from readiness.session import Session
from readiness.tui.render import level_mark, plain, progress, score_text, short
from readiness.tui.widgets.repaint import RepaintMemo

Filter = Literal["all", "unanswered", "gaps"]
FILTERS: tuple[Filter, ...] = ("all", "unanswered", "gaps")
LINE_CACHE = 160
"""Drawn tree lines kept (Textual's default is 1,024)."""


@dataclass(frozen=True, slots=True)
class NodeRef:
    """What a tree node stands for."""

    kind: Literal["phase", "section", "item"]
    id: str


class NavTree(RepaintMemo, Tree[NodeRef]):
    """Phases, sections and items with progress and scores in their labels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Previous item", show=False),
        Binding("down", "cursor_down", "Next item", show=False),
        # Straight to the answer (the level list), not to the scrolling pane around it.
        Binding("tab", "screen.enter_answer", "Into the answer", show=False),
    ]

    DEFAULT_CSS = """
    NavTree {
        overflow-x: hidden;
    }
    """

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__("checklist", id=id)
        self.show_root = False
        self.guide_depth = 2
        self.session = session
        self.filter: Filter = "all"
        self.show_all_roles = False
        self.filled = False
        """False until the first :meth:`rebuild` (the screen fills the tree after its first
        frame)."""
        self.item_nodes: dict[str, TreeNode[NodeRef]] = {}
        self.section_nodes: dict[str, TreeNode[NodeRef]] = {}
        self.phase_nodes: dict[str, TreeNode[NodeRef]] = {}
        # The Tree keeps up to 1,024 drawn lines; its keys include the changes of each node
        # and the cursor, so most entries are lines that will never be drawn again. Each is
        # a dozen objects the cycle collector walks at every full pass (a third of what it
        # walked while answering). A few screens' worth is enough (it grows to the height).
        self._line_cache.maxsize = LINE_CACHE

    # ----------------------------------------------------------------- drawing

    # ----------------------------------------------------------------- labels

    def item_label(self, item: Item) -> Text:
        answer = self.session.answer(item.id)
        label = level_mark(answer)
        label.append(" ")
        if not self.session.applies(item):
            label.append("⊘ ", style="dim")
            label.append_text(short(item.prompt, 120, "dim italic"))
        else:
            label.append_text(short(item.prompt, 120))
        return label

    @staticmethod
    def group_label(title: str, tally: Tally, style: str = "") -> Text:
        label = plain(title, style, single_line=True)
        label.append(f"  {progress(tally)}", style="dim")
        label.append(f"  {score_text(tally.score)}", style="bold")
        return label

    def get_label_width(self, node: TreeNode[NodeRef]) -> int:
        """The width :meth:`render_label` would give, without rendering the label.

        The Tree measures every line each time it rebuilds its lines (after every change to
        its nodes); the default renders each label to measure it, which on a few thousand
        items is most of the cost of showing the tree.
        """
        label = node.label
        width = label.cell_len if isinstance(label, Text) else cell_len(label)
        if node.allow_expand:
            width += cell_len(self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE)
        return width

    # ----------------------------------------------------------------- building

    def process_label(self, label: str | Text) -> Text:
        # The labels built here are one-line Texts: use them as they are (the default splits
        # and copies every label to keep its first line).
        if isinstance(label, Text) and "\n" not in label.plain:
            return label
        return super().process_label(label)

    def visible_items(self) -> list[Item]:
        session = self.session
        items = session.items(all_roles=self.show_all_roles)
        if self.filter == "unanswered":
            items = [i for i in items if not session.answer(i.id).is_answered]
        elif self.filter == "gaps":
            gap_ids = {g.item.id for g in session.gaps()}
            items = [i for i in items if i.id in gap_ids]
        return items

    def rebuild(self) -> None:
        """Fill the tree from the session with the current filter and role toggle."""
        session = self.session
        checklist = session.checklist
        scores = session.scores()
        by_section: dict[str, list[Item]] = {}
        for item in self.visible_items():
            by_section.setdefault(item.section, []).append(item)
        self.filled = True
        self.clear()
        self.item_nodes.clear()
        self.section_nodes.clear()
        self.phase_nodes.clear()
        section_tally = {s.id: s.tally for p in scores.phases for s in p.sections}
        for phase_score in scores.phases:
            sections = [s for s in checklist.sections_of(phase_score.id) if s.id in by_section]
            if not sections and self.filter != "all":
                continue
            phase_node = self.root.add(
                self.group_label(phase_score.title, phase_score.tally, "bold"),
                NodeRef("phase", phase_score.id),
                expand=True,
            )
            self.phase_nodes[phase_score.id] = phase_node
            for section in sections:
                section_node = phase_node.add(
                    self.group_label(section.title, section_tally[section.id]),
                    NodeRef("section", section.id),
                    expand=True,
                )
                self.section_nodes[section.id] = section_node
                for item in by_section[section.id]:
                    self.item_nodes[item.id] = section_node.add_leaf(
                        self.item_label(item), NodeRef("item", item.id)
                    )

    def shows(self, item_id: str) -> bool:
        """Whether the tree lists the item with the current filter and role toggle (filled
        or not)."""
        return any(item.id == item_id for item in self.visible_items())

    def refresh_item(self, item_id: str) -> None:
        """Relabel one item, its section and its phase (all a key press can change)."""
        node = self.item_nodes.get(item_id)
        item = self.session.checklist.item_by_id.get(item_id)
        if item is None:
            return
        if node is not None:
            self.relabel(node, self.item_label(item))
        self.refresh_groups(item.section)

    def refresh_groups(self, section_id: str | None = None) -> None:
        scores = self.session.scores()
        for phase in scores.phases:
            phase_node = self.phase_nodes.get(phase.id)
            if phase_node is not None:
                self.relabel(phase_node, self.group_label(phase.title, phase.tally, "bold"))
            for section in phase.sections:
                if section_id is not None and section.id != section_id:
                    continue
                node = self.section_nodes.get(section.id)
                if node is not None:
                    self.relabel(node, self.group_label(section.title, section.tally))

    def relabel(self, node: TreeNode[NodeRef], label: Text) -> None:
        """Give a node a new label, repainting its own line only, and nothing if the label
        is the same.

        ``TreeNode.set_label`` repaints the node's line and every line below it: on a phase,
        the whole visible tree (~40 lines, 10-20 ms) after each answer. A label is drawn on
        its node's line only, so that line is all that changes. (The lines below are drawn
        again when something else repaints them, e.g. scrolling.)
        """
        if node.label == label:
            return
        node._label = self.process_label(label)  # what set_label does, minus its repaint
        node.refresh()  # marks the node changed and repaints its line

    def refresh_all_items(self) -> None:
        for item_id in self.item_nodes:
            self.refresh_item(item_id)

    # ----------------------------------------------------------------- moving

    @property
    def current_item_id(self) -> str | None:
        node = self.cursor_node
        if node is not None and node.data is not None and node.data.kind == "item":
            return node.data.id
        return None

    def select_item(self, item_id: str) -> bool:
        node = self.item_nodes.get(item_id)
        if node is None:
            return False
        parent = node.parent
        while parent is not None and parent is not self.root:
            if not parent.is_expanded:
                parent.expand()
            parent = parent.parent
        # Reading last_line lays the lines out again if a change (a rebuild, an expand)
        # dropped them: the cursor moves to the node's line, which is only known after that.
        if self.last_line < 0:
            return False
        self.move_cursor(node)
        self.scroll_to_node(node, animate=False)
        return True

    def _step(self, delta: int) -> None:
        """Move to the next item line (skipping phase and section lines)."""
        line = self.cursor_line
        last = self.last_line
        probe = line + delta
        while 0 <= probe <= last:
            node = self.get_node_at_line(probe)
            if node is not None and node.data is not None and node.data.kind == "item":
                self.cursor_line = probe
                self.scroll_to_line(probe, animate=False)
                return
            probe += delta
        if 0 <= line + delta <= last:
            # No item that way: still move, so phases and sections can be reached.
            self.cursor_line = line + delta

    def action_cursor_down(self) -> None:
        if self.cursor_line < 0:
            self.cursor_line = 0
            return
        self._step(+1)

    def action_cursor_up(self) -> None:
        self._step(-1)
