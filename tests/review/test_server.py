"""The review server's API and pages, through Flask's test client: token, CSP, escaping, decisions."""

from chainrule.classroom.session import Session
from chainrule.review.queue import question_queue
from chainrule.review.server import CSP, TOKEN_HEADER, create_app

TOKEN = "t0ken-for-tests"


def client(path):
    return create_app(path, TOKEN).test_client()


def test_every_request_needs_the_token(review_session):
    web = client(review_session)
    assert web.get("/").status_code == 403
    assert web.get("/?token=wrong").status_code == 403
    assert web.post("/api/decide", json={}).status_code == 403
    page = web.get(f"/?token={TOKEN}")
    assert page.status_code == 200 and page.headers["Content-Security-Policy"] == CSP
    assert web.get("/static/review.js").status_code == 200  # static files carry nothing private


def test_the_question_page_shows_every_answer_escaped(review_session):
    page = client(review_session).get(f"/q/2?token={TOKEN}").get_data(as_text=True)
    assert page.count('<article class="answer') == 3
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;b&gt;Mallory&lt;/b&gt;" in page
    assert "<script src=" in page and page.count("<script") == 1  # our own file, nothing inline


def test_decisions_come_back_as_standing_marks(review_session):
    web = client(review_session)
    headers = {TOKEN_HEADER: TOKEN}
    state = web.post("/api/decide", headers=headers,
                     json={"key": "mallory", "question": "2", "action": "override", "score": 1, "comment": "ok"}).json
    assert state["answers"]["mallory"] == {"source": "reviewed", "score": 1.0, "max": 2.0, "comment": "ok",
                                           "stale": False, "auto": 0.0}
    assert state["students"]["mallory"]["reviewed"] == 1.0
    bad = web.post("/api/decide", headers=headers, json={"key": "mallory", "question": "2", "action": "override",
                                                          "score": 7})
    assert bad.status_code == 400 and "marks between 0 and 2" in bad.json["error"]
    with Session.open(review_session) as session:
        assert session.decision("mallory", "2").score == 1.0


def test_agreeing_answers_form_a_group_that_is_accepted_at_once(review_session):
    with Session.open(review_session) as session:
        queue = question_queue(session, "1a.2")
    assert sorted(queue.groups[0]) == ["ada", "alan"]
    web = client(review_session)
    state = web.post("/api/accept-group", headers={TOKEN_HEADER: TOKEN},
                     json={"question": "1a.2", "keys": ["ada", "alan"]}).json
    assert {state["answers"][key]["source"] for key in ("ada", "alan")} == {"reviewed"}
    with Session.open(review_session) as session:
        assert question_queue(session, "1a.2").groups == []


def test_rendered_answers_are_cached_and_renewed_when_the_answer_changes(review_session):
    with Session.open(review_session) as session:
        first = question_queue(session, "2")
        assert session.db.execute("SELECT COUNT(*) FROM rendered WHERE question = '2'").fetchone()[0] == 3
        again = question_queue(session, "2")
        assert [a.html for a in again.answers] == [a.html for a in first.answers]
        session.db.execute("UPDATE submissions SET text = 'changed' WHERE key = 'ada'")
        changed = {a.key: a for a in question_queue(session, "2").answers}
    assert changed["ada"].html != next(a.html for a in first.answers if a.key == "ada")


def test_the_gradebook_downloads_from_the_page(review_session):
    response = client(review_session).get(f"/export/gradebook.csv?token={TOKEN}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.get_data(as_text=True).startswith("student_id,name,submission,")
