"""Python files: code as code, the comments and docstrings that carry math as prose, located by line."""

from chainrule.documents import BlockKind, read_document

SOURCE = '''import torch


def sigmoid_grad(x):
    """Derivative of the logistic function.

    $\\sigma'(x) = \\sigma(x)(1 - \\sigma(x))$
    """
    s = torch.sigmoid(x)  # the value
    return s * (1 - s)

# The loss gradient:
# dL/dW2 = (yhat - y) h^T
w = 1
# just a note
x = "# not a comment"
'''


def test_math_comments_and_docstrings_are_prose_and_code_stays_code():
    document = read_document(SOURCE.encode(), "train.py")
    assert document.format == "python"
    where = {text: loc.line for text, loc in zip(document.lines, document.locations, strict=True)}
    assert where["$\\sigma'(x) = \\sigma(x)(1 - \\sigma(x))$"] == 7
    assert where["dL/dW2 = (yhat - y) h^T"] == 13
    prose = [document.block_text(b) for b in document.blocks if b.kind is BlockKind.PROSE]
    assert any("dL/dW2" in text for text in prose)
    assert not any("just a note" in text or "not a comment" in text for text in prose)
    code = [document.block_text(b) for b in document.blocks if b.kind is BlockKind.CODE]
    assert any("return s * (1 - s)" in text for text in code)
    assert where["import torch"] == 1


def test_a_file_that_does_not_parse_is_still_read():
    document = read_document(b"def broken(:\n    # dL/dz = 2 z\n", "bad.py")
    assert "dL/dz = 2 z" in document.text
