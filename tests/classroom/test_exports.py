"""Gradebook and feedback pages show marks as they stand: overrides and comments reach every export."""

import csv
import io

from typer.testing import CliRunner

from chainrule.classroom.exports import feedback_pages, gradebook_csv
from chainrule.classroom.inputs import collect_submissions
from chainrule.classroom.roster import parse_roster
from chainrule.classroom.run import grade_class
from chainrule.classroom.session import Session
from chainrule.classroom.specs import load_spec
from chainrule.cli.app import app

SPEC, SPEC_TEXT, SPEC_SOURCE = load_spec("ama564-a1")
ANSWER = ("## 1. (a)\n\n(2) $$\\frac{d}{dx}\\tanh(x) = 1 - \\tanh(x)^2$$\n\n"
          "## Question 2\n\nThe risk is smallest where its derivative in c vanishes, so F(c) = tau.\n")


def session_with_class(tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    (folder / "s1.md").write_text(ANSWER, encoding="utf-8")
    (folder / "s2.md").write_text(ANSWER.replace("(x)^2", "(x^2)"), encoding="utf-8")
    roster = parse_roster("id,name\ns1,Ada\ns2,=HYPERLINK(\"x\")\ns3,Grace\n", "roster.csv")
    found = collect_submissions([folder], roster)
    session = Session.create(tmp_path / "hw.sqlite", SPEC, SPEC_TEXT, SPEC_SOURCE)
    session.set_absent(found.absent)
    grade_class(SPEC, session.add_submissions(found.submissions), on_done=lambda o, d, t: session.record(o))
    return session


def rows(text):
    return {row["student_id"]: row for row in csv.DictReader(io.StringIO(text))}


def test_the_gradebook_shows_pending_apart_and_overrides_once_made(tmp_path):
    session = session_with_class(tmp_path)
    before = rows(gradebook_csv(session))
    assert before["s1"]["2"] == "" and before["s1"]["status"] == "provisional (1 pending)"
    assert before["s3"]["status"] == "no submission" and before["s3"]["submission"] == ""
    assert before["s2"]["name"].startswith("'=")  # never a formula in a spreadsheet
    session.decide("s1", "2", "override", 1.5, comment="the CDF step needs a reason")
    after = rows(gradebook_csv(session))["s1"]
    assert after["2"] == "1.5" and after["reviewed"] == "1.5" and after["status"] == "final"
    assert float(after["total"]) == float(after["automatic"]) + 1.5


def test_feedback_pages_carry_the_decisions_and_escape_the_work(tmp_path):
    session = session_with_class(tmp_path)
    session.decide("s1", "2", "override", 2, comment="<b>well argued</b>")
    pages = dict(feedback_pages(session))
    assert set(pages) == {"s1", "s2"}
    assert "reviewed by the course staff: 2/2" in pages["s1"]
    assert "&lt;b&gt;well argued&lt;/b&gt;" in pages["s1"] and "<b>well argued" not in pages["s1"]
    assert "awaiting review" in pages["s2"]


def test_export_commands_write_the_gradebook_and_the_pages(tmp_path):
    session = session_with_class(tmp_path)
    session.decide("s2", "2", "override", 0.5)
    session.close()
    runner = CliRunner()
    result = runner.invoke(app, ["export", "gradebook", str(tmp_path / "hw.sqlite"), "-o", str(tmp_path / "g.csv")])
    assert result.exit_code == 0, result.output
    assert rows((tmp_path / "g.csv").read_text(encoding="utf-8"))["s2"]["2"] == "0.5"
    result = runner.invoke(app, ["export", "feedback", str(tmp_path / "hw.sqlite"), "-o", str(tmp_path / "subs")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "subs" / "s1.html").is_file() and "## 1. (a)" in (tmp_path / "subs" / "s1.md").read_text()
    result = runner.invoke(app, ["export", "gradebook", str(tmp_path / "none.sqlite")])
    assert result.exit_code == 2 and "no such session file" in result.output
    result = runner.invoke(app, ["export", "gradescope", "ama564-a1", "-o", str(tmp_path / "a.zip"), "--pending", "x"])
    assert result.exit_code == 2 and "--pending" in result.output
