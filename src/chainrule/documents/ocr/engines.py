"""OCR engine adapters: each turns page images into Markdown with LaTeX math, or says why it cannot run.

An adapter's ``unavailable()`` is cheap (an import spec, a binary on PATH, an environment variable) so
choosing an engine never loads a model; ``read()`` loads and runs it, bounded by the deadline.
"""

from __future__ import annotations

import base64
import importlib.util
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from chainrule.errors import InputError


@dataclass(frozen=True)
class PageImage:
    """One page as an image file's bytes (PNG, JPEG …), numbered from 1."""

    number: int
    data: bytes


class OcrEngine:
    """The adapter interface: a name, why it cannot run (None when it can), and the reading itself."""

    name: ClassVar[str] = ""
    caveat: ClassVar[str] = ""  # what a reader of its output should know

    def unavailable(self) -> str | None:
        raise NotImplementedError

    def read(self, pages: list[PageImage], *, deadline: float, pdf: bytes | None = None) -> list[str]:
        """Markdown+LaTeX per page, in order. ``pdf`` is the whole file when the pages came from one."""
        raise NotImplementedError


MAX_CALL_SECONDS = 600.0  # one engine call, whatever deadline the caller gave


def _left(deadline: float, what: str) -> float:
    seconds = deadline - time.monotonic()
    if seconds <= 0:
        raise InputError(f"OCR ran out of time ({what})")
    return min(seconds, MAX_CALL_SECONDS)


class Tesseract(OcrEngine):
    """Tesseract (Debian: ``apt-get install tesseract-ocr``): fast and everywhere, but it reads prose only."""

    name = "tesseract"
    caveat = "Tesseract reads prose, not formulas; math on these pages may be garbled"

    def unavailable(self) -> str | None:
        return None if shutil.which("tesseract") else "the tesseract program is not installed"

    def read(self, pages: list[PageImage], *, deadline: float, pdf: bytes | None = None) -> list[str]:
        texts = []
        with tempfile.TemporaryDirectory(prefix="chainrule-ocr-") as folder:
            for page in pages:
                image = Path(folder) / f"page-{page.number}.img"
                image.write_bytes(page.data)
                try:
                    done = subprocess.run(
                        ["tesseract", str(image), "stdout", "-l", "eng", "--psm", "4"],
                        capture_output=True, timeout=_left(deadline, f"page {page.number}"), check=False)
                except subprocess.TimeoutExpired:
                    raise InputError(f"OCR ran out of time on page {page.number}") from None
                if done.returncode != 0:
                    message = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["failed"]
                    raise InputError(f"tesseract could not read page {page.number}: {message[0][:160]}")
                texts.append(done.stdout.decode("utf-8", "replace"))
        return texts


class Pix2Text(OcrEngine):
    """pix2text (``pip install pix2text``): text and formula recognition, formulas as LaTeX, run locally."""

    name = "pix2text"

    def unavailable(self) -> str | None:
        return None if importlib.util.find_spec("pix2text") else "pix2text is not installed"

    def read(self, pages: list[PageImage], *, deadline: float, pdf: bytes | None = None) -> list[str]:
        import io

        from PIL import Image
        from pix2text import Pix2Text as Engine

        engine = Engine.from_config()
        texts = []
        for page in pages:
            _left(deadline, f"page {page.number}")
            with Image.open(io.BytesIO(page.data)) as image:
                result = engine.recognize_text_formula(image.convert("RGB"), return_text=True)
            texts.append(result if isinstance(result, str) else str(result))
        return texts


class Marker(OcrEngine):
    """marker-pdf (``pip install marker-pdf``): whole PDFs to Markdown with LaTeX, page-separated."""

    name = "marker"

    def unavailable(self) -> str | None:
        return None if importlib.util.find_spec("marker") else "marker-pdf is not installed"

    def read(self, pages: list[PageImage], *, deadline: float, pdf: bytes | None = None) -> list[str]:
        import re

        from marker.converters.pdf import PdfConverter
        from marker.models import create_model_dict
        from marker.output import text_from_rendered

        if pdf is None:
            raise InputError("marker reads PDFs; convert the image to a PDF or install another OCR engine")
        _left(deadline, "loading marker")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            converter = PdfConverter(artifact_dict=create_model_dict(), config={"paginate_output": True})
            text, _, _ = text_from_rendered(converter(handle.name))
        parts = re.split(r"^\{\d+\}-{10,}\s*$", text, flags=re.MULTILINE)
        return [part for part in parts if part.strip()] or [text]


class Mathpix(OcrEngine):
    """Mathpix's API (an account: ``MATHPIX_APP_ID`` and ``MATHPIX_APP_KEY``; ``MATHPIX_API_URL`` for another
    endpoint): each page image is sent to ``/v3/text`` and comes back as Markdown with ``$``/``$$`` math."""

    name = "mathpix"
    default_url = "https://api.mathpix.com"

    def unavailable(self) -> str | None:
        if os.environ.get("MATHPIX_APP_ID") and os.environ.get("MATHPIX_APP_KEY"):
            return None
        return "MATHPIX_APP_ID and MATHPIX_APP_KEY are not set"

    def read(self, pages: list[PageImage], *, deadline: float, pdf: bytes | None = None) -> list[str]:
        url = os.environ.get("MATHPIX_API_URL", self.default_url).rstrip("/") + "/v3/text"
        headers = {"app_id": os.environ["MATHPIX_APP_ID"], "app_key": os.environ["MATHPIX_APP_KEY"],
                   "Content-Type": "application/json"}
        texts = []
        for page in pages:
            body = json.dumps({
                "src": "data:image/png;base64," + base64.b64encode(page.data).decode("ascii"),
                "formats": ["text"],
                "math_inline_delimiters": ["$", "$"],
                "math_display_delimiters": ["$$", "$$"],
            }).encode()
            request = urllib.request.Request(url, data=body, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=_left(deadline, f"page {page.number}")) as reply:
                    answer = json.loads(reply.read(10_000_000))
            except (urllib.error.URLError, TimeoutError, json.JSONDecodeError, OSError) as error:
                raise InputError(f"Mathpix could not read page {page.number}: {error}") from None
            if "error" in answer:
                raise InputError(f"Mathpix could not read page {page.number}: {answer['error']}")
            texts.append(str(answer.get("text", "")))
        return texts


# In the order they are tried: formula-aware engines first, prose-only Tesseract last.
ENGINES: tuple[OcrEngine, ...] = (Mathpix(), Pix2Text(), Marker(), Tesseract())
