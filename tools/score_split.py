#!/usr/bin/env python3
"""How well question finding files labelled answers, without grading anything (seconds, not minutes).

For every labelled submission with an assignment in ``../shared/corpus/labels.yaml``: each labelled question the
split finds no section for is *lost*; each labelled line (a ``wrong`` item's line, a ``right`` item's lines) filed
under another question, or under none, is *misfiled*. ``--verbose`` lists them. Run from the project root.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from chainrule.assignments.loader import load_assignment
from chainrule.documents import document_from_text
from chainrule.grading.split import split_document

ASSIGNMENT_IDS = {
    "seeds/000_5108e9c6c3f40273.txt": "ama564-a1",
    "seeds/003_624ed05b8cd86c4d.txt": "you-nndl-hw1",
    "seeds/004_03aaa0388276d36d.txt": "ryu-mathdnn-hw3",
    "corpus/assignments/nyu-dl-hw1-2022.txt": "nyu-dl-hw1-2022",
    "corpus/assignments/nyu-dl-hw1-2021.txt": "nyu-dl-hw1-2021",
}


def labelled_lines(submission: dict) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for kind in ("wrong", "right"):
        for item in submission.get(kind) or []:
            lines = [int(n) for n in item.get("lines") or []]
            if item.get("line"):
                lines.append(int(item["line"]))
            found.extend((line, str(item.get("question"))) for line in lines)
    return found


def show(assignment_id: str, file: str) -> int:
    from chainrule.grading.align import Aligner
    from chainrule.grading.anchors import find_anchors
    from chainrule.grading.question_content import ContentModel
    from chainrule.grading.question_tree import QuestionTree

    assignment = load_assignment(assignment_id)
    document = document_from_text(Path(file).read_text(encoding="utf-8"), file)
    tree = QuestionTree(assignment.questions, assignment.sections)
    aligner = Aligner(tree, ContentModel(assignment.questions), document.lines)
    anchors = find_anchors(document)
    for placement in aligner.best_chain(anchors):
        anchor, reading = placement.anchor, placement.reading
        print(f"{anchor.line:>5} {anchor.label or anchor.title!r:28.28} -> {'.'.join(reading.node):8} "
              f"{reading.how:12} w={reading.weight:7.1f} label={reading.label_weight:6.1f} c={reading.content:+.2f}")
    split = split_document(document, assignment.questions, assignment.sections)
    for question_id, section in split.sections.items():
        print(f"{question_id:6} {section.ranges} {section.how} {split.uncertain.get(question_id, '')}")
    return 0


def placement_problems(submission: dict, root: Path) -> list[str]:
    """The labelled questions a split loses and the labelled lines it files elsewhere, for one submission."""
    assignment_id = ASSIGNMENT_IDS.get(submission.get("assignment") or "")
    path = root / submission["file"]
    if not assignment_id or not path.exists():
        return []
    assignment = load_assignment(assignment_id)
    document = document_from_text(path.read_text(encoding="utf-8"), str(path))
    split = split_document(document, assignment.questions, assignment.sections)
    questions = {str(item.get("question")) for kind in ("wrong", "right", "review")
                 for item in submission.get(kind) or []}
    problems = [f"{path.name}: LOST [{question}]" for question in sorted(questions - set(split.sections))]
    problems += [f"{path.name}: MISFILED line {line} [{question}] filed under {split.question_of_line(line)}"
                 for line, question in labelled_lines(submission) if split.question_of_line(line) != question]
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", default="../shared/corpus/labels.yaml")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--show", nargs=2, metavar=("ASSIGNMENT", "FILE"),
                        help="print the anchors chosen for one file and the sections they make")
    args = parser.parse_args()
    if args.show:
        return show(*args.show)
    labels = Path(args.labels)
    root = labels.resolve().parent.parent
    lost = misfiled = questions = lines = 0
    for submission in yaml.safe_load(labels.read_text())["submissions"]:
        if not ASSIGNMENT_IDS.get(submission.get("assignment") or ""):
            continue
        problems = placement_problems(submission, root)
        asked = {str(item.get("question")) for kind in ("wrong", "right", "review")
                 for item in submission.get(kind) or []}
        file_lost = sum("LOST" in problem for problem in problems)
        file_misfiled = len(problems) - file_lost
        questions += len(asked)
        lines += len(labelled_lines(submission))
        lost += file_lost
        misfiled += file_misfiled
        print(f"{Path(submission['file']).name[:60]:60} lost {file_lost:>2}/{len(asked):<3} misfiled "
              f"{file_misfiled:>2}/{len(labelled_lines(submission))}")
        if args.verbose:
            for problem in problems:
                print(f"  {problem.split(': ', 1)[1]}")
    print(f"labelled questions lost: {lost}/{questions}; labelled lines misfiled: {misfiled}/{lines}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
