"""Build what an LMS runs: a Gradescope autograder zip and a PrairieLearn external-grader folder.

Each carries chainrule's own source, the course's spec and the settings it was built with, so the container
grades with exactly the chainrule and the spec the instructor tested — nothing is fetched from a repository
at grading time, only the pinned dependencies from the package index when the image is built.
"""

from __future__ import annotations

import importlib.metadata
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from chainrule.classroom.platforms import CONFIG_NAME, SPEC_NAME, PlatformConfig

_PACKAGE_SUFFIXES = (".py", ".lark", ".yaml", ".css", ".j2", ".woff2", ".txt", ".json", ".js")

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
set -euo pipefail
cd /autograder/source
PYTHON=""
for candidate in python3.13 python3.12 python3.11; do
  if command -v "$candidate" >/dev/null; then PYTHON="$candidate"; break; fi
done
if [ -z "$PYTHON" ]; then  # chainrule needs Python 3.11 or newer
  apt-get install -y --no-install-recommends python3.11 python3.11-venv
  PYTHON=python3.11
fi
apt-get install -y --no-install-recommends "${PYTHON}-venv" >/dev/null 2>&1 || true
"$PYTHON" -m venv /autograder/chainrule-venv
/autograder/chainrule-venv/bin/pip install --upgrade pip
# Set PIP_EXTRA_INDEX_URL to a CPU-only PyTorch index to save gigabytes; any torch==2.13.0 build works.
/autograder/chainrule-venv/bin/pip install -r requirements.txt
/autograder/chainrule-venv/bin/pip install --no-deps ./chainrule
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission: grade /autograder/submission, write /autograder/results/results.json.
ROOT="${AUTOGRADER_ROOT:-/autograder}"
PYTHON="${CHAINRULE_PYTHON:-/autograder/chainrule-venv/bin/python}"
exec "$PYTHON" -m chainrule.classroom.platforms gradescope --root "$ROOT"
"""

PRAIRIELEARN_RUN = """#!/usr/bin/env bash
# PrairieLearn's external grader entry point: grade /grade/student, write /grade/results/results.json.
ROOT="${GRADE_ROOT:-/grade}"
PYTHON="${CHAINRULE_PYTHON:-python3}"
exec "$PYTHON" -m chainrule.classroom.platforms prairielearn --root "$ROOT"
"""

DOCKERFILE = """# The grading image for PrairieLearn: chainrule and its pinned dependencies.
FROM python:3.12-slim
COPY requirements.txt /opt/chainrule/requirements.txt
COPY chainrule /opt/chainrule/chainrule
RUN pip install --no-cache-dir -r /opt/chainrule/requirements.txt \\
 && pip install --no-cache-dir --no-deps /opt/chainrule/chainrule
"""

INFO_JSON = """{
  "externalGradingOptions": {
    "enabled": true,
    "image": "YOUR-DOCKERHUB-NAME/chainrule-grader",
    "entrypoint": "/grade/tests/run",
    "timeout": 300
  }
}
"""

README = """chainrule grader for PrairieLearn

1. Build and push the image: docker build -t YOUR-DOCKERHUB-NAME/chainrule-grader . && docker push ...
2. Copy tests/ into the question's folder (tests/run, tests/spec.yaml, tests/{config}).
3. Merge info-snippet.json into the question's info.json, with your image name.
Students upload their work (PDF, LaTeX, Markdown or a notebook); PrairieLearn puts it in /grade/student.
"""


def requirements() -> str:
    """chainrule's runtime dependencies pinned to the versions installed here (what the course tested)."""
    pinned: list[str] = []
    for requirement in importlib.metadata.requires("chainrule") or []:
        if "extra ==" in requirement:
            continue
        name = re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0]
        try:
            pinned.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            pinned.append(requirement)
    return "\n".join(sorted(pinned, key=str.lower)) + "\n"


def _package_files() -> Iterator[tuple[str, bytes]]:
    """chainrule's own source tree, as (path inside an installable project, bytes)."""
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in _PACKAGE_SUFFIXES and "__pycache__" not in path.parts:
            yield f"src/chainrule/{path.relative_to(package).as_posix()}", path.read_bytes()
    version = importlib.metadata.version("chainrule")
    yield "pyproject.toml", (
        '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n\n'
        f'[project]\nname = "chainrule"\nversion = "{version}"\nrequires-python = ">=3.11"\n\n'
        '[tool.setuptools.packages.find]\nwhere = ["src"]\n\n'
        f'[tool.setuptools.package-data]\n"*" = {list("*" + s for s in _PACKAGE_SUFFIXES if s != ".py")!r}\n'
    ).replace("'", '"').encode("utf-8")


def _add(archive: zipfile.ZipFile, name: str, data: str | bytes, executable: bool = False) -> None:
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))  # fixed: the same inputs give the same zip
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (0o755 if executable else 0o644) << 16
    archive.writestr(info, data)


def gradescope_zip(spec_text: str, config: PlatformConfig) -> bytes:
    """The autograder zip: ``setup.sh`` and ``run_autograder`` at its root, the spec, settings and chainrule."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _add(archive, "setup.sh", SETUP_SH, executable=True)
        _add(archive, "run_autograder", RUN_AUTOGRADER, executable=True)
        _add(archive, SPEC_NAME, spec_text)
        _add(archive, CONFIG_NAME, config.to_json())
        _add(archive, "requirements.txt", requirements())
        for name, data in _package_files():
            _add(archive, f"chainrule/{name}", data)
    return buffer.getvalue()


def prairielearn_files(spec_text: str, config: PlatformConfig) -> Iterator[tuple[str, bytes, bool]]:
    """The PrairieLearn grader: (relative path, bytes, executable) for the image and the question's tests/."""
    yield "tests/run", PRAIRIELEARN_RUN.encode("utf-8"), True
    yield f"tests/{SPEC_NAME}", spec_text.encode("utf-8"), False
    yield f"tests/{CONFIG_NAME}", config.to_json().encode("utf-8"), False
    yield "info-snippet.json", INFO_JSON.encode("utf-8"), False
    yield "Dockerfile", DOCKERFILE.encode("utf-8"), False
    yield "README.txt", README.format(config=CONFIG_NAME).encode("utf-8"), False
    yield "requirements.txt", requirements().encode("utf-8"), False
    for name, data in _package_files():
        yield f"chainrule/{name}", data, False
