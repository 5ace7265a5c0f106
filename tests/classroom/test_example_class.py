"""The README's class workflow on the made-up class in examples/class/, end to end through the CLI."""

import csv
import io
from pathlib import Path

from typer.testing import CliRunner

from chainrule.cli.app import app

CLASS = Path(__file__).resolve().parents[2] / "examples" / "class"


def test_the_example_class_grades_reviews_and_exports(tmp_path):
    runner = CliRunner()
    session = tmp_path / "hw1.sqlite"
    result = runner.invoke(app, ["grade", str(CLASS / "hw-backprop.yaml"), str(CLASS / "submissions"),
                                 "--roster", str(CLASS / "roster.csv"), "--session", str(session),
                                 "-o", str(tmp_path / "reports"), "-f", "html", "-j", "2"])
    assert result.exit_code == 1, result.output  # graded; some answers are wrong
    written = sorted(p.name for p in (tmp_path / "reports").iterdir())
    # one page per student, and the math font (with its licence) once beside them
    assert written == ["chainrule-math-OFL.txt", "chainrule-math.woff2", *[f"s10{k}.html" for k in range(1, 6)]]
    from chainrule.classroom.session import Session

    with Session.open(session) as store:
        store.decide("s104", "3", "override", 0, comment="differentiability is not the point")
    result = runner.invoke(app, ["export", "gradebook", str(session)])
    assert result.exit_code == 0, result.output
    rows = {row["student_id"]: row for row in csv.DictReader(io.StringIO(result.stdout))}
    assert set(rows) == {f"s10{k}" for k in range(1, 7)} and rows["s106"]["status"] == "no submission"
    assert rows["s101"]["2"] == "2" and rows["s104"]["3"] == "0"
    assert rows["s102"]["1"] == "0"  # 1 − tanh(x²) is wrong
    assert rows["s101"]["status"].startswith("provisional")  # question 3 awaits a person
