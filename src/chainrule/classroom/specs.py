"""The text of a spec, built-in or a file, kept beside what it grades (sessions, autograders).

A session must still say what it was graded against after the spec file was edited or moved, and an
autograder zip must carry the spec into Gradescope's container; both store the YAML text itself.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from chainrule.assignments.loader import BUILTIN_PACKAGE, builtin_ids, load_assignment, parse_assignment
from chainrule.assignments.spec import Assignment
from chainrule.assignments.yaml_source import MAX_SOURCE_CHARS
from chainrule.errors import InputError


def load_spec(reference: str | Path) -> tuple[Assignment, str, str]:
    """``(assignment, yaml_text, source)`` for a built-in id or a spec file (errors as ``load_assignment``'s)."""
    assignment = load_assignment(reference)  # every check and located error of the loader
    name = str(reference)
    if name in builtin_ids():
        source = f"{name}.yaml (built-in)"
        return assignment, (resources.files(BUILTIN_PACKAGE) / f"{name}.yaml").read_text(encoding="utf-8"), source
    try:
        text = Path(reference).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read spec: {error}", name) from None
    if len(text) > MAX_SOURCE_CHARS:
        raise InputError(f"spec larger than {MAX_SOURCE_CHARS} bytes", name)
    return parse_assignment(text, name), text, name
