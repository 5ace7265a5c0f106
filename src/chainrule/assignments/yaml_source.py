"""YAML read into plain data without losing where each value came from.

Specs and network files are both YAML a user wrote, so both are composed into nodes first: every value keeps
its line, duplicate keys, deep nesting and alias bombs are refused before any data is built, and a later
validation error's field path (pydantic's ``loc``) can be walked back to the line of the offending value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from chainrule.errors import InputError

MAX_SOURCE_CHARS = 1_000_000
MAX_NESTING = 40
MAX_NODES = 200_000


def read_mapping(text: str, filename: str, *, empty: str, not_mapping: str) -> tuple[yaml.Node, dict[Any, Any]]:
    """The top-level mapping of a YAML text with its root node; ``empty``/``not_mapping`` say what was expected."""
    if len(text) > MAX_SOURCE_CHARS:
        raise InputError(f"larger than {MAX_SOURCE_CHARS} characters", filename)
    node = compose(text, filename)
    if node is None:
        raise InputError(empty, filename)
    data = construct(node, filename)
    if not isinstance(data, dict):
        raise InputError(not_mapping, f"{filename}:{line_of(node)}")
    return node, data


def compose(text: str, filename: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{filename}:{mark.line + 1}" if mark is not None else filename
        problem = getattr(error, "problem", None) or str(error)
        raise InputError(f"not valid YAML: {problem}", where) from None
    except RecursionError:  # PyYAML's composer recurses once per level: [[[[...]]]] exhausts the stack
        raise InputError("the file is nested too deeply", filename) from None


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def construct(node: yaml.Node, filename: str) -> Any:
    """Plain Python data from a node, refusing duplicate keys, deep nesting and alias bombs."""
    return _construct(node, filename, (), 0, [MAX_NODES])


def _construct(node: yaml.Node, filename: str, path: tuple[Any, ...], depth: int, budget: list[int]) -> Any:
    if depth > MAX_NESTING:
        raise InputError("the file is nested too deeply", f"{filename}:{line_of(node)}")
    budget[0] -= 1
    if budget[0] < 0:
        raise InputError(f"the file expands to more than {MAX_NODES} values (aliases?)", f"{filename}:{line_of(node)}")
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _construct(key_node, filename, path, depth + 1, budget)
            if not isinstance(key, str | int):
                raise InputError("mapping keys must be strings", f"{filename}:{line_of(key_node)}")
            if key in result:
                where = f"{filename}:{line_of(key_node)}"
                raise InputError(f"key {key!r} appears twice in {dotted(path) or 'the top level'}", where)
            result[key] = _construct(value_node, filename, (*path, key), depth + 1, budget)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, filename, (*path, index), depth + 1, budget) for index, item in enumerate(node.value)]
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node)
    except yaml.YAMLError as error:
        raise InputError(f"bad value: {error}", f"{filename}:{line_of(node)}") from None
    except ValueError:  # an integer literal longer than Python converts (thousands of digits)
        raise InputError(f"bad value: {node.value[:40]}... is too long", f"{filename}:{line_of(node)}") from None
    finally:
        loader.dispose()


def dotted(loc: Sequence[Any]) -> str:
    """A field path as people write it: ``layers[1].W``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def locate(root: yaml.Node, loc: Sequence[Any]) -> tuple[list[Any], int]:
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
    return path, line_of(node)
