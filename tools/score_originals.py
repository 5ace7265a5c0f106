#!/usr/bin/env python3
"""Grade each labelled real submission from its ORIGINAL file (PDF, .tex, .ipynb, .md) and from its text version.

Issue #9 asks that grading the file a student handed in finds every labelled question and catches at least as
many labelled mistakes per question as grading the text version (``../shared/corpus/submissions/``) does. The
labels point at lines of the text version; an original's rendition has other line numbers, so each labelled
line is mapped to the rendition line whose content matches it best (both normalised: LaTeX commands, spaces
and punctuation dropped; fuzzy ratio at least ``--min-ratio``). A mistake counts as caught, as in
``../shared/bin/score``, when a ``wrong`` (or carried-forward) finding lies within one line of it under the
labelled question.

Usage, from the project root after the README's set-up:
    .venv/bin/python tools/score_originals.py [--corpus ../shared/corpus] [--only SUBSTRING] [--verbose]

It prints, per file and per labelled question: found (original / text), mistakes caught (original / text),
flagging each question where the original does worse; then every original in the corpus read end to end
(format, rendition lines, reading notes, or the one-line error). The exit code is 0; read the figures.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

ASSIGNMENTS = {
    "seeds/000_5108e9c6c3f40273.txt": "ama564-a1",
    "seeds/003_624ed05b8cd86c4d.txt": "you-nndl-hw1",
    "seeds/004_03aaa0388276d36d.txt": "ryu-mathdnn-hw3",
    "corpus/assignments/nyu-dl-hw1-2022.txt": "nyu-dl-hw1-2022",
    "corpus/assignments/nyu-dl-hw1-2021.txt": "nyu-dl-hw1-2021",
}
_COMMAND = re.compile(r"\\[A-Za-z]+")
_NOISE = re.compile(r"[^0-9a-z]+")


def normalise(line: str) -> str:
    """A line's content for matching across renditions: letters and digits only, LaTeX command names dropped."""
    return _NOISE.sub("", _COMMAND.sub("", line.lower()))


