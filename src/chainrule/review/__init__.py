"""The review queue: every student's answer to one question, with chainrule's findings, for a person to settle.

Public API: :func:`~chainrule.review.queue.question_queue` ``(session, question) -> QuestionQueue`` (the data of
one grade-by-question page), :func:`~chainrule.review.queue.accept_group`, and
:func:`~chainrule.review.server.create_app` / :func:`~chainrule.review.server.serve` (``chainrule review``).
"""
