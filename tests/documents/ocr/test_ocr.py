"""OCR adapters: their real loading and calling code, on a page the test draws (no model is downloaded)."""

import io
import json
import os
import shutil
import sys
import threading
import time
import types
import typing
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from chainrule.documents import read_document
from chainrule.documents.ocr import choose_engine, read_scanned
from chainrule.documents.ocr.engines import Marker, Mathpix, Pix2Text
from chainrule.errors import InputError

WORDS = "Problem 3 the answer is seven"


def page_png(text: str = WORDS) -> bytes:
    """A white page with large black words: what a phone photo of a typed line looks like to OCR."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (1400, 220), "white")
    font = ImageFont.load_default(size=56)
    ImageDraw.Draw(image).text((40, 70), text, fill="black", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def needs_tesseract():
    if shutil.which("tesseract"):
        return
    if os.environ.get("CI"):
        pytest.fail("CI must run one OCR engine for real: `make ocr` installs Debian's tesseract-ocr")
    pytest.skip("tesseract-ocr is not installed (make ocr)")


def test_tesseract_reads_a_photographed_page(monkeypatch):
    needs_tesseract()
    monkeypatch.setenv("CHAINRULE_OCR", "tesseract")
    document = read_document(page_png(), "photo.png")
    assert document.format == "ocr"
    words = " ".join(document.text.split()).lower()
    assert "problem 3" in words and "answer" in words and "seven" in words
    assert document.locate(1).page == 1
    assert any("tesseract" in note for note in document.notes)


def test_tesseract_reads_a_scanned_pdf(monkeypatch):
    needs_tesseract()
    pytest.importorskip("pymupdf")
    from PIL import Image

    monkeypatch.setenv("CHAINRULE_OCR", "tesseract")
    out = io.BytesIO()
    Image.open(io.BytesIO(page_png())).save(out, format="PDF", resolution=100)  # an image, no text layer
    document = read_scanned(out.getvalue(), "scan.pdf", image=False, max_pages=5,
                            deadline=time.monotonic() + 120)
    assert "seven" in document.text.lower() and document.locate(1).page == 1


def test_without_an_engine_the_message_says_what_to_install(monkeypatch):
    monkeypatch.setenv("CHAINRULE_OCR", "none")
    with pytest.raises(InputError) as caught:
        read_document(page_png(), "photo.jpg")
    assert "tesseract-ocr" in caught.value.message and "pix2text" in caught.value.message
    assert caught.value.where == "photo.jpg"


def test_an_unknown_engine_name_is_one_line(monkeypatch):
    monkeypatch.setenv("CHAINRULE_OCR", "abbyy")
    with pytest.raises(InputError, match="not one of"):
        choose_engine()


class _FakeMathpix(BaseHTTPRequestHandler):
    seen: typing.ClassVar[list] = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _FakeMathpix.seen.append((self.path, self.headers["app_id"], self.headers["app_key"], body))
        reply = json.dumps({"text": "## 1.2\n$$\nf'(x) = 2 x\n$$"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


def test_mathpix_adapter_calls_the_api_with_the_page_and_its_keys(monkeypatch):
    server = HTTPServer(("127.0.0.1", 0), _FakeMathpix)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("MATHPIX_APP_ID", "my-id")
        monkeypatch.setenv("MATHPIX_APP_KEY", "my-key")
        monkeypatch.setenv("MATHPIX_API_URL", f"http://127.0.0.1:{server.server_port}")
        monkeypatch.delenv("CHAINRULE_OCR", raising=False)
        assert isinstance(choose_engine(), Mathpix)
        document = read_document(page_png(), "photo.png")
    finally:
        server.shutdown()
        server.server_close()
    path, app_id, app_key, body = _FakeMathpix.seen[-1]
    assert (path, app_id, app_key) == ("/v3/text", "my-id", "my-key")
    assert body["src"].startswith("data:image/png;base64,") and body["math_display_delimiters"] == ["$$", "$$"]
    assert document.lines[0] == "## 1.2" and "f'(x) = 2 x" in document.lines
    assert document.locate(4).page == 1


def test_pix2text_adapter_loads_and_calls_the_library(monkeypatch):
    """The adapter's calls, against the library's interface (pix2text itself downloads models on first use)."""
    calls = []

    class Engine:
        @classmethod
        def from_config(cls):
            calls.append("from_config")
            return cls()

        def recognize_text_formula(self, image, return_text=True):
            calls.append((image.size, return_text))
            return "(a) $y = 3$"

    if Pix2Text().unavailable() is None and not os.environ.get("CHAINRULE_TEST_FAKE_PIX2TEXT"):
        pytest.skip("pix2text is installed: its real models would be loaded")
    monkeypatch.setitem(sys.modules, "pix2text", types.SimpleNamespace(Pix2Text=Engine))
    texts = Pix2Text().read([__import__("chainrule.documents.ocr.engines", fromlist=["PageImage"]).PageImage(
        1, page_png())], deadline=time.monotonic() + 60)
    assert texts == ["(a) $y = 3$"] and calls[0] == "from_config" and calls[1][0] == (1400, 220)


def test_marker_adapter_is_skipped_cleanly_when_absent():
    if Marker().unavailable() is not None:
        assert "marker-pdf" in Marker().unavailable()
        pytest.skip("marker-pdf is not installed")
    pytest.skip("marker-pdf is installed but its models are downloaded at first use; not run in tests")
