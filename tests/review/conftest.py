"""A small graded session for the review tests, with a student who writes script payloads."""

import pytest

from chainrule.classroom.inputs import collect_submissions
from chainrule.classroom.roster import parse_roster
from chainrule.classroom.run import grade_class
from chainrule.classroom.session import Session
from chainrule.classroom.specs import load_spec

PROOF = "## Question 2\n\nThe risk is smallest where its derivative in c vanishes, so F(c) = tau.\n"
RIGHT = "## 1. (a)\n\n(2) $$\\frac{d}{dx}\\tanh(x) = 1 - \\tanh(x)^2$$\n\n" + PROOF
HOSTILE = ("## 1. (a)\n\n(2) $$\\frac{d}{dx}\\tanh(x) = 1 - \\tanh(x^2) \\text{<img src=x onerror=alert(1)>}$$\n\n"
           "## Question 2\n\n<script>alert('xss')</script> so <img src=x onerror=alert(2)> F(c) = tau.\n")


@pytest.fixture
def review_session(tmp_path):
    """Three graded students (two agreeing right answers, one hostile wrong one) in a session file."""
    folder = tmp_path / "subs"
    folder.mkdir()
    for name, text in (("ada", RIGHT), ("alan", RIGHT), ("mallory", HOSTILE)):
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    spec, text, source = load_spec("ama564-a1")
    roster = parse_roster("id,name\nada,Ada L.\nalan,Alan T.\nmallory,<b>Mallory</b>\n", "roster.csv")
    found = collect_submissions([folder], roster)
    path = tmp_path / "hw.sqlite"
    with Session.create(path, spec, text, source) as session:
        grade_class(spec, session.add_submissions(found.submissions), jobs=2,
                    on_done=lambda outcome, done, total: session.record(outcome))
    return path
