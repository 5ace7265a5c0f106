"""The review server: a thin Flask layer over :mod:`.queue` and the session, for one TA's browser.

It serves student work, so it is built to be safe with hostile text: templates autoescape (always, not by
file extension), math is MathML rebuilt from an allow-list (:mod:`chainrule.reports.mathml`), every response
carries a Content-Security-Policy that allows only this server's own script and styles (no inline script, so
an injected ``<script>`` or ``onerror=`` could not run even if escaping failed), and every request must carry
the session's random token (in the URL the command prints, or the ``X-Chainrule-Token`` header), so another
local user or a web page cannot read or change marks. It binds to 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import hmac
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, jsonify, redirect, render_template, request, url_for

from chainrule.classroom.session import Session
from chainrule.errors import InputError
from chainrule.review.queue import accept_group, question_queue, student_totals

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
TOKEN_HEADER = "X-Chainrule-Token"
MAX_BODY = 64_000


def new_token() -> str:
    return secrets.token_urlsafe(24)


def create_app(session_path: str | Path, token: str, reviewer: str = "") -> Flask:
    """The review app for one session file; ``token`` must accompany every request but static files."""
    session_path = Path(session_path)
    Session.open(session_path).close()  # fails now, with a located error, if it is not a session
    app = Flask(__name__, static_folder="static", template_folder="templates")
    app.jinja_env.autoescape = True  # every template, whatever its name
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY

    def store() -> Session:
        return Session.open(session_path)

    @app.before_request
    def _check_token() -> None:
        if request.endpoint in ("static", "favicon"):
            return
        given = request.headers.get(TOKEN_HEADER) or request.args.get("token", "")
        if not hmac.compare_digest(given.encode(), token.encode()):
            abort(403)

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the URL
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(InputError)
    def _bad_input(error: InputError) -> tuple[Response, int]:
        return jsonify(error=str(error)), 400

    @app.get("/")
    def index() -> Any:
        with store() as session:
            assignment = session.assignment()
            marks = sorted(student_totals(session).values(), key=lambda m: m.key)
            counts = {q.id: {"pending": 0, "answers": 0} for q in assignment.questions}
            for student in marks:
                for mark in student.questions.values():
                    counts[mark.question]["answers"] += 1
                    counts[mark.question]["pending"] += mark.source == "pending"
            return render_template("index.html.j2", assignment=assignment, marks=marks, counts=counts, token=token,
                                   session_name=session_path.name)

    @app.get("/q/<question>")
    def question_page(question: str) -> Any:
        with store() as session:
            assignment = session.assignment()
            ids = [q.id for q in assignment.questions]
            if question not in ids:
                abort(404)
            queue = question_queue(session, question)
            totals = student_totals(session)
            position = ids.index(question)
            return render_template(
                "question.html.j2", queue=queue, totals=totals, token=token, assignment=assignment,
                previous=ids[position - 1] if position else None,
                next=ids[position + 1] if position + 1 < len(ids) else None)

    @app.post("/api/decide")
    def decide() -> Any:
        data = request.get_json(silent=True) or {}
        key, question, action = str(data.get("key", "")), str(data.get("question", "")), str(data.get("action", ""))
        score = data.get("score")
        if score is not None:
            try:
                score = float(score)
            except (TypeError, ValueError):
                raise InputError("marks must be a number", "score") from None
        with store() as session:
            session.decide(key, question, action, score, str(data.get("comment", "")), reviewer)
            return jsonify(state(session, question, [key]))

    @app.post("/api/accept-group")
    def accept_many() -> Any:
        data = request.get_json(silent=True) or {}
        question, keys = str(data.get("question", "")), [str(k) for k in data.get("keys", [])][:5000]
        with store() as session:
            accept_group(session, question, keys, reviewer)
            return jsonify(state(session, question, keys))

    @app.get("/api/state/<question>")
    def current(question: str) -> Any:
        with store() as session:
            return jsonify(state(session, question, None))

    @app.get("/export/gradebook.csv")
    def gradebook() -> Response:
        from chainrule.classroom.exports import gradebook_csv

        with store() as session:
            csv = gradebook_csv(session)
        return Response(csv, mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{session_path.stem}-gradebook.csv"'})

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status=204)

    @app.get("/go")
    def go() -> Any:  # the first question, for the URL the command prints
        with store() as session:
            first = session.assignment().questions[0].id
        return redirect(url_for("question_page", question=first, token=token))

    return app


def state(session: Session, question: str, keys: list[str] | None) -> dict[str, Any]:
    """Marks as they stand for the page to update in place: per answer, per student, and the question's count."""
    totals = student_totals(session)
    answers = {}
    for key, result in session.answers(question):
        if keys is not None and key not in keys:
            continue
        mark = totals[key].questions.get(question) if key in totals else None
        if mark is not None:
            answers[key] = {"source": mark.source, "score": mark.score, "max": mark.max_score,
                            "comment": mark.comment, "stale": mark.stale, "auto": result.score}
    students = {key: {"automatic": m.automatic, "reviewed": m.reviewed, "pending": m.pending, "total": m.total,
                      "max": m.max_score, "final": m.final} for key, m in totals.items()
                if keys is None or key in keys}
    pending = sum(1 for m in totals.values() for q in m.questions.values()
                  if q.question == question and q.source == "pending")
    answered = sum(1 for m in totals.values() if question in m.questions)
    return {"answers": answers, "students": students, "settled": answered - pending, "count": answered}


def serve(session_path: str | Path, token: str, host: str = "127.0.0.1", port: int = 0,
          reviewer: str = "") -> Any:
    """A started, threaded WSGI server (``.server_port``, ``.serve_forever()``, ``.shutdown()``)."""
    from werkzeug.serving import make_server

    return make_server(host, port, create_app(session_path, token, reviewer), threaded=True)
