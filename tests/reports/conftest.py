"""Make the sample builders beside these tests (``solution_sample``, ``grade_sample``) importable.

With ``--import-mode=importlib`` (pyproject.toml) pytest does not put a test's folder on ``sys.path``, so
``from solution_sample import ...`` only worked when pytest ran from inside this folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = str(Path(__file__).parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
