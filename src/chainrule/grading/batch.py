"""Grade many submissions in one call: a pool of worker processes, a progress callback, N in → N out.

Each submission is graded in its own forked process with a wall-clock bound, so a submission that hangs
the reader or the CAS is killed and reported, and the others go on. Inside a submission every claim has its
own bound (see :mod:`.compare`), so a slow claim becomes "undecided" long before the submission's bound.
The workers are processes, not threads, because grading is CPU-bound Python; the pool's threads only wait on
them.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chainrule.assignments.spec import Assignment
from chainrule.documents import Document
from chainrule.engine.bounded import die_with_parent
from chainrule.errors import InputError
from chainrule.grading.findings import QuestionResult, QuestionVerdict, SubmissionResult
from chainrule.grading.grade import GradeOptions, grade_text, read_submission_document

DEFAULT_SUBMISSION_TIMEOUT = 300.0

Progress = Callable[[int, int, SubmissionResult], None]


@dataclass(frozen=True)
class Submission:
    """One submission: where it came from, its text and (when read from a file) the document it was read as."""

    source: str
    text: str
    document: Document | None = None


def load_submissions(paths: Sequence[str | Path]) -> list[Submission | InputError]:
    """Read every file; one that cannot be read becomes its error, in its place, so N in still gives N out."""
    loaded: list[Submission | InputError] = []
    for path in paths:
        try:
            document = read_submission_document(path)
            loaded.append(Submission(str(path), document.text, document))
        except InputError as error:
            loaded.append(error)
    return loaded


def _child(connection: Any, function: Callable[..., Any], args: tuple[Any, ...], parent: int) -> None:
    die_with_parent(parent)  # a killed submission takes its own bounded CAS calls with it
    try:
        payload: tuple[str, Any] = ("ok", function(*args))
    except BaseException as error:  # everything goes back to the parent as text
        payload = ("error", f"{type(error).__name__}: {error}\n{traceback.format_exc(limit=4)}")
    try:
        connection.send(payload)
    except (pickle.PicklingError, TypeError, AttributeError) as error:
        connection.send(("error", f"the result could not be sent back: {error}"))
    finally:
        connection.close()
        os._exit(0)


def run_isolated(function: Callable[..., Any], args: tuple[Any, ...], timeout: float) -> tuple[str, Any]:
    """``("ok", result)``, ``("error", text)`` or ``("timeout", seconds)`` from a forked, killable process.

    Unlike a daemon child, this process may itself start bounded CAS calls.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, function, args, os.getpid()), daemon=False)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            return "timeout", timeout
        try:
            return receiver.recv()
        except EOFError:
            return "error", "the grading process died without an answer"
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()


def failed_result(assignment: Assignment, source: str, reason: str, text: str = "") -> SubmissionResult:
    """A submission that could not be graded: every question sent to review with the reason."""
    questions = [
        QuestionResult(q.id, QuestionVerdict.REVIEW, 0.0, float(q.marks or 0), [], f"not graded: {reason}")
        for q in assignment.questions
    ]
    return SubmissionResult(assignment.id, source, questions, [f"{source}: {reason}"], text)


def _grade_one(
    assignment: Assignment, submission: Submission, options: GradeOptions, timeout: float
) -> SubmissionResult:
    status, payload = run_isolated(
        grade_text, (assignment, submission.text, submission.source, options, True, submission.document), timeout)
    if status == "ok":
        return payload
    if status == "timeout":
        return failed_result(assignment, submission.source, f"grading took longer than {timeout:g} s", submission.text)
    return failed_result(assignment, submission.source, f"grading failed ({payload.splitlines()[0]})", submission.text)


def grade_many(
    assignment: Assignment,
    submissions: Sequence[Submission | InputError | str | Path],
    *,
    jobs: int = 1,
    options: GradeOptions | None = None,
    progress: Progress | None = None,
    timeout: float = DEFAULT_SUBMISSION_TIMEOUT,
) -> list[SubmissionResult]:
    """Grade every submission (paths, :class:`Submission` objects or read errors); results keep input order.

    ``progress(done, total, result)`` is called as each one finishes (in the caller's thread).
    """
    if jobs < 1:
        raise InputError("the number of jobs must be at least 1", "--jobs")
    options = options or GradeOptions()
    items: list[Submission | InputError] = []
    for item in submissions:
        if isinstance(item, str | Path):
            items.extend(load_submissions([item]))
        else:
            items.append(item)
    import chainrule.engine.activations  # noqa: F401  (load the engine once, before the workers fork)

    results: list[SubmissionResult | None] = [None] * len(items)
    done = 0

    def finish(index: int, result: SubmissionResult) -> None:
        nonlocal done
        results[index] = result
        done += 1
        if progress is not None:
            progress(done, len(items), result)

    pending: dict[Any, int] = {}
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for index, item in enumerate(items):
            if isinstance(item, InputError):
                finish(index, failed_result(assignment, item.where or "<submission>", item.message))
                continue
            pending[pool.submit(_grade_one, assignment, item, options, timeout)] = index
        for future in as_completed(pending):
            finish(pending[future], future.result())
    return [result for result in results if result is not None]
