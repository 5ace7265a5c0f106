from grade_sample import sample_result

from chainrule.reports.grade_text import to_text


def test_text_summary_table_and_score():
    text = to_text(sample_result(), width=100)
    assert "alice.md — nyu-dl-hw1-2022" in text
    assert "Score: 2.5/9" in text
    row = next(line for line in text.splitlines() if "1.2c" in line)
    assert "◐ partial" in row and "1.5/6" in row and "✗1" in row and "?1" in row


def test_text_shows_wrong_and_undecided_but_not_right_by_default():
    text = to_text(sample_result(), width=200)
    assert "✗ line 3:" in text and "? line 4:" in text
    assert "five steps" not in text
    assert "five steps" in to_text(sample_result(), width=200, show_right=True)
    assert "could not read: line 9: unbalanced braces" in text