def grade_json(path: Path, assignment: str, timeout: float) -> dict | None:
    executable = Path(".venv/bin/chainrule")
    command = [str(executable) if executable.exists() else "chainrule", "grade", assignment, str(path),
               "--format", "json"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return None
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        print(f"  no JSON from {path.name} (exit {done.returncode}): {(done.stderr or done.stdout).strip()[-200:]}")
        return None
    return report[0] if isinstance(report, list) else report


def flags_and_verdicts(report: dict) -> tuple[list[tuple[str, int]], dict[str, str]]:
    """(question, rendition line) of every wrong or carried-forward finding; each question's verdict."""
    flags, verdicts = [], {}
    for question in report.get("questions", []):
        qid = str(question.get("id"))
        verdicts[qid] = str(question.get("verdict"))
        for finding in question.get("findings", []):
            text = " ".join(str(x) for x in (finding.get("reason"), *(finding.get("notes") or [])))
            if finding.get("line") is not None and (finding.get("verdict") == "wrong" or "carried forward" in text
                                                    or "carries forward" in text):
                flags.append((qid, int(finding["line"])))
    return flags, verdicts


def map_line(text_line: str, rendition: list[str], relative: float, min_ratio: float) -> int | None:
    """The rendition line (1-based) whose content best matches ``text_line``; ties go to the nearer position."""
    target = normalise(text_line)
    if len(target) < 3:
        return None
    best: tuple[float, float, int] | None = None
    for index, line in enumerate(rendition):
        candidate = normalise(line)
        if not candidate:
            continue
        matcher = difflib.SequenceMatcher(None, target, candidate, autojunk=False)
        if matcher.real_quick_ratio() < min_ratio or matcher.quick_ratio() < min_ratio:
            continue
        ratio = matcher.ratio()
        contained = (len(target) >= 8 and target in candidate) or (
            len(candidate) >= max(8, 0.5 * len(target)) and candidate in target)
        if contained:
            ratio = max(ratio, 0.9)
        distance = abs(index / max(len(rendition), 1) - relative)
        key = (ratio, -distance, index + 1)
        if ratio >= min_ratio and (best is None or key > best):
            best = key
    return best[2] if best else None


def caught(flags: list[tuple[str, int]], question: str, line: int | None) -> bool:
    return line is not None and any(q == question and abs(n - line) <= 1 for q, n in flags)


def score_one(entry: dict, corpus: Path, timeout: float, min_ratio: float, verbose: bool) -> dict | None:
    from chainrule.documents import open_document

    text_path = corpus.parent / entry["file"]
    original = corpus / "originals" / text_path.name.removesuffix(".md")
    assignment = ASSIGNMENTS.get(entry.get("assignment") or "")
    if not original.exists() or assignment is None:
        return None
    print(f"\n{original.name}  [{assignment}]")
    text_lines = text_path.read_text(encoding="utf-8").split("\n")
    try:
        rendition = open_document(original).lines
    except Exception as error:  # the harness reports a reader failure and goes on
        print(f"  cannot read the original: {type(error).__name__}: {error}")
        rendition = []
    text_report = grade_json(text_path, assignment, timeout)
    original_report = grade_json(original, assignment, timeout) if rendition else None
    if text_report is None or original_report is None:
        print("  (no report)")
        return {"questions": 0, "found_original": 0, "found_text": 0, "mistakes": 0, "caught_original": 0,
                "caught_text": 0, "worse": 1}
    text_flags, text_verdicts = flags_and_verdicts(text_report)
    original_flags, original_verdicts = flags_and_verdicts(original_report)
    questions: dict[str, list[dict]] = {}
    for kind in ("wrong", "right", "review"):
        for item in entry.get(kind) or []:
            questions.setdefault(str(item.get("question")), []).append({**item, "kind": kind})
    totals = dict.fromkeys(("questions", "found_original", "found_text", "mistakes", "caught_original",
                            "caught_text", "worse"), 0)
    for qid, items in questions.items():
        found_original = original_verdicts.get(qid, "missing") != "missing"
        found_text = text_verdicts.get(qid, "missing") != "missing"
        mistakes = [item for item in items if item["kind"] == "wrong" and item.get("line")]
        hit_text = hit_original = 0
        unmapped = []
        for item in mistakes:
            line = int(item["line"])
            hit_text += caught(text_flags, qid, line)
            mapped = map_line(text_lines[line - 1] if line <= len(text_lines) else "", rendition,
                              line / max(len(text_lines), 1), min_ratio)
            if mapped is None:
                unmapped.append(line)
            hit_original += caught(original_flags, qid, mapped)
            if verbose:
                shown = rendition[mapped - 1][:70] if mapped else "(no match)"
                print(f"    text {line} -> rendition {mapped}: {shown}")
        worse = (found_text and not found_original) or hit_original < hit_text
        totals["questions"] += 1
        totals["found_original"] += found_original
        totals["found_text"] += found_text
        totals["mistakes"] += len(mistakes)
        totals["caught_original"] += hit_original
        totals["caught_text"] += hit_text
        totals["worse"] += worse
        note = f"  unmapped text lines {unmapped}" if unmapped else ""
        print(f"  {qid:6} found {'yes' if found_original else 'NO ':3} / {'yes' if found_text else 'NO ':3}"
              f"  caught {hit_original}/{len(mistakes)} vs {hit_text}/{len(mistakes)}"
              f"{'   <- original worse' if worse else ''}{note}")
    return totals


def read_all(corpus: Path) -> None:
    """Every original read end to end: what came out, or the one-line reason it could not be read."""
    from chainrule.documents import open_document
    from chainrule.errors import InputError

    print("\nEvery original, read end to end:")
    for path in sorted((corpus / "originals").iterdir()):
        try:
            document = open_document(path)
        except InputError as error:
            print(f"  {path.name[:70]:70} not read: {error.message[:90]}")
            continue
        except Exception as error:  # a crash is exactly what this section is for
            print(f"  {path.name[:70]:70} CRASH {type(error).__name__}: {error}")
            continue
        print(f"  {path.name[:70]:70} {document.format:9} {len(document.lines):5} lines, "
              f"{len(document.blocks):4} blocks, {len(document.notes)} notes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default="../shared/corpus")
    parser.add_argument("--only", default="", help="grade only files whose name contains this")
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--min-ratio", type=float, default=0.6)
    parser.add_argument("--verbose", action="store_true", help="show where each labelled line was mapped")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    if not (corpus / "labels.yaml").exists():
        sys.exit(f"score_originals: no labels at {corpus / 'labels.yaml'}")
    entries = yaml.safe_load((corpus / "labels.yaml").read_text(encoding="utf-8"))["submissions"]
    totals: dict[str, int] = {}
    for entry in entries:
        if args.only and args.only not in entry["file"]:
            continue
        result = score_one(entry, corpus, args.timeout, args.min_ratio, args.verbose)
        for key, value in (result or {}).items():
            totals[key] = totals.get(key, 0) + value
    if totals:
        print(f"\nlabelled questions found: original {totals['found_original']}/{totals['questions']}, text "
              f"{totals['found_text']}/{totals['questions']}; mistakes caught: original {totals['caught_original']}/"
              f"{totals['mistakes']}, text {totals['caught_text']}/{totals['mistakes']}; questions where the "
              f"original does worse: {totals['worse']}")
    read_all(corpus)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    main()
