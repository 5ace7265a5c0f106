# Two entry points a newcomer needs: `make demo` and `make test`. Both build the
# virtual environment on first use, with every dependency pinned by constraints.txt.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean browser ocr

# Tesseract (Debian's tesseract-ocr, English model included): the OCR engine the tests run for real on a page
# they make. Installed when missing and apt-get is at hand as root; elsewhere the OCR tests skip, except in CI.
ocr:
	@command -v tesseract >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		{ DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr >/dev/null 2>&1 || \
		  { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr >/dev/null; }; } ; } || \
		echo "make: tesseract-ocr not installed (apt-get install tesseract-ocr); its OCR test will skip"

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# The main job on built-in examples: a worked backward pass, then a made-up submission graded
# against the built-in AMA564 A1 spec.
# Terminal output first (readable notation, not LaTeX), then the same grading as one HTML page (MathML, the
# math font inside, no script) named at the end. `grade` exits 1 when it finds a wrong answer, as the example has.
demo: $(STAMP)
	$(BIN)/chainrule backprop examples/ama564-net.yaml
	$(BIN)/chainrule grade ama564-a1 examples/ama564-a1-student.md || test $$? -eq 1
	$(BIN)/chainrule grade ama564-a1 examples/ama564-a1-student.md --format html -o demo-report \
	  >/dev/null 2>&1 || test $$? -eq 1
	@echo "HTML report: $(CURDIR)/demo-report/ama564-a1-student.html (open it in a browser)"

# The real browser the page tests drive: Debian's chromium (and a text font), installed when missing. CI runs as
# root on a fresh machine, so it installs there; elsewhere without root the page tests skip and say why.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian's chromium for the page tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      chromium fonts-dejavu-core >/dev/null; \
	  else \
	    echo "note: page tests need Debian's chromium (sudo apt-get install chromium); they will be skipped"; \
	  fi; \
	fi

test: $(STAMP) browser ocr
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest -n 2

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[bench]'
	for script in benchmarks/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) build dist src/*.egg-info
