"""The one JSON writer of chainrule: strict JSON that any parser reads and any terminal prints safely.

* No ``NaN``/``Infinity`` (they are not JSON, and strict parsers reject the whole document): a float that
  is not finite becomes ``null``; a renderer that can produce one says so in its own notes.
* Text stays readable (``ensure_ascii=False``), but the characters a terminal would act on and that JSON
  leaves raw — C1 controls and bidirectional overrides — are written as ``\\uXXXX`` escapes.
* Keys keep their insertion order, so output is the same on every run.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

_RAW_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def finite(data: Any) -> Any:
    """``data`` with every non-finite float replaced by ``None`` (lists, tuples and dicts walked)."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {key: finite(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [finite(value) for value in data]
    return data


def has_non_finite(data: Any) -> bool:
    """Whether ``data`` holds a float that :func:`finite` would replace."""
    if isinstance(data, float):
        return not math.isfinite(data)
    if isinstance(data, dict):
        return any(has_non_finite(value) for value in data.values())
    if isinstance(data, list | tuple):
        return any(has_non_finite(value) for value in data)
    return False


def dumps(data: Any, indent: int | None = 2, default: Any = None) -> str:
    """Strict JSON text of ``data`` (see the module's rules)."""
    text = json.dumps(finite(data), indent=indent, ensure_ascii=False, allow_nan=False, default=default)
    return _RAW_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
