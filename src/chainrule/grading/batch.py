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
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chainrule.assignments.spec import Assignment
from chainrule.documents import open_document
from chainrule.engine.bounded import die_with_parent
from chainrule.errors import InputError
from chainrule.grading.findings import QuestionResult, QuestionVerdict, SubmissionResult
from chainrule.grading.grade import GradeOptions, grade_text, read_submission

DEFAULT_SUBMISSION_TIMEOUT = 300.0

Progress = Callable[[int, int, SubmissionResult], None]


@dataclass(frozen=True)
class Submission:
    """One submission: where it came from and its text (``assignment``: this student's variant, if any)."""

    source: str
    text: str
    assignment: Assignment | None = None


@dataclass(frozen=True)
class FileSubmission:
    """A submission still on disk: read inside its grading process, so a slow or hostile file costs only itself.

    Several files (a student's folder) are read in order and graded as one document.
    """

    source: str
    files: tuple[Path, ...]
    assignment: Assignment | None = None


@dataclass(frozen=True)
class Graded:
    """One finished submission: its index in the input, its result and, when it could not be graded, why."""

    index: int
    result: SubmissionResult
    failure: str | None = None  # "cannot read …", "grading took longer than …": no score was given
    unreadable: bool = False  # the failure is the input's (not a readable submission), not the grader's


BatchItem = Submission | FileSubmission | InputError


def read_files(files: Sequence[Path]) -> str:
    """The text of one submission made of ``files``, each read by the reader its format needs (a located
    InputError when one cannot be read)."""
    from chainrule.documents import open_document

    return "\n\n".join(open_document(path).text for path in files)


def load_submissions(paths: Sequence[str | Path]) -> list[Submission | InputError]:
    """Read every file; one that cannot be read becomes its error, in its place, so N in still gives N out."""
    loaded: list[Submission | InputError] = []
    for path in paths:
        try:
            loaded.append(Submission(str(path), read_submission(path)))
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


def _read_and_grade(assignment: Assignment, item: FileSubmission, options: GradeOptions) -> SubmissionResult | str:
    """In the grading process: read, then grade; a read failure comes back as its message (no score)."""
    try:
        # One file (any format): its document, so each finding is located in it; several: their texts joined.
        document = open_document(item.files[0]) if len(item.files) == 1 else None
        text = document.text if document is not None else read_files(item.files)
    except InputError as error:
        where = error.where or ""
        detail = where[len(item.source):].lstrip(", ") if where.startswith(item.source) else where
        return f"cannot read submission: {error.message}" + (f" ({detail})" if detail else "")
    return grade_text(assignment, text, item.source, options, document=document)


def _grade_one(
    assignment: Assignment, item: Submission | FileSubmission, options: GradeOptions, timeout: float
) -> tuple[SubmissionResult, str | None, bool]:
    assignment = item.assignment or assignment
    if isinstance(item, Submission):
        status, payload = run_isolated(grade_text, (assignment, item.text, item.source, options), timeout)
        text = item.text
    else:
        status, payload = run_isolated(_read_and_grade, (assignment, item, options), timeout)
        text = ""
    if status == "ok" and isinstance(payload, str):
        return failed_result(assignment, item.source, payload), payload, True
    if status == "ok":
        return payload, None, False
    reason = (f"grading took longer than {timeout:g} s" if status == "timeout"
              else f"grading failed ({payload.splitlines()[0]})")
    return failed_result(assignment, item.source, reason, text), reason, False


def grade_stream(
    assignment: Assignment,
    items: Sequence[BatchItem],
    *,
    jobs: int = 1,
    options: GradeOptions | None = None,
    timeout: float = DEFAULT_SUBMISSION_TIMEOUT,
) -> Iterator[Graded]:
    """Grade every item, yielding each as it finishes (completion order; ``Graded.index`` says which).

    The caller acts on each result at once — writes its report, records it in a session — so a run that is
    stopped midway keeps everything finished before the stop.
    """
    if jobs < 1:
        raise InputError("the number of jobs must be at least 1", "--jobs")
    options = options or GradeOptions()
    import chainrule.engine.activations  # noqa: F401  (load the engine once, before the workers fork)

    pending: dict[Any, int] = {}
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        try:
            for index, item in enumerate(items):
                if isinstance(item, InputError):
                    reason = item.message
                    yield Graded(index, failed_result(assignment, item.where or "<submission>", reason), reason, True)
                    continue
                pending[pool.submit(_grade_one, assignment, item, options, timeout)] = index
            for future in as_completed(pending):
                yield Graded(pending[future], *future.result())
        finally:
            for future in pending:  # a stopped consumer: start no more submissions
                future.cancel()


def grade_many(
    assignment: Assignment,
    submissions: Sequence[BatchItem | str | Path],
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
    items: list[BatchItem] = [
        FileSubmission(str(item), (Path(item),)) if isinstance(item, str | Path) else item for item in submissions
    ]
    results: list[SubmissionResult | None] = [None] * len(items)
    for done, graded in enumerate(grade_stream(assignment, items, jobs=jobs, options=options, timeout=timeout), 1):
        results[graded.index] = graded.result
        if progress is not None:
            progress(done, len(items), graded.result)
    return [result for result in results if result is not None]
