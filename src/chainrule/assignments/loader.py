"""Load an assignment spec: a built-in one by id, or a user's YAML file by path.

YAML is read through :mod:`chainrule.assignments.yaml_source`, so every value keeps its line; when pydantic
rejects the data, its error ``loc`` (a field path) is walked back through the nodes to the offending line.
A bad spec therefore fails with one :class:`InputError` naming the file, the field path and the line.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from chainrule.assignments.spec import Assignment
from chainrule.assignments.yaml_source import MAX_SOURCE_CHARS, dotted, locate, read_mapping
from chainrule.errors import InputError

BUILTIN_PACKAGE = "chainrule.assignments.builtin"


def builtin_ids() -> list[str]:
    """Ids of the assignments shipped with chainrule."""
    folder = resources.files(BUILTIN_PACKAGE)
    return sorted(entry.name[: -len(".yaml")] for entry in folder.iterdir() if entry.name.endswith(".yaml"))


def load_assignment(reference: str | Path) -> Assignment:
    """Load a built-in assignment by id (``"ama564-a1"``) or a spec file by path."""
    text_reference = str(reference)
    if text_reference in builtin_ids():
        resource = resources.files(BUILTIN_PACKAGE) / f"{text_reference}.yaml"
        return parse_assignment(resource.read_text(encoding="utf-8"), f"{text_reference}.yaml (built-in)")
    path = Path(reference)
    if path.is_dir():
        raise InputError("is a folder, not a spec file", text_reference)
    if not path.is_file():
        known = ", ".join(builtin_ids())
        raise InputError(f"no such file and no built-in assignment with this id (built-ins: {known})", text_reference)
    if path.stat().st_size > MAX_SOURCE_CHARS:
        raise InputError(f"spec larger than {MAX_SOURCE_CHARS} bytes", str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read spec: {error}", str(path)) from None
    return parse_assignment(text, str(path))


def parse_assignment(text: str, filename: str = "<spec>") -> Assignment:
    """Validate spec text; errors name ``filename``, the field path and the line."""
    node, data = read_mapping(
        text,
        filename,
        empty="the spec is empty",
        not_mapping="the spec must be a mapping with id, title, source, questions",
    )
    try:
        return Assignment.model_validate(data)
    except ValidationError as error:
        raise InputError(_describe(error, node), filename) from None


def _describe(error: ValidationError, root: yaml.Node) -> str:
    messages = []
    for item in error.errors(include_url=False)[:10]:
        loc = (*item["loc"], "type") if item["type"] == "union_tag_invalid" else item["loc"]
        path, line = locate(root, loc)
        field = dotted(path) or "(top level)"
        message = item["msg"]
        if item["type"] == "union_tag_invalid":
            message = f"unknown question type; allowed: {item['ctx'].get('expected_tags', '')}"
        elif item["type"] == "missing":
            message = f"missing field {item['loc'][-1]!r}"
        elif item["type"] == "value_error" and "error" in item.get("ctx", {}):
            message = str(item["ctx"]["error"])
        elif item["type"] == "extra_forbidden":
            message = f"unknown field {item['loc'][-1]!r}"
        messages.append(f"line {line}: {field}: {message}")
    more = error.error_count() - len(messages)
    if more > 0:
        messages.append(f"... and {more} more")
    return "; ".join(messages)
