"""Align a submission's anchors to the assignment's question tree: numbering, titles, content and order together.

Each anchor (:mod:`.anchors`) can be *read* as one or more nodes of the question tree (:mod:`.question_tree`):

- ``absolute``: the label is an id (``1.3``, ``1.2c``, ``Problem 5``);
- ``relative``: completed from where the answer has got to (``(c)`` after ``1.2b`` is ``1.2c``);
- ``mapped`` / ``continued``: through the student's own numbering, learnt earlier in the same document — after
  ``3 Regression Task`` was read as section 1.2, ``3.1`` is its first part and ``4`` the next section;
- ``ordinal``: by position (the 2nd letter names the 2nd of parts numbered 1, 2, 3; the 3rd ``\\item`` the 3rd
  part; ``3.`` the 3rd section);
- ``implied``: a level the student leaves out (``Problem 1`` then ``1) Sigmoid`` is 1(a)(1); a first ``(a)`` is
  1.2(a) when every id starts with ``1.``);
- ``next-section``: letters that restart (``(a)`` after ``(d)`` opens the next section's part (a));
- ``title``: the heading's title names a section or question ("Classification Task");
- ``heading``: a heading form the spec lists for exactly one question.

Each reading weighs the anchor's weight (how it is set) times how sure the reading is, adjusted by what the text
after the anchor says (:mod:`.question_content`: BCE belongs to 1.3b, softargmax to 1.4a; a restated question text
points to its question) and by whether a section title agrees. A dynamic programme over the anchors in document
order picks the heaviest chain of readings whose questions only move forward — a monotone alignment — except that
a strong heading may start the order again once (a code appendix after the written answers), at a cost.

Between two chosen anchors the lines belong to the first one's question. A heading with no reading at the level of
the current section ("2 Implementation", "1.3 Deriving Loss Functions") closes it. Where the evidence for a
question is weak — only its position, and its content does not confirm it; or its content says another question —
the question is marked *uncertain*, with the reason, so grading sends it to a person rather than guessing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chainrule.grading.anchors import Anchor
from chainrule.grading.question_content import ContentModel, terms
from chainrule.grading.question_tree import Path, QuestionTree, kind, ordinal, title_words

Mapping = tuple[tuple[Path, Path], ...]  # the student's labels read so far → the tree nodes they were read as
SUB = "~"  # in a learnt student label, what follows is a sub-part restated inside the answer ("(b) (b)")

CONTENT_GAIN = 0.5  # content moves a reading's weight by at most half the anchor's weight
TITLE_BONUS = 0.3
RESTART_COST = 0.6  # a second pass through the questions costs this share of the restarting heading's weight
SKIP_COST = 3.0  # students answer in order: a chain that jumps over a question pays for it
SEGMENT_LINES = 60  # lines after an anchor read for its content
MAX_STATES_PER_NODE = 3
_FACTORS = {"absolute": 1.0, "relative": 1.0, "heading": 1.0, "mapped": 0.95, "continued": 0.9,
            "top-ordinal": 0.9, "item": 0.9, "implied": 0.7, "ordinal": 0.6, "next-section": 0.5,
            "sub-part": 0.9}
_GUESSES = frozenset({"ordinal", "top-ordinal", "implied", "next-section"})
WEAK = frozenset({"ordinal", "implied", "next-section", "title", "item", "top-ordinal"})


@dataclass(frozen=True)
class Reading:
    """One way to read an anchor: the tree node it opens and how much that reading weighs."""

    node: Path
    weight: float
    how: str
    label_weight: float
    content: float
    mapping: Mapping
    also: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Placement:
    """An anchor of the chosen chain with the reading chosen for it."""

    anchor: Anchor
    reading: Reading


@dataclass(frozen=True)
class _Chain:
    score: float
    placement: Placement | None
    previous: _Chain | None


class Aligner:
    """Reads anchors against one assignment's question tree and finds the best monotone chain."""

    def __init__(self, tree: QuestionTree, content: ContentModel, lines: Sequence[str]) -> None:
        self.tree = tree
        self.content = content
        self.lines = lines
        self.start = tree.branch_node()
        self._affinity: dict[int, dict[str, float]] = {}

    # --- content -----------------------------------------------------------------------------------------

    def segment_end(self, anchors: Sequence[Anchor], index: int) -> int:
        """The last line of an anchor's own text: up to the next anchor set at least as strongly."""
        anchor = anchors[index]
        for later in anchors[index + 1:]:
            if later.line > anchor.line and later.weight >= anchor.weight * 0.5:
                return later.line - 1
        return len(self.lines)

    def affinity(self, anchors: Sequence[Anchor], index: int) -> dict[str, float]:
        if index not in self._affinity:
            anchor = anchors[index]
            end = min(self.segment_end(anchors, index), anchor.line + SEGMENT_LINES)
            text = "\n".join(self.lines[anchor.line - 1:end])
            self._affinity[index] = self.content.affinity(terms(text))
        return self._affinity[index]

    # --- readings ----------------------------------------------------------------------------------------

    def readings(self, anchor: Anchor, node: Path, mapping: Mapping, affinity: dict[str, float]) -> list[Reading]:
        """Every way to read ``anchor`` when the answer has got to ``node`` with the student's ``mapping``."""
        tree = self.tree
        found: dict[Path, Reading] = {}
        context = node or self.start
        labels = anchor.components
        implicit = bool(labels) and labels[0].startswith("#")
        words = title_words(anchor.title) if anchor.title else set()
        titled = dict(tree.title_match(words))

        def offer(target: Path | None, factor: float, how: str, learnt: bool = True) -> None:
            if target is None or target not in tree:
                return
            if words and not anchor.keyword and not titled.get(target) and self._title_disagrees(target, words):
                return  # "2 Two-Layer Neural Nets" is not section 1.2 "Regression Task", whatever its number
            if words and not anchor.keyword and not titled and len(target) <= len(self.start):
                return  # "1 Instructions" names no question: not the part that holds them all
            if titled and not anchor.keyword and not any(target[: len(node)] == node for node in titled):
                factor *= 0.5  # "1. (Classification Task)": the title names the section better than the number
            elif words and not titled and how in _GUESSES:
                factor *= 0.5  # "2 Implementation": a title naming nothing asked makes a guess by position weaker
            label_weight = anchor.weight * factor + anchor.weight * TITLE_BONUS * titled.get(target, 0.0)
            leaf = tree.leaf_at.get(target)
            content = affinity.get(leaf, 0.0) if leaf else 0.0
            weight = max(label_weight + anchor.weight * CONTENT_GAIN * content, anchor.weight * 0.05)
            if target in found and found[target].weight >= weight:
                return
            student = (*labels, SUB, *anchor.sub) if anchor.sub else labels
            learnt_mapping = _learn(mapping, student, target) if learnt and labels and not implicit else mapping
            also = tuple(p for p in (self._also(anchor, target),) if p is not None)
            found[target] = Reading(target, weight, how, label_weight, content, learnt_mapping, also)

        if labels and not implicit:
            offer(labels, _FACTORS["absolute"] + (0.002 * len(context) if anchor.top_level else 0.0), "absolute")
            # "Question 3" after "2.1" names a whole question: read from the top of the tree, not inside 2.
            depths = [len(self.start)] if anchor.top_level else range(len(context), 0, -1)
            for depth in depths:
                if depth:
                    offer((*context[:depth], *labels), _FACTORS["relative"] + 0.001 * depth, "relative")
            self._mapped_readings(labels, mapping, offer)
        if len(labels) == 1:
            self._positional_readings(anchor, labels[0], context, implicit, offer, at_start=not node)
            if not implicit and node:
                self._sub_part_reading(anchor, labels[0], node, mapping, found)
        for target, share in titled.items():
            offer(target, share, "title")
        key = "".join(labels) if not implicit else ""
        if key in tree.heading_keys and anchor.label:
            offer(tree.path_of[tree.heading_keys[key]], _FACTORS["heading"] * 0.999, "heading")
        return list(found.values())

    def _mapped_readings(self, labels: Path, mapping: Mapping, offer) -> None:
        """Readings through the student's own numbering: ``3.1`` after ``3`` was read as 1.2; ``4`` after it."""
        tree = self.tree
        for student, target in reversed(mapping):
            if len(labels) > len(student) and labels[: len(student)] == student:
                offer(_descend(tree, target, labels[len(student):]), _FACTORS["mapped"], "mapped")
                break
        for student, target in reversed(mapping):
            if len(student) == len(labels) and student[:-1] == labels[:-1] and kind(student[-1]) == kind(labels[-1]):
                first, last = ordinal(student[-1]), ordinal(labels[-1])
                if first is not None and last is not None and last > first:
                    offer(tree.sibling(target, last - first), _FACTORS["continued"], "continued")
                break

    def _sub_part_reading(self, anchor: Anchor, label: str, node: Path, mapping: Mapping,
                          found: dict[Path, Reading]) -> None:
        """``(c)`` after ``(a) (b)``: the next sub-part the student restates inside the current answer, not a new
        question. Reading it so explains the label (it weighs like one) without moving on."""
        for index in range(len(mapping) - 1, -1, -1):
            student, target = mapping[index]
            if target != node or SUB not in student:
                continue
            before, after = ordinal(student[-1]), ordinal(label)
            if kind(student[-1]) == kind(label) and before is not None and after == before + 1:
                learnt = (*mapping[:index], *mapping[index + 1:], ((*student[:-1], label), target))
                weight = anchor.weight * _FACTORS["sub-part"]
                if node not in found or found[node].weight < weight:
                    found[node] = Reading(node, weight, "sub-part", weight, 0.0, learnt)
            return

    def _positional_readings(self, anchor: Anchor, label: str, context: Path, implicit: bool, offer,
                             at_start: bool = False) -> None:
        tree = self.tree
        position = ordinal(label)
        if position is None:
            return
        for depth in (len(context), len(context) - 1):
            if depth < 0 or anchor.weight <= 1.0:
                continue
            node = context[:depth]
            children = tree.children.get(node, [])
            below = tree.children.get(tree.child(node, 1) or (), [])
            if not implicit and below and kind(below[0]) == kind(label):
                continue  # "(a)" where sections hold parts (a), (b): a part of the first section, not a section
            if children and (implicit or kind(children[0]) != kind(label)):
                offer(tree.child(node, position), _FACTORS["item" if implicit else "ordinal"],
                      "item" if implicit else "ordinal", learnt=False)
        if implicit:
            return
        # A level the student leaves out: "Problem 1" then "1) Sigmoid" is 1(a)(1); a document's first "(a)" is
        # 1.2(a) when every id starts with "1." and 1.2 comes first (not a guess: the shared start is left out).
        for depth in (len(context), len(context) - 1):
            first = self.tree.child(context[:depth], 1) if depth >= 0 else None
            if first is not None and first not in tree.leaf_at:
                how = "first-part" if at_start and depth == len(context) and self.start else "implied"
                offer(_descend(tree, first, (label,)), _FACTORS["implied"], how, learnt=False)
        # Letters that restart: "(a)" after "(d)" is part (a) of the next section.
        if len(context) >= 2:
            following = tree.sibling(context[:-1], 1)
            if following is not None:
                offer(_descend(tree, following, (label,)), _FACTORS["next-section"], "next-section", learnt=False)
        # "3." with a title: the 3rd section where every id starts alike ("1.2", "1.3", "1.4").
        if label.isdigit() and (anchor.heading_like or anchor.title):
            offer(tree.child(tree.branch_node(), position), _FACTORS["top-ordinal"], "top-ordinal")

    def _title_disagrees(self, target: Path, words: set[str]) -> bool:
        """A section the assignment titles, named by a heading whose title shares no word with it."""
        section = self.tree.section_titles.get(target)
        return bool(section) and not (section & words)

    def _also(self, anchor: Anchor, target: Path) -> Path | None:
        if not anchor.also:
            return None
        merged = (*target[:-1], *anchor.also) if len(target) >= 1 else anchor.also
        for candidate in (merged, anchor.also):
            if candidate in self.tree and self.tree.key(candidate) > self.tree.key(target):
                return candidate
        return None

    # --- the chain ---------------------------------------------------------------------------------------

    def best_chain(self, anchors: Sequence[Anchor]) -> list[Placement]:
        """The heaviest chain of readings in document order whose questions only move forward (one restart)."""
        tree = self.tree
        start_key: tuple[Path, Mapping, int] = ((), (), 0)
        best: dict[tuple[Path, Mapping, int], _Chain] = {start_key: _Chain(0.0, None, None)}
        by_line: dict[int, list[int]] = {}
        for index, anchor in enumerate(anchors):
            by_line.setdefault(anchor.line, []).append(index)
        for indices in by_line.values():
            updates: dict[tuple[Path, Mapping, int], _Chain] = {}
            for (node, mapping, restarts), chain in list(best.items()):
                current = tree.key(node) if node else (-1, 0)
                for index in indices:
                    anchor = anchors[index]
                    for reading in self.readings(anchor, node, mapping, self.affinity(anchors, index)):
                        score = chain.score + reading.weight
                        next_restarts = restarts
                        reached = tree.first_leaf[node] if node else -1
                        if reading.how == "sub-part":
                            pass  # stays in the current answer
                        elif tree.key(reading.node) <= current:
                            if restarts or not _may_restart(anchor, reading):
                                continue
                            score -= anchor.weight * RESTART_COST
                            next_restarts, reached = 1, -1
                        if reading.how != "sub-part":
                            score -= SKIP_COST * max(tree.first_leaf[reading.node] - reached - 1, 0)
                        key = (reading.node, reading.mapping, next_restarts)
                        known = updates.get(key) or best.get(key)
                        if known is None or score > known.score + 1e-9:
                            updates[key] = _Chain(score, Placement(anchor, reading), chain)
            best.update(updates)
            best = _pruned(best)
        top = max(best.values(), key=lambda chain: chain.score)
        placements: list[Placement] = []
        walker: _Chain | None = top
        while walker is not None and walker.placement is not None:
            if walker.placement.reading.how != "sub-part":
                placements.append(walker.placement)
            walker = walker.previous
        return placements[::-1]

    def closes(self, anchor: Anchor, placement: Placement, group: Placement) -> bool:
        """Whether an anchor the chain passed over ends the current question: a heading at the level of the
        current section or above that names nothing ahead ("2 Implementation", "\\section*{Appendix}")."""
        if not anchor.heading_like or (anchor.components[:1] and anchor.components[0].startswith("#")):
            return False
        if anchor.level is not None and group.anchor.level is not None:
            if anchor.level > group.anchor.level:
                return False
        elif anchor.components and group.anchor.components and anchor.components[0].isdigit():
            if len(anchor.components) > len(group.anchor.components):
                return False
        else:
            return False
        node, mapping = placement.reading.node, placement.reading.mapping
        ahead = [reading for reading in self.readings(anchor, node, mapping, {})
                 if self.tree.key(reading.node) > self.tree.key(node) and reading.how not in _GUESSES]
        return not ahead


