"""The PDF tests write their own PDFs with :mod:`pdfmaker` (beside this file)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
