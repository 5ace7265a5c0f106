"""A backpropagation trace as a worked pass in Markdown with LaTeX math.

Every intermediate is printed as ``symbol = formula = formula with the numbers substituted = result``,
in the order it is computed, the way a model solution to AMA564 A1 Q1(b) or NYU HW1 1.2 would show it.
The renderer knows no backpropagation: the trace's steps carry the formulas and name their operands, and
the renderer only draws numbers. Like SymPy's printers it dispatches on the class of what it draws and
rejects unknown settings.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import sympy

from chainrule.engine.exact import approximate_latex, format_exact, printable, short_number, too_long
from chainrule.engine.mlp import Grid, Ref, Step, Trace


class BackpropMarkdown:
    default_settings: ClassVar[dict[str, Any]] = {
        "float_digits": 6,  # significant digits of float-mode numbers and of ≈ values
        "max_exact_chars": 90,  # longer exact LaTeX prints as its approximation (named parts are listed)
        "title": None,
    }

    def __init__(self, **settings: Any) -> None:
        unknown = set(settings) - set(self.default_settings)
        if unknown:
            raise TypeError(f"unknown settings for BackpropMarkdown: {', '.join(sorted(unknown))}")
        self.settings = {**self.default_settings, **settings}
        self.trace: Trace | None = None
        self._names: dict[sympy.Basic, sympy.Symbol] = {}

    # ------------------------------------------------------------------------------------------ dispatch

    def render(self, item: Any, **context: Any) -> str:
        for cls in type(item).__mro__:
            method = getattr(self, f"_render_{cls.__name__}", None)
            if method is not None:
                return method(item, **context)
        raise TypeError(f"BackpropMarkdown cannot render {type(item).__name__}")

    # ------------------------------------------------------------------------------------------ numbers

    def _render_Rational(self, value: sympy.Rational, parenthesize: bool = False) -> str:
        if too_long(value):
            text = approximate_latex(value)
            return rf"\left({text}\right)" if parenthesize else text
        text = format_exact(value)
        if "/" in text:
            sign = "-" if value < 0 else ""
            text = rf"{sign}\frac{{{abs(value.p)}}}{{{value.q}}}"
        return rf"\left({text}\right)" if parenthesize and value < 0 else text

    def _render_Expr(self, value: sympy.Expr, parenthesize: bool = False) -> str:
        text = sympy.latex(printable(value))
        if len(text) > self.settings["max_exact_chars"]:
            assert self.trace is not None
            text = rf"\approx {self._big_float(self.trace.approximate_value(value))}"
        needs = parenthesize and (isinstance(value, sympy.Add) or text.startswith("-") or text.startswith(r"\approx"))
        return rf"\left({text}\right)" if needs else text

    def _render_float(self, value: float, parenthesize: bool = False) -> str:
        text = self._float(value)
        return rf"\left({text}\right)" if parenthesize and value < 0 else text

    def _big_float(self, value: sympy.Float) -> str:
        """A SymPy float of any size in LaTeX (float64 would make 10^{400} ``inf``)."""
        text = short_number(value, self.settings["float_digits"])
        mantissa, _, exponent = text.partition("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}" if exponent else text

    def _float(self, value: float) -> str:
        text = f"{value:.{self.settings['float_digits']}g}"
        if "e" in text:
            mantissa, exponent = text.split("e")
            text = rf"{mantissa} \times 10^{{{int(exponent)}}}"
        return text

    def _entry(self, value: Any, parenthesize: bool = False) -> str:
        if isinstance(value, np.generic | float | int) and not isinstance(value, sympy.Basic):
            return self.render(float(value), parenthesize=parenthesize)
        return self.render(value, parenthesize=parenthesize)

    # ------------------------------------------------------------------------------------------ matrices

    def matrix(self, value: Any, transpose: bool = False) -> str:
        rows = value.tolist()
        if transpose:
            rows = [list(column) for column in zip(*rows, strict=True)]
        if len(rows) == 1 and len(rows[0]) == 1:
            return self._entry(rows[0][0], parenthesize=False)
        body = r" \\ ".join(" & ".join(self._entry(e) for e in row) for row in rows)
        return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"

    def _render_Ref(self, ref: Ref, context: str = "", **_: Any) -> str:
        """An operand; a negative number is bracketed unless the formula already opens a bracket before it."""
        assert self.trace is not None
        value = self.trace[ref.key].value
        if ref.entry is not None:
            entry = value[ref.entry[0], ref.entry[1]]
            entry = self._names.get(entry, entry) if isinstance(entry, sympy.Basic) else entry
            return self._entry(entry, parenthesize=not _opens_bracket(context))
        if value.shape == (1, 1):
            return self._entry(value[0, 0], parenthesize=not _opens_bracket(context))
        return self.matrix(value, transpose=ref.transpose)

    def _render_Grid(self, grid: Grid, **_: Any) -> str:
        cells = [[self._cell(cell) for cell in row] for row in grid.rows]
        if len(cells) == 1 and len(cells[0]) == 1:
            return cells[0][0]
        body = r" \\ ".join(" & ".join(row) for row in cells)
        return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"

    def _render_str(self, text: str, **_: Any) -> str:
        return text

    def _cell(self, parts: tuple[Any, ...]) -> str:
        drawn: list[str] = []
        previous: Any = None
        for part in parts:
            if isinstance(part, Ref):
                if isinstance(previous, Ref):
                    drawn.append(r"\,")  # a product of two operands, written side by side
                drawn.append(self.render(part, context=drawn[-1] if drawn else ""))
            else:
                drawn.append(self.render(part))
            previous = part
        return "".join(drawn)

    # ------------------------------------------------------------------------------------------ the pass

    def _render_Step(self, step: Step, **_: Any) -> str:
        pieces = [step.symbol]
        if step.formula:
            pieces.append(step.formula)
        substituted = self._cell(step.substitution) if step.substitution else ""
        result = self.matrix(step.value)
        if substituted and substituted != result and substituted != step.formula:
            pieces.append(substituted)
        equation = " = ".join(pieces) + (" " if result.startswith(r"\approx") else " = ") + result
        lines = [f"*{_sentence(step.rule)}*", "", "$$" + equation + "$$"]
        if step.note:
            lines += ["", f"> {step.note}"]
        return "\n".join(lines)

    def _render_Trace(self, trace: Trace, **_: Any) -> str:
        self.trace = trace
        # an operand that was given a name is substituted by its name (its definition is listed below)
        self._names = {definition.expression: definition.symbol for definition in trace.definitions}
        how = "exactly" if trace.mode == "exact" else "in floats"
        title = self.settings["title"] or f"Backpropagation, worked {how}"
        widths = [str(trace.layers[0].inputs)] + [f"{layer.outputs} ({layer.title})" for layer in trace.layers]
        lines = [f"# {title}", ""]
        lines.append(f"**Network:** {' → '.join(widths)}. **Loss:** {trace.loss_title}"
                     + "".join(f", {k} = {format_exact(v)}" for k, v in trace.loss_params.items())
                     + (f", {trace.reduction} over {trace.batch_size} samples" if trace.batched else "") + ".")
        lines.append("")
        lines.append(
            r"**Layout:** vectors are columns"
            + (" and the samples of the batch are the columns of a matrix" if trace.batched else "")
            + r"; each gradient has the shape of its parameter, so "
            r"$\frac{\partial L}{\partial W^{(l)}} = \delta^{(l)} {h^{(l-1)}}^\top$ with "
            r"$\delta^{(l)} = \frac{\partial L}{\partial z^{(l)}}$, $h^{(0)} = x$ and $\hat y = h^{(L)}$."
        )
        if trace.mode == "exact":
            lines += ["", "Decimals are read as exact fractions, so every value below is exact."]
        lines += ["", "## Given", ""]
        given = [f"{step.symbol} = {self.matrix(step.value)}" for step in trace.stage("given")]
        lines.append("$$" + r", \quad ".join(given[:2]) + "$$")
        for index in range(2, len(given), 2):
            lines.append("$$" + r", \quad ".join(given[index : index + 2]) + "$$")
        lines += ["", "## Forward pass", ""]
        for step in trace.stage("forward"):
            lines += [self.render(step), ""]
        lines += ["## Backward pass", ""]
        for step in trace.stage("backward"):
            lines += [self.render(step), ""]
        if trace.definitions:
            lines += ["## Named intermediates", "",
                      "Irrational intermediates are named so that every expression stays the size of one layer; "
                      "each is exact, defined in terms of the ones before it:", ""]
            for definition in trace.definitions:
                expression = sympy.latex(printable(definition.expression))
                if len(expression) > 4 * self.settings["max_exact_chars"]:
                    expression = r"\cdots"
                lines.append(f"- ${sympy.latex(definition.symbol)} = {expression} "
                             rf"\approx {self._big_float(definition.approximation)}$ ({definition.meaning})")
            lines.append("")
        lines += ["## Results", "", "| quantity | value |", "|---|---|"]
        output_symbol = r"f(x;\theta) = \hat y"
        lines.append(f"| ${output_symbol}$ | ${self.matrix(trace.output)}$ |")
        lines.append(f"| $L$ | ${self.matrix(trace.loss_value)}$ |")
        for layer in trace.layers:
            for kind in ("W", "b"):
                step = trace[f"d{kind}{layer.index}"]
                lines.append(f"| ${step.symbol}$ | ${self.matrix(step.value)}$ |")
        return "\n".join(lines).rstrip() + "\n"


def _opens_bracket(text: str) -> bool:
    return text.rstrip().endswith(("(", "[", "{"))


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def render_markdown(trace: Trace, **settings: Any) -> str:
    """The worked pass as Markdown with LaTeX math."""
    return BackpropMarkdown(**settings).render(trace)
