"""Load an assignment spec: a built-in one by id, or a user's YAML file by path.

YAML is composed into nodes first so that every value keeps its line; when pydantic rejects the data,
its error ``loc`` (a field path) is walked back through the nodes to the line of the offending value.
A bad spec therefore fails with one :class:`InputError` naming the file, the field path and the line.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from chainrule.assignments.spec import Assignment
from chainrule.errors import InputError

MAX_SPEC_BYTES = 1_000_000
MAX_NESTING = 40
MAX_NODES = 200_000
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
    if path.stat().st_size > MAX_SPEC_BYTES:
        raise InputError(f"spec larger than {MAX_SPEC_BYTES} bytes", str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read spec: {error}", str(path)) from None
    return parse_assignment(text, str(path))


def parse_assignment(text: str, filename: str = "<spec>") -> Assignment:
    """Validate spec text; errors name ``filename``, the field path and the line."""
    if len(text) > MAX_SPEC_BYTES:
        raise InputError(f"spec larger than {MAX_SPEC_BYTES} characters", filename)
    node = _compose(text, filename)
    if node is None:
        raise InputError("the spec is empty", filename)
    data = _construct(node, filename, (), 0, [MAX_NODES])
    if not isinstance(data, dict):
        raise InputError("the spec must be a mapping with id, title, source, questions", f"{filename}:{_line(node)}")
    try:
        return Assignment.model_validate(data)
    except ValidationError as error:
        raise InputError(_describe(error, node), filename) from None


def _compose(text: str, filename: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{filename}:{mark.line + 1}" if mark is not None else filename
        problem = getattr(error, "problem", None) or str(error)
        raise InputError(f"not valid YAML: {problem}", where) from None
    except RecursionError:  # PyYAML's composer recurses once per level: [[[[...]]]] exhausts the stack
        raise InputError("the spec is nested too deeply", filename) from None


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _construct(node: yaml.Node, filename: str, path: tuple[Any, ...], depth: int, budget: list[int]) -> Any:
    """Plain Python data from a node, refusing duplicate keys, deep nesting and alias bombs."""
    if depth > MAX_NESTING:
        raise InputError("the spec is nested too deeply", f"{filename}:{_line(node)}")
    budget[0] -= 1
    if budget[0] < 0:
        raise InputError(f"the spec expands to more than {MAX_NODES} values (aliases?)", f"{filename}:{_line(node)}")
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _construct(key_node, filename, path, depth + 1, budget)
            if not isinstance(key, str | int):
                raise InputError("mapping keys must be strings", f"{filename}:{_line(key_node)}")
            if key in result:
                raise InputError(
                    f"key {key!r} appears twice in {_dotted(path) or 'the top level'}", f"{filename}:{_line(key_node)}"
                )
            result[key] = _construct(value_node, filename, (*path, key), depth + 1, budget)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, filename, (*path, index), depth + 1, budget) for index, item in enumerate(node.value)]
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node)
    except yaml.YAMLError as error:
        raise InputError(f"bad value: {error}", f"{filename}:{_line(node)}") from None
    except ValueError:  # an integer literal longer than Python converts (thousands of digits)
        raise InputError(f"bad value: {node.value[:40]}... is too long", f"{filename}:{_line(node)}") from None
    finally:
        loader.dispose()


def _dotted(loc: Sequence[Any]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _locate(root: yaml.Node, loc: Sequence[Any]) -> tuple[list[Any], int]:
    """Walk ``loc`` through the nodes; skip parts that are not in the data (union tags). Returns (path, line)."""
    node, path = root, []
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(part):
                    child = value_node
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            child = node.value[part]
        if child is not None:
            node = child
            path.append(part)
    return path, _line(node)


def _describe(error: ValidationError, root: yaml.Node) -> str:
    messages = []
    for item in error.errors(include_url=False)[:10]:
        loc = (*item["loc"], "type") if item["type"] == "union_tag_invalid" else item["loc"]
        path, line = _locate(root, loc)
        field = _dotted(path) or "(top level)"
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
