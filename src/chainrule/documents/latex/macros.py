"""The user's own macros (``\\newcommand``, ``\\renewcommand``, ``\\def``, ``\\DeclareMathOperator``), expanded safely.

Definitions are found in a first parse of the whole file (preamble included) by pylatexenc, which knows the
argument shapes of ``\\newcommand`` and friends; ``\\def\\name#1#2{body}`` is read from the node sequence it
leaves. Each macro is then registered with pylatexenc by its number of arguments, so the second parse hands
every call over with its arguments already delimited, and expansion is substitution: the body with ``#k``
replaced by the k-th argument's source, parsed again (the result may call other macros).

Expansion is bounded three ways, since a ``\\def\\a{\\a\\a}`` or ``\\def\\a{\\a}`` expands forever: depth (a macro
inside a macro's expansion …), a count per document, and the size of what one call produces. Past a bound the
call is left as written and a located note says so, once per macro; reading goes on, and never hangs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pylatexenc import latexwalker, macrospec

MAX_DEPTH = 20
MAX_EXPANSIONS = 20_000
MAX_EXPANSION_CHARS = 20_000  # what one call may produce
MAX_TOTAL_CHARS = 2_000_000  # what all calls together may produce
MAX_ARGUMENTS = 9

_PARAMETER = re.compile(r"#(#|[1-9])")
# Commands that never print: dropped from math (the notation reader has no use for them).
_MATH_NOISE = re.compile(r"\\(?:label|tag\*?|eqref|ref)\s*\{[^{}]*\}|\\(?:nonumber|notag|displaystyle|textstyle)\b")


@dataclass(frozen=True)
class Macro:
    """One user macro: its body, the number of arguments and the default of an optional first argument."""

    name: str
    body: str
    arguments: int = 0
    default: str | None = None  # \newcommand{\x}[2][d]{…}: the first argument is optional with default d


class ExpansionStopped(Exception):
    """A bound was reached inside an expansion: the outermost call is left as written."""


@dataclass
class Expander:
    """Expands calls of the user's macros, within the bounds; collects the notes a person should read."""

    macros: dict[str, Macro]
    expansions: int = 0
    produced: int = 0
    stopped: dict[str, str] = field(default_factory=dict)  # macro name → why it was left as written

    def expand(self, node: latexwalker.LatexMacroNode, depth: int) -> str:
        """The source the call ``node`` stands for; :class:`ExpansionStopped` when a bound stops it (the
        outermost call is then left as written, see :func:`expand_outermost`)."""
        macro = self.macros[node.macroname]
        reason = None
        if depth >= MAX_DEPTH:
            reason = f"expands more than {MAX_DEPTH} levels deep"
        elif self.expansions >= MAX_EXPANSIONS:
            reason = f"more than {MAX_EXPANSIONS} macro expansions in the document"
        elif self.produced >= MAX_TOTAL_CHARS:
            reason = f"macro expansions would exceed {MAX_TOTAL_CHARS:,} characters"
        if reason is not None:
            self.stopped.setdefault(macro.name, reason)
            raise ExpansionStopped(reason)
        arguments = [_argument_source(arg) for arg in (node.nodeargd.argnlist if node.nodeargd else [])]
        if macro.default is not None and arguments and arguments[0] is None:
            arguments[0] = macro.default
        arguments = [arg or "" for arg in arguments]
        body = _PARAMETER.sub(lambda m: "#" if m.group(1) == "#" else _nth(arguments, int(m.group(1))), macro.body)
        if len(body) > MAX_EXPANSION_CHARS:
            self.stopped.setdefault(macro.name, f"one call produces more than {MAX_EXPANSION_CHARS:,} characters")
            raise ExpansionStopped(macro.name)
        self.expansions += 1
        self.produced += len(body)
        # The call may span lines; its expansion keeps them, so every later line keeps its number.
        call = node.latex_verbatim()
        # A space after the call ends a control word (``\\sech x``): it stays, or the expansion runs into the text.
        return body.replace("\n", " ") + ("\n" * call.count("\n") or (" " if call[-1:].isspace() else ""))


def _nth(arguments: list[str], k: int) -> str:
    return arguments[k - 1] if k <= len(arguments) else ""


def _argument_source(node: latexwalker.LatexNode | None) -> str | None:
    """An argument's source as TeX substitutes it: a braced group without its braces."""
    if node is None:
        return None
    text = node.latex_verbatim()
    if node.isNodeType(latexwalker.LatexGroupNode) and len(text) >= 2:
        return text[1:-1]
    return text


