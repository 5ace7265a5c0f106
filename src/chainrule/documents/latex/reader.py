"""LaTeX sources, read with pylatexenc: structure into blocks, math into ``$``/``$$`` the notation reader parses.

Why pylatexenc (2.x) and not TexSoup: its walker is tolerant (a student's unbalanced brace or unknown
environment costs a node, not the document), every node carries its offset in the source (so each rendition
line is located at its source line), it knows the argument shapes of LaTeX's macros and lets us add the
user's own (so ``\\newcommand`` calls arrive with their arguments), and it parses ``verbatim``/``\\verb`` and
comments as such. TexSoup raises on unbalanced input and reports positions less reliably.

What comes out (one rendition line per source line where the source has one):

- ``\\section``…``\\subparagraph`` → a Markdown heading, HEADING block, label = the number LaTeX prints
  (None when starred or unnumbered), the title text kept;
- ``enumerate``/``itemize``/``description`` items → a paragraph that starts with the printed label, ITEM block
  around all of the item's lines (label ``1.``, ``(a)``, ``i.``, ``A.``, or the ``\\item[…]`` text);
- display math (``$$``, ``\\[``, ``equation``, ``align``, ``gather``, ``multline``, ``flalign``, ``eqnarray``,
  starred or not) → a ``$$`` MATH block (multi-row environments as ``aligned``/``gathered`` inside it);
  inline math kept;
- ``tabular`` → a Markdown table (TABLE); ``verbatim``/``lstlisting``/``minted`` → fenced CODE;
- the preamble, comments, ``\\label``, spacing and layout commands → nothing; the user's macros → expanded
  (:mod:`.macros`); ``\\input``, ``\\include``, ``\\bibliography``, ``\\includegraphics`` → a located note: no
  file is ever opened.
"""

from __future__ import annotations

import bisect
import re

from pylatexenc import latexwalker
from pylatexenc.latex2text import LatexNodes2Text

from chainrule.documents.latex import macros as mc
from chainrule.documents.latex.numbering import SECTION_LEVELS, ListState, Sections
from chainrule.documents.model import BlockKind, Document, DocumentBuilder, Location
from chainrule.errors import InputError

DISPLAY_ENVIRONMENTS = {
    "equation": "", "equation*": "", "displaymath": "", "math": "", "multline": "gathered", "multline*": "gathered",
    "align": "aligned", "align*": "aligned", "flalign": "aligned", "flalign*": "aligned", "alignat": "aligned",
    "alignat*": "aligned", "eqnarray": "aligned", "eqnarray*": "aligned", "gather": "gathered",
    "gather*": "gathered", "dmath": "", "dmath*": "",
}
LISTS = ("enumerate", "itemize", "description")
CODE_ENVIRONMENTS = ("verbatim", "verbatim*", "Verbatim", "lstlisting", "minted", "comment")
TABLES = ("tabular", "tabular*", "tabularx", "longtable", "tabu")
FILE_MACROS = {"input": "file", "include": "file", "subfile": "file", "import": "file", "InputIfFileExists": "file",
               "lstinputlisting": "file", "verbatiminput": "file", "bibliography": "bibliography",
               "addbibresource": "bibliography", "includegraphics": "image", "includepdf": "file"}
_DROPPED = {  # commands whose arguments print nothing a grader reads
    "label", "ref", "eqref", "pageref", "vspace", "hspace", "setlength", "addtolength", "newpage", "clearpage",
    "maketitle", "tableofcontents", "noindent", "centering", "hfill", "vfill", "medskip", "bigskip", "smallskip",
    "newline", "linebreak", "pagebreak", "documentclass", "usepackage", "title", "author", "date", "thanks",
    "pagestyle", "thispagestyle", "geometry", "newtheorem", "theoremstyle", "cline", "hline", "toprule",
    "midrule", "bottomrule", "caption", "captionof", "newcommand", "renewcommand", "providecommand",
    "DeclareMathOperator", "DeclareRobustCommand", "newenvironment", "renewenvironment", "setcounter",
    "addtocounter", "stepcounter", "refstepcounter", "appendix", "index", "footnotemark", "bibliographystyle",
    "graphicspath", "small", "large", "Large", "LARGE", "huge", "Huge", "normalsize", "footnotesize", "tiny",
    "scriptsize", "bfseries", "itshape", "rmfamily", "sffamily", "ttfamily", "normalfont", "par",
}
_BOLD = {"textbf", "bf", "mathbf"}
_TEXT = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)


