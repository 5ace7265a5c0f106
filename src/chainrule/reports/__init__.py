"""Stage 5, tell: render results as terminal text, Markdown, HTML, JSON and Gradescope files."""
