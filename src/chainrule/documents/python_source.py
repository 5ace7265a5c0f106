"""Python files: the code as fenced CODE blocks, the comments and docstrings that carry math as prose.

Students hand in a training script whose derivation lives in its comments (``# dL/dW2 = (yhat - y) h^T``)
or docstrings (``\"\"\"$\\sigma'(x) = \\sigma(x)(1-\\sigma(x))$\"\"\"``). Those are the claims a grader reads, so a run
of full-line comments or a docstring that carries math becomes a PROSE block (the ``#`` and quotes removed);
everything else stays code, where the notation reader does not look. Every rendition line is located at its
line in the file (the fence lines at the code's first and last lines). Tokens come from Python's own
:mod:`tokenize` and docstrings from :mod:`ast`, so strings that merely contain ``#`` are not comments.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
import warnings

from chainrule.documents.model import BlockKind, Document, DocumentBuilder, Location

# Math in prose: a $…$ or \(…\) span, a LaTeX command, a derivative or an equation between symbols.
_MATH = re.compile(r"\$[^$]+\$|\\[(\[]|\\[A-Za-z]{2,}|\bd\w*\s*/\s*d\w+|∂|[=≈≤≥]\s*[\w(\\]")
_CODE_LIKE = re.compile(r"^\s*(?:import |from \S+ import |def |class |return\b|print\(|for .* in |if .*:$|\w+\(.*\)$)")


def read_python(text: str, source: str) -> Document:
    """``text`` (a Python file, normalised) as code with its mathematical comments and docstrings as prose."""
    lines = text.split("\n")
    prose = _prose_lines(text, lines)
    builder = DocumentBuilder(source, "python")
    index = 0
    while index < len(lines):
        kind = index + 1 in prose
        end = index
        while end < len(lines) and (end + 1 in prose) == kind:
            end += 1
        chunk = lines[index:end]
        if kind:
            body = [prose[n] for n in range(index + 1, end + 1)]
            builder.add(BlockKind.PROSE, "\n".join(body), Location(source, index + 1))
        elif any(line.strip() for line in chunk):
            first = next(k for k, line in enumerate(chunk) if line.strip())
            last = max(k for k, line in enumerate(chunk) if line.strip())
            code = chunk[first:last + 1]
            fence = "````" if any(line.lstrip().startswith("```") for line in code) else "```"
            start = Location(source, index + first + 1)
            places = [start, *(start.shifted(k) for k in range(len(code))), start.shifted(len(code) - 1)]
            builder.add(BlockKind.CODE, "\n".join([fence + "python", *code, fence]), places)
        index = end
    return builder.build()


def _prose_lines(text: str, lines: list[str]) -> dict[int, str]:
    """Line number → its prose text, for comment runs and docstrings that carry math."""
    prose: dict[int, str] = {}
    for first, body in [*_comment_runs(text, lines), *_docstrings(text)]:
        if _MATH.search("\n".join(body)) and not all(_CODE_LIKE.match(line) or not line.strip() for line in body):
            for k, line in enumerate(body):
                prose[first + k] = line
    return prose


def _comment_runs(text: str, lines: list[str]) -> list[tuple[int, list[str]]]:
    """Runs of lines that hold nothing but a comment: (first line, the comments' text)."""
    comment_lines: dict[int, str] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT and lines[token.start[0] - 1].lstrip().startswith("#"):
                comment_lines[token.start[0]] = re.sub(r"^#+\s?", "", token.string).rstrip()
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass  # a file that does not tokenise to the end keeps the comments found before the fault
    runs: list[tuple[int, list[str]]] = []
    for number in sorted(comment_lines):
        if runs and runs[-1][0] + len(runs[-1][1]) == number:
            runs[-1][1].append(comment_lines[number])
        else:
            runs.append((number, [comment_lines[number]]))
    return runs


def _docstrings(text: str) -> list[tuple[int, list[str]]]:
    """Module, class and function docstrings that fill their lines: (first line, their text lines)."""
    try:
        with warnings.catch_warnings():  # a student's invalid escapes are not our warnings
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    found: list[tuple[int, list[str]]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        body = getattr(node, "body", [])
        if not body or not isinstance(body[0], ast.Expr):
            continue
        value = body[0].value
        if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
            continue
        first, last = body[0].lineno, body[0].end_lineno or body[0].lineno
        raw = text.split("\n")[first - 1:last]
        if len(raw) < 3:
            continue  # a one- or two-line docstring shares its lines with the quotes: it stays code
        found.append((first + 1, [line.strip() for line in raw[1:-1]]))
    return found
