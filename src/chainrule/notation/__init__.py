"""Stage 1, read: find the math in Markdown/LaTeX and parse it into typed expressions."""
