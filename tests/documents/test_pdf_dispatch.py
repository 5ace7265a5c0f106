"""PDF dispatch: the text layer through ``chainrule.documents.pdf.read_pdf``, a scan to OCR, every failure one line.

The PDF reader itself is tested in tests/documents/pdf/. Here the dispatch is tested against the agreed
interface with a stand-in module, and end to end with the real reader when it is installed.
"""

import sys
import types

import pytest

from chainrule.documents import DocumentBuilder, Location, read_document
from chainrule.errors import InputError

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"


class NoTextLayer(InputError):
    pass


def stand_in(behaviour):
    """A module with the agreed interface: read_pdf(data, source, *, max_pages, deadline) and NoTextLayer."""
    calls = []

    def read_pdf(data, source, *, max_pages, deadline):
        calls.append((data, source, max_pages, deadline))
        return behaviour(source)

    return types.SimpleNamespace(read_pdf=read_pdf, NoTextLayer=NoTextLayer), calls


def with_reader(monkeypatch, behaviour):
    module, calls = stand_in(behaviour)
    monkeypatch.setitem(sys.modules, "chainrule.documents.pdf", module)
    return calls


def test_a_pdf_with_a_text_layer_is_read_by_the_pdf_reader(monkeypatch):
    def read(source):
        builder = DocumentBuilder(source, "pdf")
        builder.add(None, "$x = 1$", Location(source, 3, page=2))
        return builder.build()

    calls = with_reader(monkeypatch, read)
    document = read_document(PDF, "hw")  # no extension: the bytes say PDF
    assert document.format == "pdf" and str(document.locate(1)) == "hw, page 2, line 3"
    data, source, max_pages, deadline = calls[0]
    assert data == PDF and source == "hw" and max_pages == 200 and deadline > 0


def test_a_pdf_without_text_goes_to_ocr_and_without_an_engine_says_what_to_install(monkeypatch):
    def read(source):
        raise NoTextLayer("no page has text", source)

    with_reader(monkeypatch, read)
    monkeypatch.setenv("CHAINRULE_OCR", "none")
    with pytest.raises(InputError) as caught:
        read_document(PDF, "scan.pdf")
    assert "no text layer" in caught.value.message and "tesseract-ocr" in caught.value.message
    assert caught.value.where == "scan.pdf"


@pytest.mark.parametrize("error", [InputError("encrypted: a password is needed"), RuntimeError("cannot open"),
                                   ValueError("bad xref"), RecursionError(), MemoryError()])
def test_every_pdf_failure_is_one_input_error(monkeypatch, error):
    def read(source):
        raise error

    with_reader(monkeypatch, read)
    with pytest.raises(InputError) as caught:
        read_document(PDF, "bad.pdf")
    assert caught.value.where == "bad.pdf"


def test_the_real_reader_on_a_made_pdf():
    pdf = pytest.importorskip("chainrule.documents.pdf")
    pymupdf = pytest.importorskip("pymupdf")
    with pymupdf.open() as made:
        page = made.new_page()
        page.insert_text((72, 72), "Problem 1: the answer is 42")
        data = made.tobytes()
    document = read_document(data, "made.pdf")
    assert "42" in document.text and document.locate(1).page == 1
    assert pdf.read_pdf  # the agreed entry point exists