def find_macros(nodes: list[latexwalker.LatexNode]) -> tuple[dict[str, Macro], list[tuple[int, str]]]:
    """Every macro the file defines (a later definition wins, as in TeX), and (position, note) for those
    that cannot be taken: a ``\\def`` with delimited parameters, more than nine arguments."""
    macros: dict[str, Macro] = {}
    notes: list[tuple[int, str]] = []
    for _index, node in enumerate(_walk(nodes)):
        if not node.isNodeType(latexwalker.LatexMacroNode):
            continue
        name = node.macroname
        if name in ("newcommand", "renewcommand", "providecommand", "DeclareRobustCommand") and node.nodeargd:
            macro = _newcommand(node)
            if macro is not None and not (name == "providecommand" and macro.name in macros):
                macros[macro.name] = macro
        elif name == "DeclareMathOperator" and node.nodeargd:
            star, target, text = ([*node.nodeargd.argnlist, None, None, None])[:3]
            macro_name = _macro_name(target)
            if macro_name and text is not None:
                operator = "\\operatorname*" if star is not None else "\\operatorname"
                macros[macro_name] = Macro(macro_name, f"{operator}{{{_argument_source(text)}}}")
    for position, result in _defs(nodes):
        if isinstance(result, Macro):
            macros[result.name] = result
        else:
            notes.append((position, result))
    return macros, notes


def _newcommand(node: latexwalker.LatexMacroNode) -> Macro | None:
    args = node.nodeargd.argnlist  # *, {\name}, [count], [default], {body}
    if len(args) < 5 or args[4] is None:
        return None
    name = _macro_name(args[1])
    if not name:
        return None
    count = 0
    if args[2] is not None:
        try:
            count = int(_argument_source(args[2]) or "0")
        except ValueError:
            return None
    default = _argument_source(args[3]) if args[3] is not None else None
    if not 0 <= count <= MAX_ARGUMENTS:
        return None
    return Macro(name, _argument_source(args[4]) or "", count, default)


def _macro_name(node: latexwalker.LatexNode | None) -> str | None:
    """``\\name`` from ``{\\name}`` or a bare ``\\name``."""
    if node is None:
        return None
    match = re.fullmatch(r"\s*\{?\s*\\([A-Za-z@]+|.)\s*\}?\s*", node.latex_verbatim())
    return match.group(1) if match else None


def _defs(nodes: list[latexwalker.LatexNode]) -> list[tuple[int, Macro | str]]:
    """``\\def\\name#1#2{body}`` (also ``\\gdef``, ``\\edef``, ``\\xdef``): pylatexenc leaves it as a sequence of
    nodes (the ``\\def``, the name, the parameter text, the body group), read here in order."""
    found: list[tuple[int, Macro | str]] = []
    for siblings in _sibling_lists(nodes):
        for index, node in enumerate(siblings):
            if not (node.isNodeType(latexwalker.LatexMacroNode) and node.macroname in ("def", "gdef", "edef", "xdef")):
                continue
            rest = siblings[index + 1:index + 4]
            if not rest or not rest[0].isNodeType(latexwalker.LatexMacroNode):
                continue
            name = rest[0].macroname
            parameters, body = "", None
            for follower in rest[1:]:
                if follower.isNodeType(latexwalker.LatexGroupNode):
                    body = follower
                    break
                parameters += follower.latex_verbatim()
            if body is None:
                continue
            parameters = rest[0].macro_post_space + parameters if hasattr(rest[0], "macro_post_space") else parameters
            if not re.fullmatch(r"\s*(#[1-9]\s*)*", parameters):
                found.append((node.pos, f"\\{name} has delimited parameters ({parameters.strip()}); not expanded"))
                continue
            count = parameters.count("#")
            found.append((node.pos, Macro(name, _argument_source(body) or "", count)))
    return found


def _walk(nodes: list[latexwalker.LatexNode]):  # type: ignore[no-untyped-def]
    for node in nodes:
        if node is None:
            continue
        yield node
        yield from _walk(_children(node))


def _sibling_lists(nodes: list[latexwalker.LatexNode]):  # type: ignore[no-untyped-def]
    yield nodes
    for node in nodes:
        if node is None:
            continue
        for child_list in _child_lists(node):
            yield from _sibling_lists(child_list)


def _child_lists(node: latexwalker.LatexNode) -> list[list[latexwalker.LatexNode]]:
    lists = []
    if getattr(node, "nodeargd", None) is not None and node.nodeargd.argnlist:
        lists.append([arg for arg in node.nodeargd.argnlist if arg is not None])
    if getattr(node, "nodelist", None):
        lists.append(list(node.nodelist))
    return lists