def _may_restart(anchor: Anchor, reading: Reading) -> bool:
    """A second pass (code appendix, printed notebook) starts only at a heading that names a question outright."""
    return reading.how == "absolute" and anchor.heading_like and (anchor.top_level or anchor.level is not None)


def _descend(tree: QuestionTree, node: Path, labels: Path) -> Path | None:
    """``node`` followed by ``labels``, each taken literally where the tree has it, else by position."""
    for label in labels:
        children = tree.children.get(node, [])
        if label in children:
            node = (*node, label)
            continue
        position = ordinal(label)
        if position is None or not children or kind(children[0]) == kind(label):
            return None
        child = tree.child(node, position)
        if child is None:
            return None
        node = child
    return node


def _learn(mapping: Mapping, labels: Path, target: Path) -> Mapping:
    """The student's numbering after reading ``labels`` as ``target``: ancestors kept, the same level replaced."""
    kept = [(student, node) for student, node in mapping
            if not (len(student) == len(labels) and student[:-1] == labels[:-1]
                    and kind(student[-1]) == kind(labels[-1]))
            and not (len(student) > len(labels) and student[: len(labels)] != labels)]
    return (*kept[-3:], (labels, target))


def _pruned(best: dict[tuple[Path, Mapping, int], _Chain]) -> dict[tuple[Path, Mapping, int], _Chain]:
    """At most a few chains per node (they differ only in the student's numbering they learnt)."""
    by_node: dict[tuple[Path, int], list[tuple[tuple[Path, Mapping, int], _Chain]]] = {}
    for key, chain in best.items():
        by_node.setdefault((key[0], key[2]), []).append((key, chain))
    kept: dict[tuple[Path, Mapping, int], _Chain] = {}
    for entries in by_node.values():
        entries.sort(key=lambda entry: -entry[1].score)
        kept.update(entries[:MAX_STATES_PER_NODE])
    return kept