class _Lines:
    """Offsets → line numbers of one source string."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)


class LatexRenderer:
    """Walks pylatexenc's nodes once, writing the rendition through a :class:`DocumentBuilder`."""

    def __init__(self, source: str, text: str, expander: mc.Expander) -> None:
        self.source = source
        self.text = text
        self.lines = _Lines(text)
        self.expander = expander
        self.builder = DocumentBuilder(source, "latex")
        self.sections = Sections()
        self.lists: list[ListState] = []
        self.items: list[tuple[int, str | None, int, int]] = []  # open: (first rendition line, label, level, line)
        self.paragraph: list[list] = []  # [source line, text] per rendition line
        self.prefix: str | None = None  # an item's label, waiting for the item's first line
        self.stopped_at: dict[str, int] = {}  # a macro whose expansion a bound stopped → the line of that call

    # -- output -------------------------------------------------------------------------------------------------
    def where(self, offset: int) -> Location:
        return Location(self.source, self.lines.line(offset))

    def write(self, text: str, line: int) -> None:
        """Inline text from source line ``line``; ``\\n`` in it moves on to the next source line."""
        for k, piece in enumerate(text.split("\n")):
            at = line + k
            if k and piece.strip() == "" and self.paragraph and self.paragraph[-1][0] == at - 1 \
                    and self.paragraph[-1][1].strip() == "":
                continue
            if not self.paragraph or at > self.paragraph[-1][0]:
                self.paragraph.append([at, piece])
            else:
                self.paragraph[-1][1] += piece

    def flush(self) -> None:
        rows = [(line, " ".join(text.split())) for line, text in self.paragraph]
        rows = [(line, text) for line, text in rows if text]
        self.paragraph = []
        if not rows:
            return
        if self.prefix is not None:
            rows[0] = (rows[0][0], f"{self.prefix} {rows[0][1]}")
            self.prefix = None
        self.builder.add(BlockKind.PROSE, "\n".join(_escape_markdown_start(t) for _, t in rows),
                         [Location(self.source, line) for line, _ in rows])

    def block(self, kind: BlockKind, rows: list[tuple[int, str]]) -> None:
        """A block of its own (math, table, code), after the paragraph before it; an item's label goes first."""
        self.flush()
        if self.prefix is not None:
            self.builder.add(BlockKind.PROSE, self.prefix, Location(self.source, rows[0][0]))
            self.prefix = None
        self.builder.add(kind, "\n".join(text for _, text in rows), [Location(self.source, line) for line, _ in rows])

    # -- walking ------------------------------------------------------------------------------------------------
    def render(self, nodes: list[latexwalker.LatexNode], depth: int = 0) -> None:
        skip_until_group = False
        for node in nodes:
            if node is None:
                continue
            if skip_until_group:  # the name and parameter text of a \def, up to its body
                skip_until_group = not node.isNodeType(latexwalker.LatexGroupNode)
                continue
            if node.isNodeType(latexwalker.LatexMacroNode) and node.macroname in ("def", "gdef", "edef", "xdef"):
                skip_until_group = True
                continue
            self.node(node, depth)

    def node(self, node: latexwalker.LatexNode, depth: int) -> None:
        line = self.lines.line(node.pos) if node.parsing_state.s is self.text else self.current_line(node)
        if node.isNodeType(latexwalker.LatexCharsNode):
            self.chars(node.chars, line)
        elif node.isNodeType(latexwalker.LatexCommentNode):
            return
        elif node.isNodeType(latexwalker.LatexMathNode):
            self.math(node, line)
        elif node.isNodeType(latexwalker.LatexGroupNode):
            self.render(node.nodelist, depth)
        elif node.isNodeType(latexwalker.LatexEnvironmentNode):
            self.environment(node, line, depth)
        elif node.isNodeType(latexwalker.LatexMacroNode):
            self.macro(node, line, depth)
        elif node.isNodeType(latexwalker.LatexSpecialsNode):
            self.write({"~": " ", "&": " ", "``": "\u201c", "''": "\u201d", "--": "\u2013", "---": "\u2014"}.get(
                node.specials_chars, node.specials_chars), line)

    def current_line(self, node: latexwalker.LatexNode) -> int:
        """A node from a macro's expansion: it stands at the line of the call being expanded."""
        return self._expansion_line

    _expansion_line = 1

    def chars(self, chars: str, line: int) -> None:
        parts = re.split(r"(\n[ \t]*\n\s*)", chars)
        for index, part in enumerate(parts):
            if index % 2:  # a blank line: the paragraph ends
                self.write(part.split("\n", 1)[0], line)
                self.flush()
                line += part.count("\n")
            else:
                self.write(part, line)
                line += part.count("\n")

    def math(self, node: latexwalker.LatexMathNode, line: int) -> None:
        inner = "".join(mc.serialize(child, self.expander) for child in node.nodelist)
        if node.displaytype == "inline":
            self.write(f"${' '.join(mc.clean_math(inner).split())}$", line)
        else:
            self.display(inner, line, self.lines.line(node.pos + node.len - 1) if node.parsing_state.s is self.text
                         else line, "", len(node.delimiters[0]))

    def display(self, inner: str, first: int, last: int, wrapper: str, _delimiter: int = 0) -> None:
        """Display math as a ``$$`` block; rows keep their source lines."""
        pieces = mc.clean_math(inner).split("\n")
        rows = [(first + k, piece.strip()) for k, piece in enumerate(pieces) if piece.strip()]
        if not rows:
            return
        body = [(first, "$$")]
        if wrapper:
            body.append((first, f"\\begin{{{wrapper}}}"))
        body.extend(rows)
        if wrapper:
            body.append((last, f"\\end{{{wrapper}}}"))
        body.append((last, "$$"))
        self.block(BlockKind.MATH, body)

    def environment(self, node: latexwalker.LatexEnvironmentNode, line: int, depth: int) -> None:
        name = node.environmentname
        end_line = self.lines.line(node.pos + node.len - 1) if node.parsing_state.s is self.text else line
        if name in DISPLAY_ENVIRONMENTS:
            inner = "".join(mc.serialize(child, self.expander) for child in node.nodelist)
            self.display(inner, self._content_line(node, line), end_line, DISPLAY_ENVIRONMENTS[name])
        elif name in LISTS:
            self.list(node, line, end_line, depth)
        elif name in TABLES:
            self.table(node, line)
        elif name in CODE_ENVIRONMENTS:
            self.code(node, line)
        elif name in ("figure", "figure*", "wrapfigure", "thebibliography", "tikzpicture", "picture"):
            self.flush()
            self.render(node.nodelist, depth + 1)  # an included image inside still gets its note
            self.flush()
        else:  # document, center, tcolorbox, minipage, proof, solution, quote …: their content is the text
            self.render(node.nodelist, depth + 1)

    def _content_line(self, node: latexwalker.LatexNode, line: int) -> int:
        first = next((child for child in node.nodelist if child is not None), None)
        if first is None or node.parsing_state.s is not self.text:
            return line
        return self.lines.line(first.pos)

    def list(self, node: latexwalker.LatexEnvironmentNode, line: int, end_line: int, depth: int) -> None:
        self.flush()
        options = ""
        if node.nodeargd and node.nodeargd.argnlist:
            first = node.nodeargd.argnlist[0]
            options = first.latex_verbatim()[1:-1] if first is not None else ""
        enum_depth = sum(state.kind == "enumerate" for state in self.lists) + (node.environmentname == "enumerate")
        self.lists.append(ListState.open(node.environmentname, enum_depth, options))
        outer_items = len(self.items)
        self.render(node.nodelist, depth + 1)
        self.close_items(outer_items)
        self.lists.pop()

    def item(self, node: latexwalker.LatexMacroNode, line: int) -> None:
        state = self.lists[-1] if self.lists else None
        self.close_items(self._items_outside_current_list())
        optional = node.nodeargd.argnlist[0] if node.nodeargd and node.nodeargd.argnlist else None
        if optional is not None:
            label = " ".join(_TEXT.nodelist_to_text(optional.nodelist).split()) or None
        else:
            label = state.next_label() if state else None
        bullet = label if label is not None else ("-" if state is None or state.kind != "enumerate" else "")
        self.prefix = bullet or None
        level = len(self.lists)
        self.items.append((self.builder.line_count + (2 if self.builder.line_count else 1), label, level, line))

    def _items_outside_current_list(self) -> int:
        """How many open items belong to enclosing lists (the current list's open item is closed by a new one)."""
        level = len(self.lists)
        return sum(1 for item in self.items if item[2] < level)

    def close_items(self, keep: int) -> None:
        self.flush()
        if self.prefix is not None and self.items:  # an item with nothing in it still shows its label
            self.builder.add(BlockKind.PROSE, self.prefix, Location(self.source, self.items[-1][3]))
            self.prefix = None
        while len(self.items) > keep:
            first, label, level, _line = self.items.pop()
            if first <= self.builder.line_count:
                self.builder.mark(BlockKind.ITEM, first, self.builder.line_count, label=label, level=level)

    def table(self, node: latexwalker.LatexEnvironmentNode, line: int) -> None:
        rows: list[tuple[int, list[str]]] = []
        cells: list[str] = [""]
        row_line: int | None = None
        for child in node.nodelist:
            if child is None:
                continue
            if child.isNodeType(latexwalker.LatexSpecialsNode) and child.specials_chars == "&":
                cells.append("")
                continue
            if child.isNodeType(latexwalker.LatexMacroNode) and child.macroname in ("\\", "tabularnewline"):
                if any(cell.strip() for cell in cells):
                    rows.append((row_line or line, cells))
                cells, row_line = [""], None
                continue
            if child.isNodeType(latexwalker.LatexMacroNode) and child.macroname in _DROPPED:
                continue
            text = mc.serialize(child, self.expander)
            if text.strip() and row_line is None and child.parsing_state.s is self.text:
                raw = child.latex_verbatim()
                row_line = self.lines.line(child.pos + len(raw) - len(raw.lstrip()))
            cells[-1] += text
        if any(cell.strip() for cell in cells):
            rows.append((row_line or line, cells))
        if not rows:
            return
        width = max(len(cells) for _, cells in rows)
        out = []
        for index, (at, cells) in enumerate(rows):
            padded = [_table_cell(cell) for cell in cells] + [""] * (width - len(cells))
            out.append((at, "| " + " | ".join(padded) + " |"))
            if index == 0:
                out.append((at, "|" + "---|" * width))
        self.block(BlockKind.TABLE, out)

    def code(self, node: latexwalker.LatexEnvironmentNode, line: int) -> None:
        if node.environmentname == "comment":
            return
        body = node.latex_verbatim()
        inner = re.sub(r"^\\begin\s*\{[^}]*\}(\s*\[[^\]]*\])?(\s*\{[^}]*\})?", "", body)
        inner = re.sub(r"\\end\s*\{[^}]*\}$", "", inner)
        lines = inner.split("\n")
        first_line = line
        if lines and not lines[0].strip():
            lines, first_line = lines[1:], line + 1
        while lines and not lines[-1].strip():
            lines.pop()
        if not lines:
            return
        fence = "````" if any(piece.lstrip().startswith("```") for piece in lines) else "```"
        rows = [(first_line, fence), *((first_line + k, piece) for k, piece in enumerate(lines)),
                (first_line + len(lines) - 1, fence)]
        self.block(BlockKind.CODE, rows)

    def macro(self, node: latexwalker.LatexMacroNode, line: int, depth: int) -> None:
        name = node.macroname
        args = [arg for arg in (node.nodeargd.argnlist if node.nodeargd else []) if arg is not None]
        if name in self.expander.macros:
            self.user_macro(node, line, depth)
            return
        if name in SECTION_LEVELS:
            self.heading(node, name, line)
        elif name == "item":
            self.item(node, line)
        elif name in FILE_MACROS:
            self.file_reference(node, name, line)
        elif name in ("setcounter", "addtocounter", "stepcounter"):
            self.counter(node, name)
        elif name in _DROPPED:
            return
        elif name in ("\\", "newline"):
            self.write(" ", line)
        elif name in ("verb",):
            self.write("`" + (args[0].latex_verbatim() if args else "") + "`", line)
        elif name in ("url",):
            self.write(args[0].latex_verbatim()[1:-1] if args else "", line)
        elif name in ("href",) and len(args) == 2:
            self.render(args[1].nodelist if args[1].isNodeType(latexwalker.LatexGroupNode) else [args[1]], depth)
        elif name in ("footnote",):
            self.write(" (footnote: ", line)
            self.render(args[-1:], depth)
            self.write(")", line)
        elif args:
            bold = name in _BOLD
            self.write("**" if bold else "", line)
            for arg in args:
                if arg.isNodeType(latexwalker.LatexGroupNode) and arg.delimiters[0] == "[":
                    continue  # an optional argument sets options, it prints nothing
                self.render(arg.nodelist if arg.isNodeType(latexwalker.LatexGroupNode) else [arg], depth)
            self.write("**" if bold else "", line)
        else:
            self.write(_TEXT.nodelist_to_text([node]), line)

    def user_macro(self, node: latexwalker.LatexMacroNode, line: int, depth: int) -> None:
        """A call of the user's macro: its expansion rendered at the call's line (as written when a bound stops it).

        Only the outermost call catches the stop, so a runaway macro costs its own call, rendered as written.
        """
        saved, self._expansion_line = self._expansion_line, line
        if depth and self._expanding:
            try:
                self.render(mc.parse(self.expander.expand(node, depth), self.expander), depth + 1)
            finally:
                self._expansion_line = saved
            return
        paragraph = [list(row) for row in self.paragraph]
        self._expanding = True
        try:
            self.render(mc.parse(self.expander.expand(node, depth), self.expander), depth + 1)
        except mc.ExpansionStopped:
            self.paragraph = paragraph
            self.write(node.latex_verbatim(), line)
            self.stopped_at.setdefault(node.macroname, line)
        finally:
            self._expansion_line = saved
            self._expanding = False

    _expanding = False

    def heading(self, node: latexwalker.LatexMacroNode, name: str, line: int) -> None:
        self.flush()
        args = node.nodeargd.argnlist if node.nodeargd else []
        starred = bool(args) and args[0] is not None and args[0].latex_verbatim().strip() == "*"
        title_node = args[-1] if args else None
        saved = self.paragraph
        self.paragraph = []
        if title_node is not None:
            self.render(title_node.nodelist if title_node.isNodeType(latexwalker.LatexGroupNode) else [title_node])
        title = " ".join(" ".join(text for _, text in self.paragraph).split())
        self.paragraph = saved
        label = self.sections.step(name, starred)
        level = SECTION_LEVELS[name]
        text = " ".join(part for part in ("#" * level, label, title) if part)
        self.builder.add(BlockKind.HEADING, text, Location(self.source, line), label=label, level=level)

    def file_reference(self, node: latexwalker.LatexMacroNode, name: str, line: int) -> None:
        args = [arg for arg in (node.nodeargd.argnlist if node.nodeargd else []) if arg is not None]
        target = args[-1].latex_verbatim().strip("{} ") if args else ""
        what = FILE_MACROS[name]
        if what == "image":
            self.builder.note(f"an included image ({target}) is not in the file and was not read",
                              Location(self.source, line))
            self.write(f" [image {target}: not read] ", line)
        elif what == "bibliography":
            self.builder.note(f"\\{name}{{{target}}}: the bibliography file was not read", Location(self.source, line))
        else:
            self.builder.note(f"\\{name}{{{target}}} was not read: chainrule never opens another file named in a "
                              "submission", Location(self.source, line), refused=True)

    def counter(self, node: latexwalker.LatexMacroNode, name: str) -> None:
        args = [arg for arg in (node.nodeargd.argnlist if node.nodeargd else []) if arg is not None]
        counter = args[0].latex_verbatim().strip("{} ") if args else ""
        try:
            value = 1 if name == "stepcounter" else int(args[1].latex_verbatim().strip("{} "))
        except (IndexError, ValueError):
            return
        add = name != "setcounter"
        if self.sections.set(counter, value, add):
            return
        for state in reversed(self.lists):
            if state.counter_name == counter:
                state.counter = state.counter + value if add else value
                return