def _children(node: latexwalker.LatexNode) -> list[latexwalker.LatexNode]:
    return [child for child_list in _child_lists(node) for child in child_list]


def macro_specs(macros: dict[str, Macro]) -> list[macrospec.MacroSpec]:
    """pylatexenc argument shapes for the user's macros, so a call's arguments are parsed with it."""
    specs = []
    for macro in macros.values():
        shape = ("[" + "{" * (macro.arguments - 1)) if macro.default is not None and macro.arguments else \
            "{" * macro.arguments
        specs.append(macrospec.MacroSpec(macro.name, shape))
    return specs


def serialize(node: latexwalker.LatexNode, expander: Expander | None, depth: int = 0) -> str:
    """The source of ``node`` with the user's macros expanded inside it (comments dropped, lines kept)."""
    if node is None:
        return ""
    if node.isNodeType(latexwalker.LatexCommentNode):
        return node.comment_post_space if "\n" in node.comment_post_space else ""
    if node.isNodeType(latexwalker.LatexMacroNode) and expander and node.macroname in expander.macros:
        if depth:
            return serialize_source(expander.expand(node, depth), expander, depth + 1)
        try:
            return serialize_source(expander.expand(node, depth), expander, depth + 1)
        except ExpansionStopped:
            return node.latex_verbatim()
    children = sorted(_children(node), key=lambda child: child.pos)
    if not children:
        return node.latex_verbatim()
    source = node.parsing_state.s
    out, cursor = [], node.pos
    for child in children:
        if child.pos < cursor:
            continue
        out.append(source[cursor:child.pos])
        out.append(serialize(child, expander, depth))
        cursor = child.pos + child.len
    out.append(source[cursor:node.pos + node.len])
    return "".join(out)


def serialize_source(text: str, expander: Expander | None, depth: int) -> str:
    """``text`` (an expansion) parsed and serialized in turn, so the macros it calls are expanded too."""
    nodes = parse(text, expander)
    return "".join(serialize(node, expander, depth) for node in nodes)


def parse(text: str, expander: Expander | None) -> list[latexwalker.LatexNode]:
    """``text`` parsed leniently with chainrule's context (the user's macros known by their arguments)."""
    walker = latexwalker.LatexWalker(text, latex_context=context(expander), tolerant_parsing=True)
    nodes, _, _ = walker.get_latex_nodes()
    return nodes


_CONTEXTS: dict[tuple[tuple[str, int, bool], ...], macrospec.LatexContextDb] = {}


def context(expander: Expander | None) -> macrospec.LatexContextDb:
    """pylatexenc's default LaTeX knowledge, plus sectioning and counters it lacks, plus the user's macros."""
    macros = expander.macros if expander else {}
    key = tuple(sorted((m.name, m.arguments, m.default is not None) for m in macros.values()))
    if key not in _CONTEXTS:
        db = latexwalker.get_default_latex_context_db()
        db.add_context_category("chainrule-user", macros=macro_specs(macros), prepend=True)
        db.add_context_category("chainrule", prepend=True, macros=[
            macrospec.MacroSpec("paragraph", "*[{"), macrospec.MacroSpec("subparagraph", "*[{"),
            macrospec.MacroSpec("addtocounter", "{{"), macrospec.MacroSpec("stepcounter", "{"),
            macrospec.MacroSpec("DeclareMathOperator", "*{{"), macrospec.MacroSpec("include", "{"),
            macrospec.MacroSpec("subfile", "{"), macrospec.MacroSpec("import", "{{"),
            macrospec.MacroSpec("lstinputlisting", "[{"), macrospec.MacroSpec("bibliography", "{"),
            macrospec.MacroSpec("addbibresource", "[{"), macrospec.MacroSpec("href", "{{"),
            macrospec.MacroSpec("url", "{"), macrospec.MacroSpec("vspace", "*{"), macrospec.MacroSpec("hspace", "*{"),
            macrospec.MacroSpec("label", "{"), macrospec.MacroSpec("caption", "[{"),
            macrospec.MacroSpec("cline", "{"), macrospec.MacroSpec("setlength", "{{"),
        ])
        if len(_CONTEXTS) > 32:
            _CONTEXTS.clear()
        _CONTEXTS[key] = db
    return _CONTEXTS[key]


def clean_math(latex: str) -> str:
    """Display or inline math as the notation reader wants it: labels, tags and style switches removed."""
    return _MATH_NOISE.sub("", latex)
