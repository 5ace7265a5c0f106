"""On the labelled corpus, every labelled question is found and every labelled line filed under its question.

The measure is tools/score_split.py's (the same one a developer runs); this test keeps the figure from slipping.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import yaml

TOOL = Path(__file__).resolve().parents[2] / "tools" / "score_split.py"


def test_no_labelled_question_lost_and_no_labelled_line_misfiled(shared_dir):
    spec = importlib.util.spec_from_file_location("score_split", TOOL)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    submissions = yaml.safe_load((shared_dir / "corpus" / "labels.yaml").read_text())["submissions"]
    problems = [problem for submission in submissions for problem in tool.placement_problems(submission, shared_dir)]
    assert problems == []
