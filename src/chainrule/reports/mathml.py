"""LaTeX → MathML that renders in today's browsers, built from nodes and safe by construction.

``latex2mathml`` does the parsing; this module is a small layer that fixes what its output gets wrong for
MathML Core (what Chromium and Firefox render) and for the LaTeX students write:

* alignment: ``aligned``, ``gather``, ``eqnarray`` and a bare ``a &= b \\\\ c &= d`` come out as one line with
  literal ``&``; every row list is rebuilt as a table (right/left columns around each ``&``);
* ``\\lim_{x\\to\\infty}``, ``\\max_i``, ``\\arg\\min_x``: the limit goes under the operator in display math;
* ``\\mathbb``, ``\\mathbf``, ``\\boldsymbol``, ``\\mathcal`` ...: MathML Core ignores ``mathvariant``, so
  letters become the Unicode mathematical alphanumerics (ℝ, 𝐱, 𝜽); ``\\mathbbm{1}``/``\\mathds{1}`` are 𝟙,
  set apart from a number before it (``99·𝟙``, not ``991``);
* primes sit beside their letter (``f′``), not as a raised, shrunken superscript;
* ``\\operatorname{ReLU}`` is a name (upright, no operator spacing); ``\\boxed`` a box drawn by CSS;
  scripts on a run of nodes (``\\begin{pmatrix}…\\end{pmatrix}^\\top``) get one base.

Safety: the converter's output is parsed as XML and rebuilt element by element from an allow-list of MathML
elements and attributes; text is escaped when serialised. ``\\text{<img onerror=…>}`` therefore shows its
characters and never becomes markup. Where anything is not understood — a parse failure, a command passed
through unconverted — the whole formula is shown as its source in ``<code>``, never half-rendered.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import lru_cache

from markupsafe import Markup, escape

from chainrule.reports.math_letters import styled

MAX_TEX_CHARS = 8000
MATHML_NS = "{http://www.w3.org/1998/Math/MathML}"

ELEMENTS = {
    "math", "mrow", "mi", "mn", "mo", "mtext", "mspace", "ms", "msup", "msub", "msubsup", "munder", "mover",
    "munderover", "mfrac", "msqrt", "mroot", "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom",
    "semantics", "annotation", "merror", "mmultiscripts", "mprescripts", "none",
}
ATTRIBUTES = {
    "display", "displaystyle", "scriptlevel", "stretchy", "fence", "separator", "form", "lspace", "rspace",
    "symmetric", "largeop", "movablelimits", "accent", "accentunder", "minsize", "maxsize", "linethickness",
    "width", "height", "depth", "voffset", "columnspan", "rowspan", "mathvariant",
}
# Operators whose scripts go under/over them in display math (as TeX's \lim, \max, \sum do).
LIMIT_OPERATORS = {"lim", "lim sup", "lim inf", "limsup", "liminf", "max", "min", "sup", "inf", "arg max",
                   "arg min", "argmax", "argmin", "det", "Pr", "gcd", "∑", "∏", "⋃", "⋂", "⨁", "⨂", "⋀", "⋁"}
PRIMES = {"′", "″", "‴", "'", "''"}
NAMED_SPACES = {
    "veryverythinmathspace": "0.0556em", "verythinmathspace": "0.1111em", "thinmathspace": "0.1667em",
    "mediummathspace": "0.2222em", "thickmathspace": "0.2778em", "verythickmathspace": "0.3333em",
    "veryverythickmathspace": "0.3889em", "negativethinmathspace": "-0.1667em",
    "negativemediummathspace": "-0.2222em", "negativethickmathspace": "-0.2778em",
}
SCRIPT_ARITY = {"msup": 2, "msub": 2, "munder": 2, "mover": 2, "mfrac": 2, "mroot": 2, "msubsup": 3,
                "munderover": 3}

# Source rewrites before conversion: spellings latex2mathml does not know, and commands with no visible output.
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\\(?:mathbbm|mathds|mathbbold)(?![A-Za-z])"), r"\\mathbb"),
    (re.compile(r"\\(?:label|ref|eqref)\s*\{[^{}]*\}"), ""),
    (re.compile(r"\\(?:nonumber|notag|displaystyle|textstyle|limits|nolimits|allowbreak|nobreak)(?![A-Za-z])"),
     ""),
    (re.compile(r"\\arg(?![A-Za-z])(?!\s*\\?(?:min|max))"), r"\\mathrm{arg}\\,"),
    (re.compile(r"\\operatorname\*"), r"\\operatorname"),
    (re.compile(r"\\(?:big|Big|bigg|Bigg)[lrm]?(?![A-Za-z])"), ""),
    (re.compile(r"\\(?:dfrac)(?![A-Za-z])"), r"\\frac"),
    (re.compile(r"\\(?:begin|end)\{(?:equation|equation\*|displaymath|math)\}"), ""),
)
# Environments that are rows of cells; latex2mathml renders some of them as one line.
_ROW_ENVIRONMENTS = re.compile(r"\\(begin|end)\{(aligned|alignedat|align|align\*|gather|gather\*|gathered|"
                               r"eqnarray|eqnarray\*|multline|multline\*|flalign|flalign\*|split)\}(\{\d+\})?")
# Text arguments whose characters latex2mathml copies into the output without escaping them.
_TEXT_COMMAND = re.compile(r"\\(?:text|textrm|textit|textbf|textsf|texttt|mbox|mathrm|operatorname|mathit|"
                           r"mathbf|mathsf|mathtt)\s*\{")
_PROTECT = {"<": "\ue000", ">": "\ue001", "&": "\ue002", '"': "\ue003", "'": "\ue004"}
_UNPROTECT = str.maketrans({value: key for key, value in _PROTECT.items()})
_UNCONVERTED = re.compile(r"\\[A-Za-z]+")


class MathConversionError(ValueError):
    """The formula could not be turned into trustworthy MathML (the caller shows its source instead)."""


def latex_to_mathml(tex: str, display: bool = False) -> Markup:
    """Safe MathML for ``tex``; where it cannot be converted faithfully, its escaped source in ``<code>``."""
    source = " ".join(tex.split()) if "\n" in tex else tex.strip()
    if not source:
        return Markup("")
    try:
        return Markup(_convert(source, display))
    except MathConversionError:
        return source_code(source)


def source_code(tex: str) -> Markup:
    """A formula that could not be rendered: its LaTeX in a code span, escaped."""
    return Markup('<code class="tex">{}</code>').format(tex)


@lru_cache(maxsize=4096)
def _convert(source: str, display: bool) -> str:
    if len(source) > MAX_TEX_CHARS:
        raise MathConversionError("too long")
    prepared = _prepare(source)
    try:
        from latex2mathml.converter import convert

        raw = convert(prepared, display="block" if display else "inline")
    except Exception as error:  # latex2mathml raises many unrelated types on input it cannot read
        raise MathConversionError(str(error)) from None
    try:
        tree = ET.fromstring(raw)
    except ET.ParseError as error:
        raise MathConversionError(str(error)) from None
    tree = _repair(tree)
    return _serialise(tree)


def _prepare(source: str) -> str:
    for pattern, replacement in _REWRITES:
        source = pattern.sub(replacement, source)
    # Rows of cells are rebuilt from line breaks and ``&`` after conversion: present them as a plain group.
    source = _ROW_ENVIRONMENTS.sub(lambda match: "{" if match.group(1) == "begin" else "}", source)
    return _mark_cell_breaks(_protect_text(source))


_ENVIRONMENT = re.compile(r"\\(begin|end)\{([^{}]*)\}|\\.|&", re.DOTALL)
CELL_BREAK = "\ue005"


def _mark_cell_breaks(source: str) -> str:
    """An ``&`` outside the tables latex2mathml builds itself (cases, matrices, arrays) marks a cell of ours.

    latex2mathml copies such an ``&`` into its output unescaped; a private-use stand-in survives as text.
    """
    depth = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal depth
        if match.group(1) == "begin":
            depth += 1
        elif match.group(1) == "end":
            depth = max(0, depth - 1)
        elif match.group() == "&" and depth == 0:
            return CELL_BREAK
        return match.group()

    return _ENVIRONMENT.sub(replace, source)


def _protect_text(source: str) -> str:
    """Replace markup characters inside text arguments by private-use stand-ins, restored as text later."""
    out: list[str] = []
    position = 0
    for match in _TEXT_COMMAND.finditer(source):
        if match.start() < position:
            continue
        out.append(source[position : match.end()])
        depth, index = 1, match.end()
        while index < len(source) and depth:
            char = source[index]
            if char == "\\" and index + 1 < len(source):
                out.append(source[index : index + 2])
                index += 2
                continue
            depth += char == "{"
            depth -= char == "}"
            out.append(_PROTECT.get(char, char) if depth else char)
            index += 1
        position = index
    out.append(source[position:])
    text = "".join(out)
    # Outside text, a bare < > is an operator latex2mathml escapes itself; a stray " or ' is harmless.
    return text


# --------------------------------------------------------------------------------------------------------------
# Repairs on the element tree
# --------------------------------------------------------------------------------------------------------------


def _tag(element: ET.Element) -> str:
    return element.tag.removeprefix(MATHML_NS)


def _text(element: ET.Element) -> str:
    return "".join(element.itertext())


def _new(tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.Element(tag, {key.rstrip("_"): value for key, value in attributes.items()})
    element.text = text
    return element


def _repair(element: ET.Element) -> ET.Element:
    for child in list(element):
        replacement = _repair(child)
        if replacement is not child:
            index = list(element).index(child)
            element.remove(child)
            element.insert(index, replacement)
    tag = _tag(element)
    element.tag = tag
    if element.get("mathvariant") not in (None, "normal"):
        variant = element.attrib.pop("mathvariant")
        for node in element.iter():
            if node.text:
                node.text = styled(node.text, variant)
    if tag == "mspace" and element.get("width") in NAMED_SPACES:
        element.set("width", NAMED_SPACES[element.get("width", "")])
    if tag in SCRIPT_ARITY:
        _one_base(element, SCRIPT_ARITY[tag])
    if tag == "mo" and element.text and element.text.isalpha() and len(element.text) > 1:
        element = _operator_name(element)
    if tag in ("msub", "msubsup", "msup") and _is_limit_operator(element[0]):
        element = _limits_under(element)
    if tag == "msup" and len(element) == 2 and _text(element[1]).strip() in PRIMES and not len(element[1]):
        element = _prime_beside(element)
    if tag == "menclose":
        element.tag, element.attrib = "mrow", {"class": "boxed"}
    if tag in ("mrow", "math", "mstyle", "mtd"):
        _rows_to_table(element)
        _indicator_apart(element)
    if tag == "mtd":
        align = element.attrib.pop("columnalign", "")
        if align in ("left", "right", "center"):
            element.set("class", align[0])
    for name in ("columnalign", "columnspacing", "rowspacing", "columnlines", "rowlines", "frame"):
        element.attrib.pop(name, None)
    return element


def _one_base(element: ET.Element, arity: int) -> None:
    """``msup`` over four children (a bracket, a table, a bracket, ⊤): the first ones become one base."""
    children = list(element)
    if len(children) <= arity:
        return
    base = _new("mrow")
    base.extend(children[: len(children) - arity + 1])
    for child in children:
        element.remove(child)
    element.append(base)
    element.extend(children[len(children) - arity + 1 :])


def _operator_name(element: ET.Element) -> ET.Element:
    """``<mo>ReLU</mo>`` → an upright name; ``lim``/``max`` stay operators (their limits go under them)."""
    if element.text in LIMIT_OPERATORS:
        return element
    return _new("mi", element.text)


def _is_limit_operator(element: ET.Element) -> bool:
    if _tag(element) != "mo":
        return False
    name = " ".join(_text(element).replace("\u2009", " ").split())
    return name in LIMIT_OPERATORS or element.get("movablelimits") == "true"


def _limits_under(element: ET.Element) -> ET.Element:
    """``msub(lim, x→∞)`` → ``munder`` with movable limits: under in display math, beside it inline (as TeX)."""
    tag = {"msub": "munder", "msup": "mover", "msubsup": "munderover"}[_tag(element)]
    replacement = _new(tag)
    replacement.extend(list(element))
    replacement[0].set("movablelimits", "true")
    return replacement


def _prime_beside(element: ET.Element) -> ET.Element:
    base, prime = list(element)
    row = _new("mrow")
    row.append(base)
    row.append(_new("mo", _text(prime).replace("'", "′"), lspace="0", rspace="0"))
    return row


def _is_break(element: ET.Element) -> bool:
    return _tag(element) == "mspace" and element.get("linebreak") == "newline"


def _is_ampersand(element: ET.Element) -> bool:
    return _tag(element) in ("mi", "mo", "mtext") and (element.text or "").strip() in ("&", CELL_BREAK) and not len(
        element)


def _rows_to_table(element: ET.Element) -> None:
    """Children with line breaks or ``&`` become a table: a row per line, right/left cells around each ``&``."""
    children = list(element)
    if not any(_is_break(child) or _is_ampersand(child) for child in children):
        return
    rows: list[list[list[ET.Element]]] = [[[]]]
    for child in children:
        if _is_break(child):
            rows.append([[]])
        elif _is_ampersand(child):
            rows[-1].append([])
        else:
            rows[-1][-1].append(child)
    for child in children:
        element.remove(child)
    table = _new("mtable", **{"class": "rows"})
    for row in rows:
        if len(row) == 1 and not row[0] and len(rows) > 1:
            continue  # an empty line (a trailing \\)
        line = _new("mtr")
        for index, cell in enumerate(row):
            aligned = "r" if len(row) > 1 and index % 2 == 0 else "l"
            mtd = _new("mtd", **{"class": aligned})
            if aligned == "l" and index > 0 and cell:
                mtd.append(_new("mrow"))  # an empty first atom keeps "= b" spaced as a relation
            mtd.extend(cell)
            line.append(mtd)
        table.append(line)
    element.append(table)


_INDICATORS = {"𝟙", "𝟏"}


def _indicator_apart(element: ET.Element) -> None:
    """A thin space between a number and an indicator after it: ``99 𝟙[x>0]`` never reads ``991[x>0]``."""
    children = list(element)
    for index in range(len(children) - 1, 0, -1):
        after = children[index]
        first = after
        while len(first) and _tag(first) in ("mrow", "msub", "msup", "msubsup"):
            first = first[0]
        if (first.text or "").strip() in _INDICATORS and _tag(children[index - 1]) == "mn":
            element.insert(index, _new("mspace", width="0.1667em"))


# --------------------------------------------------------------------------------------------------------------
# Serialising from the allow-list
# --------------------------------------------------------------------------------------------------------------

_CLASSES = {"boxed", "rows", "l", "r", "c"}


def _serialise(element: ET.Element) -> str:
    tag = _tag(element)
    if tag not in ELEMENTS:
        raise MathConversionError(f"unexpected element {tag}")
    parts = [f"<{tag}"]
    if tag == "math":
        parts.append(' xmlns="http://www.w3.org/1998/Math/MathML"')
    for name, value in element.attrib.items():
        if name == "class" and value in _CLASSES:
            parts.append(f' class="{value}"')
        elif name in ATTRIBUTES and (name != "mathvariant" or value == "normal"):
            parts.append(f' {name}="{escape(value)}"')
    parts.append(">")
    text = (element.text or "").translate(_UNPROTECT)
    if tag not in ("mtext", "ms", "annotation") and _UNCONVERTED.search(text):
        raise MathConversionError(f"unconverted command in {text!r}")  # half-rendered: show the source instead
    parts.append(str(escape(text)))
    for child in element:
        parts.append(_serialise(child))
        if child.tail and child.tail.strip():
            parts.append(str(escape(child.tail.translate(_UNPROTECT))))
    parts.append(f"</{tag}>")
    return "".join(parts)
