"""LaTeX sources → the document model (pylatexenc; see :mod:`.reader` for why, :mod:`.macros` for expansion)."""

from chainrule.documents.latex.reader import read_latex

__all__ = ["read_latex"]
