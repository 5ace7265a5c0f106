"""The document model: every rendition line has exactly one location, blocks point at rendition lines."""

import pytest

from chainrule.documents import BlockKind, DocumentBuilder, Location, document_from_text


def test_builder_locates_every_line_and_separates_blocks():
    builder = DocumentBuilder("hw.pdf", "pdf")
    builder.add(BlockKind.HEADING, "## Problem 1", Location("hw.pdf", 3, page=1), label="1", level=2)
    builder.add(BlockKind.MATH, "$$\nf'(x) = 1\n$$", Location("hw.pdf", 7, page=2))
    document = builder.build()
    assert document.lines == ["## Problem 1", "", "$$", "f'(x) = 1", "$$"]
    assert str(document.locate(4)) == "hw.pdf, page 2, line 8"
    assert document.locate(4).short == "page 2, line 8"
    assert [b.first for b in document.blocks] == [1, 3]
    assert document.block_text(document.blocks[1]) == "$$\nf'(x) = 1\n$$"
    assert document.blocks[0].label == "1"
    assert not document.is_verbatim


def test_builder_refuses_a_location_list_of_the_wrong_length():
    builder = DocumentBuilder("a.ipynb", "notebook")
    with pytest.raises(ValueError):
        builder.add(BlockKind.CODE, "x = 1\ny = 2", [Location("a.ipynb", 1, cell=1)])


def test_markdown_is_verbatim_with_blocks_from_its_structure():
    text = "# Answers\n\n## 1.2\n\n1. first\n2. second\n\n$$\na = b\n$$\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    document = document_from_text(text, "hw.md")
    assert document.text == text
    assert document.is_verbatim
    kinds = [(b.kind, b.first, b.label) for b in document.blocks]
    assert (BlockKind.HEADING, 1, None) in kinds
    assert (BlockKind.ITEM, 5, "1") in kinds and (BlockKind.ITEM, 6, "2") in kinds
    assert any(kind is BlockKind.MATH and first == 8 for kind, first, _ in kinds)
    assert any(kind is BlockKind.TABLE and first == 12 for kind, first, _ in kinds)
