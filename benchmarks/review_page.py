"""The review page for one question with 200 answers: chainrule's cached answers against rendering every answer
on each request (what a template that converts the math per view would do).

The session is made for real: 200 made-up submissions (eight kinds of answer, right and wrong, with proofs)
are graded into a fresh session file, which must then hold 200 rows. Each page is then requested through
the review server's own WSGI app (token check, queue, template, MathML) several times; the median is shown.
Run: ``.venv/bin/python benchmarks/review_page.py [--students 200] [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from chainrule.classroom.inputs import collect_submissions
from chainrule.classroom.run import grade_class
from chainrule.classroom.session import Session
from chainrule.classroom.specs import load_spec
from chainrule.review.server import create_app

QUESTION = "2"
DERIVATIVES = ["1 - \\tanh(x)^2", "1 - \\tanh(x^2)", "\\frac{1}{\\cosh^2(x)}", "1 + \\tanh(x)^2"]
PROOFS = [
    "Write $R(c) = \\mathbb{E}[\\rho_\\tau(Y - c)]$. Then $R'(c) = F(c) - \\tau$, so $F(c^*) = \\tau$.",
    "Setting the derivative to zero, $\\int_{-\\infty}^{c} f(y)\\,dy = \\tau$, hence $c = F^{-1}(\\tau)$.",
]


def answer(index: int) -> str:
    derivative = DERIVATIVES[index % len(DERIVATIVES)]
    proof = PROOFS[index % len(PROOFS)]
    return (f"## 1. (a)\n\n(2) $$\\frac{{d}}{{dx}}\\tanh(x) = {derivative}$$\n\n"
            f"## Question 2\n\n{proof}\n\n$$\\rho_\\tau(a) = (\\tau - I(a<0))\\,a, \\quad a = Y - c$$\n\n"
            f"Since $F$ is continuous, the minimiser is the ${index % 9 + 1}$-th student's $\\tau$-quantile.\n")


def build(folder: Path, students: int, jobs: int) -> Path:
    subs = folder / "subs"
    subs.mkdir()
    for index in range(students):
        (subs / f"student{index:03d}.md").write_text(answer(index), encoding="utf-8")
    spec, text, source = load_spec("ama564-a1")
    path = folder / "class.sqlite"
    found = collect_submissions([subs])
    started = time.perf_counter()
    with Session.create(path, spec, text, source) as session:
        grade_class(spec, session.add_submissions(found.submissions), jobs=jobs,
                    on_done=lambda outcome, done, total: session.record(outcome))
        rows = session.count("graded")
        results = session.db.execute("SELECT COUNT(DISTINCT key) FROM results").fetchone()[0]
    print(f"graded {students} submissions in {time.perf_counter() - started:.1f} s (jobs={jobs}): "
          f"{rows} graded rows, results for {results}")
    if rows != students or results != students:
        raise SystemExit(f"expected {students} rows, found {rows} graded and {results} with results")
    return path


def timed(client, url: str, repeat: int, before=None) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = build(Path(folder), arguments.students, arguments.jobs)
        client = create_app(path, "bench").test_client()
        url = f"/q/{QUESTION}?token=bench"
        client.get(url)  # fills the cache once, as the first view does

        def forget() -> None:
            with Session.open(path) as session:
                session.db.execute("DELETE FROM rendered")

        uncached = timed(client, url, arguments.repeat, before=forget)
        cached = timed(client, url, arguments.repeat)
    print(f"review page, question {QUESTION}, {arguments.students} answers (median of {arguments.repeat}):")
    print(f"  chainrule (answers rendered once, kept in the session): {cached * 1000:.0f} ms"
          f" — {'under' if cached < 1 else 'OVER'} 1 s")
    print(f"  rendering every answer on each request:                 {uncached * 1000:.0f} ms")
    print(f"speedup: {uncached / cached:.1f}x")


if __name__ == "__main__":
    main()
