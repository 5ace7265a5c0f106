"""Bad PDFs get one located InputError (or a note when reading can go on), never a hang or a traceback."""

from __future__ import annotations

import time

import pymupdf
import pytest
from pdfmaker import pdf, text

from chainrule.documents.pdf import NoTextLayer, read_pdf
from chainrule.errors import InputError


def _page(p: pymupdf.Page) -> None:
    text(p, 72, 100, "An answer: x = 1.")


def _one_line(error: InputError) -> str:
    message = str(error)
    assert "\n" not in message and message.startswith("hw.pdf")
    return message


def test_an_encrypted_pdf_is_refused_saying_so() -> None:
    doc = pymupdf.open(stream=pdf(_page))
    data = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner")
    with pytest.raises(InputError) as caught:
        read_pdf(data, "hw.pdf")
    assert "encrypted" in _one_line(caught.value)


def test_a_pdf_encrypted_without_a_user_password_is_read() -> None:
    doc = pymupdf.open(stream=pdf(_page))
    data = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="owner", permissions=0)
    assert "x = 1" in read_pdf(data, "hw.pdf").text


@pytest.mark.parametrize("cut", [0.1, 0.5])
def test_a_truncated_pdf_is_refused_or_read_with_a_note(cut: float) -> None:
    data = pdf(_page, _page)
    try:
        doc = read_pdf(data[: int(len(data) * cut)], "hw.pdf")
    except InputError as error:
        _one_line(error)
    else:
        assert doc.notes


def test_garbage_after_a_pdf_header_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        read_pdf(b"%PDF-1.7\n" + bytes(range(256)) * 40, "hw.pdf")
    _one_line(caught.value)


def test_not_a_pdf_at_all() -> None:
    with pytest.raises(InputError) as caught:
        read_pdf(b"\\documentclass{article}", "hw.pdf")
    assert "not a PDF" in _one_line(caught.value)


def test_an_oversized_file_is_refused_before_parsing() -> None:
    with pytest.raises(InputError) as caught:
        read_pdf(b"%PDF-1.7\n" + b"0" * 2000, "hw.pdf", max_bytes=1000)
    assert "MB" in _one_line(caught.value)


def test_a_scan_without_text_raises_no_text_layer() -> None:
    def scan(p: pymupdf.Page) -> None:
        p.draw_rect(pymupdf.Rect(72, 72, 300, 300), fill=(0.5, 0.5, 0.5))

    with pytest.raises(NoTextLayer) as caught:
        read_pdf(pdf(scan, scan), "hw.pdf")
    assert isinstance(caught.value, InputError)
    assert "text layer" in _one_line(caught.value)


def test_a_thousand_pages_are_bounded_by_pages_and_by_time() -> None:
    data = pdf(*([_page] * 1000))
    doc = read_pdf(data, "hw.pdf", max_pages=20)
    assert doc.locate(len(doc.lines)).page == 20
    assert any("1000 pages" in note and "first 20" in note for note in doc.notes)
    start = time.monotonic()
    doc = read_pdf(data, "hw.pdf", max_pages=1000, deadline=0.0)
    assert time.monotonic() - start < 30
    assert any("stopped at page" in note for note in doc.notes)


def test_a_page_with_too_many_characters_is_skipped_with_a_note() -> None:
    def crowded(p: pymupdf.Page) -> None:
        for k in range(40):
            text(p, 36, 40 + 18 * k, "x" * 90, size=8)

    doc = read_pdf(pdf(_page, crowded), "hw.pdf", max_chars_per_page=1000)
    assert "x = 1" in doc.text
    assert any("page 2: skipped" in note for note in doc.notes)


def test_an_absurd_page_size_is_skipped_with_a_note() -> None:
    doc = read_pdf(pdf(_page) + b"", "hw.pdf")
    assert doc.text
    huge = pdf(_page, width=14_400, height=14_400)
    assert "x = 1" in read_pdf(huge, "hw.pdf").text
    doc = pymupdf.open(stream=pdf(_page, _page))
    doc[1].set_mediabox(pymupdf.Rect(0, 0, 30_000, 30_000))
    read = read_pdf(doc.tobytes(), "hw.pdf")
    assert any("page 2: skipped" in note for note in read.notes)
