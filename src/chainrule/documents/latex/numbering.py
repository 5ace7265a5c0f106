"""The numbers LaTeX would print: section counters and the labels of enumerated items.

A student's ``\\subsection{…}`` inside ``\\section{…}`` 2 is "2.3" on paper, and the third ``\\item`` of an
enumerate nested in another is "(c)": the grader must see the number the student saw. Defaults follow the
``article`` class (section, subsection and subsubsection numbered; paragraphs not; enumerate levels
``1.`` / ``(a)`` / ``i.`` / ``A.``); ``\\setcounter``/``\\addtocounter`` and the enumitem options ``label=`` and
``start=`` (and the enumerate package's short form ``[(a)]``) change them where they are simple.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SECTION_LEVELS = {"part": 1, "chapter": 1, "section": 1, "subsection": 2, "subsubsection": 3, "paragraph": 4,
                  "subparagraph": 5}
_NUMBERED = ("section", "subsection", "subsubsection")  # article: secnumdepth 3
_ENUM_COUNTERS = ("enumi", "enumii", "enumiii", "enumiv")
_DEFAULT_TEMPLATES = ("\\arabic*.", "(\\alph*)", "\\roman*.", "\\Alph*.")
_STYLE = re.compile(r"\\(arabic|alph|Alph|roman|Roman)\*")
_SHORT_FORM = re.compile(r"[1aAiI]")


def alph(n: int) -> str:
    """a, b, …, z, then aa, ab, … (LaTeX stops at z; a student's list past it still gets a label)."""
    out = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out or "0"


def roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    out = ""
    for value, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                           (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


_FORMATS = {"arabic": str, "alph": alph, "Alph": lambda n: alph(n).upper(), "roman": roman,
            "Roman": lambda n: roman(n).upper()}


@dataclass
class Sections:
    """The section counters; a heading's label is its number as printed, None when unnumbered."""

    counters: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SECTION_LEVELS, 0))

    def step(self, command: str, starred: bool) -> str | None:
        if starred or command not in _NUMBERED:
            return None
        self.counters[command] += 1
        for deeper in _NUMBERED[_NUMBERED.index(command) + 1:]:
            self.counters[deeper] = 0
        depth = _NUMBERED.index(command) + 1
        return ".".join(str(self.counters[name]) for name in _NUMBERED[:depth])

    def set(self, counter: str, value: int, add: bool = False) -> bool:
        if counter not in self.counters:
            return False
        self.counters[counter] = self.counters[counter] + value if add else value
        return True


@dataclass
class ListState:
    """One open list: ``enumerate`` (numbered, at enumerate depth ``enum_depth``), ``itemize`` or ``description``."""

    kind: str
    enum_depth: int = 0
    template: str = ""
    counter: int = 0

    @classmethod
    def open(cls, kind: str, enum_depth: int, options: str) -> ListState:
        if kind != "enumerate":
            return cls(kind)
        template = _DEFAULT_TEMPLATES[min(enum_depth, 4) - 1]
        start = 1
        options = options.strip()
        if options:
            keyed = dict(_key_values(options))
            if keyed:
                template = _plain(keyed.get("label", template)) or template
                start = _integer(keyed.get("start"), 1)
            else:  # the enumerate package: [(a)] or [i)] — the first 1/a/A/i/I is the counter
                template = _SHORT_FORM.sub(_short_form_style, _plain(options), count=1)
        return cls(kind, enum_depth, template, start - 1)

    def next_label(self) -> str | None:
        """The printed label of the next ``\\item`` (the counter steps), None for an unnumbered list."""
        if self.kind != "enumerate":
            return None
        self.counter += 1
        return self.label()

    def label(self) -> str:
        if not _STYLE.search(self.template):
            return self.template or str(self.counter)
        return _STYLE.sub(lambda m: _FORMATS[m.group(1)](self.counter), self.template)

    @property
    def counter_name(self) -> str | None:
        return _ENUM_COUNTERS[self.enum_depth - 1] if self.kind == "enumerate" and self.enum_depth <= 4 else None


def _short_form_style(match: re.Match[str]) -> str:
    return {"1": "\\arabic*", "a": "\\alph*", "A": "\\Alph*", "i": "\\roman*", "I": "\\Roman*"}[match.group(0)]


def _key_values(options: str) -> list[tuple[str, str]]:
    """``label=(\\alph*), start=3`` → [(label, (\\alph*)), (start, 3)], commas inside braces kept."""
    pairs, depth, current = [], 0, ""
    for char in options + ",":
        if char == "," and depth == 0:
            if "=" in current:
                key, _, value = current.partition("=")
                pairs.append((key.strip(), value.strip()))
            current = ""
            continue
        depth += (char == "{") - (char == "}")
        current += char
    return pairs


def _plain(template: str) -> str:
    """A label template without its formatting: ``\\textbf{(\\alph*)}`` → ``(\\alph*)``."""
    template = template.strip()
    if template.startswith("{") and template.endswith("}"):
        template = template[1:-1]
    for _ in range(4):
        template = re.sub(r"\\(?:textbf|textit|emph|textrm|textsf|texttt|textup|mathbf|underline)\s*\{([^{}]*)\}",
                          r"\1", template)
    template = re.sub(r"\\(?:bfseries|itshape|upshape|normalfont|bf|it)\b\s*", "", template)
    return template.replace("{", "").replace("}", "").replace("~", " ").strip()


def _integer(text: str | None, default: int) -> int:
    try:
        return int(str(text).strip("{} ")) if text is not None else default
    except ValueError:
        return default