def _table_cell(cell: str) -> str:
    """A tabular cell as a Markdown table cell: one line, pipes that are not column rules made harmless."""
    cell = " ".join(mc.clean_math(cell).split())
    cell = re.sub(r"\\(?:textbf|textit|emph|text|textrm)\s*\{([^{}$]*)\}", r"\1", cell)
    return cell.replace("|", "\\vert ")


def _escape_markdown_start(text: str) -> str:
    """A prose line must not become Markdown code by its indentation, nor a heading by a leading ``#``."""
    text = text.lstrip()
    return "\\" + text if text.startswith("#") else text


def read_latex(text: str, source: str) -> Document:
    """``text`` (a LaTeX source, normalised) as a document located line by line."""
    try:
        first = mc.parse(text, None)
        definitions, problems = mc.find_macros(first)
        expander = mc.Expander(definitions)
        nodes = mc.parse(text, expander)
        renderer = LatexRenderer(source, text, expander)
        body = _document_body(nodes)
        renderer.render(body)
        renderer.close_items(0)
        renderer.flush()
    except RecursionError:
        raise InputError("the LaTeX nests too deeply to read (braces or environments inside one another)",
                         source) from None
    for position, note in problems:
        renderer.builder.note(note, Location(source, renderer.lines.line(position)), refused=True)
    for name, why in expander.stopped.items():
        line = renderer.stopped_at.get(name) or _first_call(text, name)
        renderer.builder.note(f"\\{name} was left as written: it {why}" if why.startswith("expands") else
                              f"\\{name} was left as written: {why}", Location(source, line), refused=True)
    return renderer.builder.build()


def _document_body(nodes: list[latexwalker.LatexNode]) -> list[latexwalker.LatexNode]:
    """The ``document`` environment's content; the whole file when it has none (a fragment)."""
    for node in nodes:
        if node is not None and node.isNodeType(latexwalker.LatexEnvironmentNode) \
                and node.environmentname == "document":
            return node.nodelist
    return nodes


def _first_call(text: str, name: str) -> int:
    """The line of the first use of ``\\name`` outside a definition (for a note about it)."""
    lines = text.split("\n")
    pattern = re.compile(re.escape("\\" + name) + r"(?![A-Za-z@])")
    definition = re.compile(r"\\(?:[gex]?def|(?:re)?newcommand|providecommand|DeclareMathOperator)\b")
    for number, line in enumerate(lines, start=1):
        if pattern.search(line) and not definition.search(line):
            return number
    return next((n for n, line in enumerate(lines, start=1) if pattern.search(line)), 1)
