"""Stage 2, know: the truth about neural-network mathematics, exact (SymPy) and numeric (NumPy, PyTorch).

The engine neither prints, plots nor reads files; those jobs sit in later stages.
"""
