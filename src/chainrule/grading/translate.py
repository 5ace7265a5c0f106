"""Reader nodes → SymPy expressions with shapes, so a checker can evaluate what a student wrote.

Translation is cautious by design. A name the document never gave a meaning stays a symbol; a function the
document did not define stays an unknown SymPy function (so nothing about it can be "wrong"); anything this
module cannot read becomes a :class:`~chainrule.grading.checkers.terms.Term` with a reason, never an exception.
Number literals become placeholders so the numeric checker can tell how many digits each one shows.

Known activations (σ, tanh, ReLU, Leaky ReLU, softplus, ELU, GELU, ``(·)^+``) come from the engine's activation
registry, so their definitions and derivatives are the engine's. Shapes follow the document's declarations
(``x ∈ ℝⁿ``, ``W ∈ ℝ^{K×m}``) and, for derivative objects such as ``∂ℓ/∂z₃``, its layout convention.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import sympy

from chainrule.engine.activations import ElementwiseActivation, get_activation
from chainrule.errors import ChainruleError
from chainrule.grading.checkers.numbers import WrittenNumber
from chainrule.grading.checkers.printing import to_text
from chainrule.grading.checkers.terms import Environment, Term, soften
from chainrule.grading.meaning import (
    COMPOSE,
    FunctionMeaning,
    declared_shape,
    derivative_key,
    function_key,
    interpret,
    is_loss_name,
    reads_as_exponent_notation,
    resolve_function,
    symbol_key,
)
from chainrule.notation import nodes as n
from chainrule.shapes import SCALAR, UNKNOWN_SHAPE, Shape, ShapeMismatch, elementwise, matmul

__all__ = [
    "Translator", "Untranslatable", "activation_form", "declared_shape", "derivative_key", "function_key",
    "symbol_key", "translate", "written",
]  # the name helpers live in :mod:`chainrule.grading.meaning`; re-exported for the checkers that use them

MAX_DEPTH = 60
MAX_MATRIX_CELLS = 400

# The vocabulary's elementary functions (:data:`~chainrule.grading.meaning.ELEMENTARY`) in SymPy.
SYMPY_ELEMENTARY: dict[str, Callable[..., sympy.Expr]] = {
    "exp": sympy.exp, "log": sympy.log, "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan,
    "sinh": sympy.sinh, "cosh": sympy.cosh, "sqrt": sympy.sqrt, "sech": sympy.sech, "abs": sympy.Abs,
    "sign": sympy.sign,
}
RELATIONS = {"<": sympy.StrictLessThan, ">": sympy.StrictGreaterThan, "≤": sympy.LessThan, "≥": sympy.GreaterThan,
             "<=": sympy.LessThan, ">=": sympy.GreaterThan, "\\le": sympy.LessThan, "\\ge": sympy.GreaterThan,
             "\\leq": sympy.LessThan, "\\geq": sympy.GreaterThan}


class Untranslatable(ChainruleError):
    """Raised inside the translator and turned into a Term with a reason at its boundary."""


def written(node: n.Node) -> str:
    """The member as a person would read it back, in the student's own notation."""
    return to_text(node)


@dataclass
class _Value:
    """Intermediate result: SymPy value (scalar or explicit matrix) or None, and the shape."""

    expr: sympy.Basic | None
    shape: Shape = SCALAR
    certain: bool = True
    reason: str | None = None
    mismatch: str | None = None


@dataclass
class Translator:
    """Translates nodes of one document under its :class:`Environment`.

    ``frozen`` names are never replaced by their bound numbers (the variable of a derivative or a limit in the
    same chain: ``d/dx tanh x`` must stay a function of x even if x = 2 was written earlier).
    """

    env: Environment
    frozen: frozenset[str] = frozenset()
    literals: list[tuple[sympy.Dummy, WrittenNumber]] = field(default_factory=list)
    substitute: bool = True

    def term(self, node: n.Node) -> Term:
        self.literals = []
        text = written(node)
        node = interpret(node)  # what the forms mean (idempotent: a document's math arrives interpreted)
        try:
            value = self._node(node, 0)
        except (Untranslatable, ShapeMismatch) as error:
            return Term(text=text, line=node.line or None, column=node.column or None,
                        reason=str(error), shape=UNKNOWN_SHAPE)
        except (ChainruleError, ArithmeticError, TypeError, ValueError, AttributeError, RecursionError) as error:
            return Term(text=text, line=node.line or None, column=node.column or None,
                        reason=f"could not translate ({type(error).__name__}: {error})", shape=UNKNOWN_SHAPE)
        return Term(text=text, line=node.line or None, column=node.column or None, template=value.expr,
                    literals=tuple(self.literals), shape=value.shape, shape_certain=value.certain,
                    reason=value.reason, mismatch=value.mismatch)

    # --- dispatch -------------------------------------------------------------------------------------

    def _node(self, node: n.Node, depth: int) -> _Value:
        if depth > MAX_DEPTH:
            raise Untranslatable("expression nested too deeply")
        method = getattr(self, f"_t_{type(node).__name__}", None)
        if method is None:
            raise Untranslatable(f"{type(node).__name__.lower()} is not translated")
        return method(node, depth + 1)

    def _scalar(self, node: n.Node, depth: int) -> sympy.Expr:
        value = self._node(node, depth)
        if value.expr is None:
            raise Untranslatable(value.reason or "not a value")
        if isinstance(value.expr, sympy.MatrixBase):
            if value.expr.shape == (1, 1):
                return value.expr[0, 0]
            raise Untranslatable("a matrix where a number is needed")
        if value.certain and value.shape.is_known and not value.shape.is_scalar:
            raise Untranslatable("a declared vector or matrix where a number is needed")
        return value.expr

    # --- atoms ----------------------------------------------------------------------------------------

    def _t_Number(self, node: n.Number, depth: int) -> _Value:
        number = WrittenNumber.parse(node.text)
        dummy = sympy.Dummy(f"n{len(self.literals)}")
        self.literals.append((dummy, number))
        return _Value(dummy)

    def _t_Symbol(self, node: n.Symbol, depth: int) -> _Value:
        key = symbol_key(node)
        if node.name in ("e",) and not node.sub and node.layer is None and node.accent is None:
            return _Value(sympy.E)
        if node.name == "pi" and not node.sub:
            return _Value(sympy.pi)
        binding = self.env.bindings.get(key)
        if binding is not None and self.substitute and key not in self.frozen and binding.term.template is not None:
            self.literals.extend(binding.term.literals)
            return _Value(binding.term.template, binding.term.shape, binding.term.shape_certain)
        declared = self.env.shapes.get(key)
        if declared is not None and not declared.is_scalar:
            return _Value(None, declared, True, reason=f"{key} is a declared {declared} quantity: only shapes checked")
        if declared is not None:
            return _Value(self.env.symbol(key), SCALAR, True)
        return _Value(self.env.symbol(key), UNKNOWN_SHAPE, False)

    def _t_Infinity(self, node: n.Infinity, depth: int) -> _Value:
        return _Value(sympy.oo)

    def _t_Boxed(self, node: n.Boxed, depth: int) -> _Value:
        return self._node(node.body, depth)

    def _t_Tuple(self, node: n.Tuple, depth: int) -> _Value:
        if len(node.items) == 1:
            return self._node(node.items[0], depth)
        raise Untranslatable("a list of values")

    # --- arithmetic -----------------------------------------------------------------------------------

    def _t_Neg(self, node: n.Neg, depth: int) -> _Value:
        value = self._node(node.operand, depth)
        return replace(value, expr=None if value.expr is None else -value.expr)

    def _t_Add(self, node: n.Add, depth: int) -> _Value:
        values = [self._node(t, depth) for t in node.terms]
        shape, certain, mismatch = values[0].shape, values[0].certain, values[0].mismatch
        for value in values[1:]:
            mismatch = mismatch or value.mismatch
            if certain and value.certain and mismatch is None:
                try:
                    shape = elementwise("add", *soften(shape, value.shape)) \
                        if not (shape.is_scalar or value.shape.is_scalar) \
                        else shape if value.shape.is_scalar else value.shape
                except ShapeMismatch as error:
                    mismatch = f"{written(node)}: {error}"
            elif not value.certain:
                certain = False
                shape = shape if shape.is_known else value.shape
        exprs = [v.expr for v in values]
        if any(e is None for e in exprs):
            reason = next(v.reason for v in values if v.expr is None)
            return _Value(None, shape, certain, reason, mismatch)
        try:
            total = sympy.Add(*exprs) if not any(isinstance(e, sympy.MatrixBase) for e in exprs) else _matrix_sum(exprs)
        except (sympy.ShapeError, TypeError, ValueError) as error:
            raise Untranslatable(f"cannot add these values ({error})") from error
        if isinstance(total, sympy.MatrixBase):
            shape, certain = Shape(*total.shape), True
        return _Value(total, shape, certain, None, mismatch)

    def _t_Mul(self, node: n.Mul, depth: int) -> _Value:
        return self._product(node, node.factors, depth, hadamard=False)

    def _t_Hadamard(self, node: n.Hadamard, depth: int) -> _Value:
        return self._product(node, node.factors, depth, hadamard=True)

    def _product(self, node: n.Node, factors: tuple[n.Node, ...], depth: int, *, hadamard: bool) -> _Value:
        if len(factors) == 1:
            return self._node(factors[0], depth)
        for first, second in itertools.pairwise(factors):
            if reads_as_exponent_notation(first, second):
                raise Untranslatable(f"{first.text}e… may be scientific notation rather than {first.text}·e")
        values = [self._node(f, depth) for f in factors]
        mismatch = next((v.mismatch for v in values if v.mismatch), None)
        shape, certain = values[0].shape, values[0].certain
        for position, value in enumerate(values[1:], start=1):
            if not (certain and value.certain):
                certain = False
                shape = UNKNOWN_SHAPE
                continue
            if mismatch is not None:
                continue
            try:
                if hadamard:
                    shape = elementwise("hadamard", *soften(shape, value.shape))
                elif shape == value.shape and (shape.rows == 1 or shape.cols == 1) and not shape.is_scalar:
                    # two vectors of one shape side by side: an elementwise or dot product written loosely
                    certain, shape = False, UNKNOWN_SHAPE
                else:
                    shape = matmul(*soften(shape, value.shape))
            except ShapeMismatch as error:
                before = " ".join(to_text(f) for f in factors[:position])
                mismatch = f"{before} is {error.left} and {to_text(factors[position])} is {error.right}: {error}"
                certain, shape = False, UNKNOWN_SHAPE
        exprs = [v.expr for v in values]
        if any(e is None for e in exprs):
            reason = next(v.reason for v in values if v.expr is None)
            return _Value(None, shape, certain, reason, mismatch)
        matrices = [e for e in exprs if isinstance(e, sympy.MatrixBase)]
        if not matrices:
            return _Value(sympy.Mul(*exprs), shape, certain, None, mismatch)
        if hadamard or (len(matrices) > 1 and _all_same_vector_shape(matrices)):
            if not all(m.shape == matrices[0].shape for m in matrices):
                raise Untranslatable("elementwise product of different shapes")
            result = matrices[0]
            for m in matrices[1:]:
                result = result.multiply_elementwise(m)
            scalar = sympy.Mul(*[e for e in exprs if not isinstance(e, sympy.MatrixBase)])
            return _Value(sympy.ImmutableMatrix(result * scalar), Shape(*result.shape), True, None, mismatch)
        result: sympy.Basic = sympy.Integer(1)
        try:
            for e in exprs:
                result = result * e
        except (sympy.ShapeError, TypeError, ValueError) as error:
            raise Untranslatable(f"cannot multiply these values ({error})") from error
        result = sympy.ImmutableMatrix(result) if isinstance(result, sympy.MatrixBase) else result
        if isinstance(result, sympy.MatrixBase) and result.shape == (1, 1):
            return _Value(result[0, 0], SCALAR, True, None, mismatch)  # a row times a column is a number
        out_shape = Shape(*result.shape) if isinstance(result, sympy.MatrixBase) else shape
        return _Value(result, out_shape, True, None, mismatch)

    def _t_Div(self, node: n.Div, depth: int) -> _Value:
        numerator = self._node(node.numerator, depth)
        denominator = self._scalar(node.denominator, depth)
        if numerator.expr is None:
            return replace(numerator, expr=None)
        return replace(numerator, expr=numerator.expr / denominator if not isinstance(numerator.expr, sympy.MatrixBase)
                       else sympy.ImmutableMatrix(numerator.expr / denominator))

    def _t_Power(self, node: n.Power, depth: int) -> _Value:
        base = self._node(node.base, depth)
        if base.certain and base.shape.is_known and not base.shape.is_scalar and base.expr is None:
            raise Untranslatable("power of a vector or matrix")
        exponent = self._scalar(node.exponent, depth)
        if base.expr is None:
            if base.certain and base.shape.is_scalar:  # ‖y − ŷ‖²: a number, though not one we can write down
                return _Value(None, SCALAR, True, base.reason, base.mismatch)
            raise Untranslatable(base.reason or "not a value")
        if isinstance(base.expr, sympy.MatrixBase):
            raise Untranslatable("power of a matrix")
        return _Value(base.expr**exponent, SCALAR if base.certain else base.shape, base.certain, None, base.mismatch)

    def _t_Root(self, node: n.Root, depth: int) -> _Value:
        radicand = self._scalar(node.radicand, depth)
        if node.index is None:
            return _Value(sympy.sqrt(radicand))
        return _Value(sympy.root(radicand, self._scalar(node.index, depth)))

    def _t_Transpose(self, node: n.Transpose, depth: int) -> _Value:
        return self._transpose(self._node(node.operand, depth))

    def _transpose(self, value: _Value) -> _Value:
        expr = value.expr
        if isinstance(expr, sympy.MatrixBase):
            expr = sympy.ImmutableMatrix(expr.T)
        elif expr is not None and not (value.certain and value.shape.is_scalar):
            if value.shape.is_known or not value.certain:
                expr = None if value.certain else expr
        return _Value(expr, value.shape.T, value.certain, value.reason or (None if expr is not None else
                      "transpose of a vector or matrix: only shapes checked"), value.mismatch)

    def _t_Norm(self, node: n.Norm, depth: int) -> _Value:
        value = self._node(node.operand, depth)
        if isinstance(value.expr, sympy.MatrixBase) and node.kind == "norm" and node.sub is None:
            return _Value(sympy.sqrt(sum(entry**2 for entry in value.expr)))
        if value.certain and not value.shape.is_scalar:
            if node.kind == "norm":
                return _Value(None, SCALAR, True, "norm of a vector: only shapes checked", value.mismatch)
            raise Untranslatable("absolute value of a vector")
        if value.expr is None:
            raise Untranslatable(value.reason or "not a value")
        if not value.certain and node.kind == "norm":
            raise Untranslatable("norm of a quantity whose shape is not declared")
        return _Value(sympy.Abs(value.expr), SCALAR, True, None, value.mismatch)

    # --- functions ------------------------------------------------------------------------------------

    def _t_Apply(self, node: n.Apply, depth: int) -> _Value:
        func = node.func
        if isinstance(func, n.Prime) and isinstance(func.operand, n.Function | n.Symbol):
            meaning = resolve_function(func.operand, self.env.function_meanings())
            if meaning is not None and meaning.kind == "activation" and len(node.args) == 1:
                activation = self._activation(meaning)
                argument = self._scalar(node.args[0], depth)
                derivative = sympy.diff(activation.definition, _ACT_X, func.order).subs(_ACT_X, argument)
                return _Value(self._number(meaning.scale) * derivative)
            raise Untranslatable("the derivative of a function this document does not define")
        if isinstance(func, n.Symbol) and symbol_key(func) in self.env.function_defs:
            return self._unknown_function(symbol_key(func), node, depth)  # the document's own definition
        if not isinstance(func, n.Function | n.Symbol):
            raise Untranslatable("an application of something that is not a function name")
        meanings = self.env.function_meanings()
        meaning = resolve_function(func, meanings)
        if meaning is None:
            if isinstance(func, n.Function) and function_key(func) not in meanings:
                raise Untranslatable(f"the function {func.written or func.name} is not translated")
            return self._unknown_function(function_key(func) if isinstance(func, n.Function) else symbol_key(func),
                                          node, depth)
        if meaning.kind == "activation":
            value = self._apply_activation(meaning, list(node.args), depth)
            scale = self._number(meaning.scale)
            if scale == 1 or value.expr is None:
                return value
            return replace(value, expr=value.expr * scale if not isinstance(value.expr, sympy.MatrixBase)
                           else sympy.ImmutableMatrix(value.expr * scale))
        if meaning.kind == "elementary":
            return self._elementwise(SYMPY_ELEMENTARY[meaning.key], node.args, depth)
        if meaning.key in ("max", "min"):
            return self._max_min(meaning.key, node.args, depth)
        if meaning.key == "indicator":
            return _Value(sympy.Piecewise((1, self._condition(node.args, depth)), (0, True)))
        if meaning.key == COMPOSE:
            raise Untranslatable("a composition of functions: a function, not a value")
        raise Untranslatable(f"the function {function_key(func)} is not translated")

    def _number(self, value: object) -> sympy.Expr:
        """A spec's parameter value: a number exactly, a name as the document's symbol for it."""
        if isinstance(value, str):
            return self.env.symbol(value)
        return sympy.nsimplify(value) if isinstance(value, float) else sympy.sympify(value)

    def _unknown_function(self, name: str, node: n.Apply, depth: int) -> _Value:
        args = [self._node(a, depth) for a in node.args]
        defined = self.env.function_defs.get(name)
        if defined is not None and len(defined[0]) == len(args) and all(a.expr is not None for a in args):
            return self._defined_function(defined[0], defined[1], args)
        if any(a.expr is None or isinstance(a.expr, sympy.MatrixBase) or (a.certain and not a.shape.is_scalar)
               for a in args):
            return _Value(None, UNKNOWN_SHAPE, False, f"{name} is not defined in the document")
        return _Value(sympy.Function(name)(*[a.expr for a in args]), UNKNOWN_SHAPE, False)

    def _defined_function(self, params: tuple[sympy.Symbol, ...], body: Term, args: list[_Value]) -> _Value:
        """A function the document defined (``σ(x) = max{0, x}``) applied to arguments, elementwise on vectors."""
        if not isinstance(body.template, sympy.Expr):
            raise Untranslatable("a function defined by something that is not a formula")
        self.literals.extend(body.literals)
        if len(args) == 1 and isinstance(args[0].expr, sympy.MatrixBase):
            entries = args[0].expr.applyfunc(lambda entry: body.template.xreplace({params[0]: entry}))
            return _Value(sympy.ImmutableMatrix(entries), args[0].shape, True)
        if any(isinstance(a.expr, sympy.MatrixBase) or (a.certain and not a.shape.is_scalar) for a in args):
            return _Value(None, UNKNOWN_SHAPE, False, "a defined function of vectors: only shapes checked")
        return _Value(body.template.xreplace(dict(zip(params, [a.expr for a in args], strict=True))),
                      UNKNOWN_SHAPE if not all(a.certain for a in args) else SCALAR, all(a.certain for a in args))

    def _activation(self, meaning: FunctionMeaning) -> ElementwiseActivation:
        key = meaning.key
        params: dict[str, object] = {name: self._number(value) for name, value in meaning.parameters().items()}
        if key == "leaky_relu" and "a" not in params:
            params["a"] = self.env.symbol("a")  # its slope, a symbol ranging over (0, 1)
            self.env.domains.setdefault("a", sympy.Interval.open(0, 1))
        activation = get_activation(key, **params)
        if not isinstance(activation, ElementwiseActivation):
            raise Untranslatable(f"{key} is not elementwise")
        return activation

    def _apply_activation(self, meaning: FunctionMeaning, args: list[n.Node], depth: int) -> _Value:
        if len(args) != 1:
            raise Untranslatable(f"{meaning.key} takes one argument")
        activation = self._activation(meaning)
        return self._elementwise(lambda z: activation.definition.subs(_ACT_X, z), tuple(args), depth)

    def _elementwise(self, function: Callable[..., sympy.Expr], args: tuple[n.Node, ...], depth: int) -> _Value:
        if len(args) != 1:
            raise Untranslatable("a function of several arguments")
        value = self._node(args[0], depth)
        if isinstance(value.expr, sympy.MatrixBase):
            return _Value(sympy.ImmutableMatrix(value.expr.applyfunc(function)), value.shape, True, None,
                          value.mismatch)
        if value.expr is None:
            return _Value(None, value.shape, value.certain, value.reason, value.mismatch)
        if value.certain and not value.shape.is_scalar:
            return _Value(None, value.shape, True, "a function of a vector: only shapes checked", value.mismatch)
        return _Value(function(value.expr), value.shape, value.certain, None, value.mismatch)

    def _max_min(self, name: str, args: tuple[n.Node, ...], depth: int) -> _Value:
        items: list[n.Node] = []
        for arg in args:
            items.extend(arg.items if isinstance(arg, n.SetOf | n.Tuple) else (arg,))
        values = [self._node(item, depth) for item in items]
        if len(values) < 2 or any(v.expr is None for v in values):
            raise Untranslatable(f"{name} of values that are not translated")
        combine = sympy.Max if name == "max" else sympy.Min
        matrices = [v.expr for v in values if isinstance(v.expr, sympy.MatrixBase)]
        if matrices:
            shape = matrices[0].shape
            if any(m.shape != shape for m in matrices):
                raise Untranslatable(f"{name} of different shapes")
            entries = [[v.expr[i] if isinstance(v.expr, sympy.MatrixBase) else v.expr for v in values]
                       for i in range(shape[0] * shape[1])]
            return _Value(sympy.ImmutableMatrix(shape[0], shape[1], [combine(*e) for e in entries]),
                          Shape(*shape), True)
        return _Value(combine(*[v.expr for v in values]))

    def _condition(self, args: tuple[n.Node, ...], depth: int) -> sympy.Basic:
        if len(args) != 1:
            raise Untranslatable("an indicator of several conditions")
        condition = args[0]
        while isinstance(condition, n.SetOf | n.Tuple) and len(condition.items) == 1:
            condition = condition.items[0]
        return self._relation(condition, depth)

    def _relation(self, node: n.Node, depth: int) -> sympy.Basic:
        if isinstance(node, n.Chain) and len(node.terms) == 2:
            op = node.ops[0].op
            if op in RELATIONS:
                return RELATIONS[op](self._scalar(node.terms[0], depth), self._scalar(node.terms[1], depth))
        if isinstance(node, n.Relation) and node.op in RELATIONS:
            return RELATIONS[node.op](self._scalar(node.left, depth), self._scalar(node.right, depth))
        raise Untranslatable("a condition that is not a simple comparison")

    # --- calculus -------------------------------------------------------------------------------------

    def _t_Derivative(self, node: n.Derivative, depth: int) -> _Value:
        if node.of is None:
            raise Untranslatable("a derivative operator applied to nothing")
        wrt_key = symbol_key(node.wrt)
        binding = self.env.bindings.get(derivative_key(node) or "")
        if binding is not None and self.substitute and binding.term.template is not None:
            # backprop written with numbers: ∂L/∂ŷ = 1 on one line, ∂L/∂W = ∂L/∂ŷ hᵀ on the next
            self.literals.extend(binding.term.literals)
            return _Value(binding.term.template, binding.term.shape, binding.term.shape_certain)
        wrt_shape = self.env.shapes.get(wrt_key)
        substitute, self.substitute = self.substitute, False  # ∂ŷ/∂h is about the formula, not ŷ's number
        try:
            of_value = self._node(node.of, depth)
        finally:
            self.substitute = substitute
        of_key = symbol_key(node.of) if isinstance(node.of, n.Symbol) else None
        definition = self.env.definitions.get(of_key) if of_key else None
        if definition is not None and isinstance(definition.template, sympy.Expr):
            self.literals.extend(definition.literals)
            declared = self.env.shapes.get(of_key) if of_key else None
            of_value = _Value(definition.template, declared or definition.shape,
                              declared is not None or definition.shape_certain)
        elif of_key is not None and of_key not in self.env.shapes and is_loss_name(node.of):
            of_value = _Value(of_value.expr, SCALAR, True)
        shape, certain = self._derivative_shape(of_value, wrt_shape)
        of_is_name = of_key is not None and definition is None
        opaque = of_value.expr is None or of_is_name or isinstance(of_value.expr, sympy.MatrixBase) \
            or not isinstance(node.wrt, n.Symbol) or (wrt_shape is not None and not wrt_shape.is_scalar) \
            or of_value.expr.atoms(sympy.core.function.AppliedUndef)
        if opaque:
            reason = "the derivative of a quantity the document does not define as a formula"
            if isinstance(node.wrt, n.Symbol) and (shape.is_scalar or not certain):
                # an unknown number: equal only to itself, so nothing about it can be called wrong
                return _Value(sympy.Function(f"∂{written(node.of)}/∂{wrt_key}")(), shape, certain, None,
                              of_value.mismatch)
            return _Value(None, shape, certain, reason, of_value.mismatch)
        variable = self.env.symbol(wrt_key)
        if not of_value.expr.has(variable):
            if of_value.expr.free_symbols - {variable} and not of_value.certain:
                raise Untranslatable("the derivative of an expression that does not show the variable")
        return _Value(sympy.Derivative(of_value.expr, (variable, node.order)), SCALAR, True, None, of_value.mismatch)

    def _derivative_shape(self, of: _Value, wrt_shape: Shape | None) -> tuple[Shape, bool]:
        """The shape of ∂(of)/∂(wrt) in the document's layout; uncertain unless the layout is stated."""
        if wrt_shape is None or not of.certain:
            return UNKNOWN_SHAPE, False
        if of.shape.is_scalar and wrt_shape.is_scalar:
            return SCALAR, True
        if not self.env.numerator_layout:
            return UNKNOWN_SHAPE, False
        if of.shape.is_scalar:
            return wrt_shape.T, True  # ∂ℓ/∂x is a row for a column x; ∂ℓ/∂W is n×m for an m×n W
        if of.shape.cols == 1 and wrt_shape.cols == 1:
            return Shape(of.shape.rows, wrt_shape.rows), True
        return UNKNOWN_SHAPE, False

    def _t_Limit(self, node: n.Limit, depth: int) -> _Value:
        variable = self.env.symbol(symbol_key(node.var))
        target = self._scalar(node.to, depth)
        body = self._scalar(node.body, depth)
        direction = {"+": "+", "-": "-"}.get(node.direction or "", "+-")
        if target in (sympy.oo, -sympy.oo):
            direction = "-" if target == sympy.oo else "+"
        return _Value(sympy.Limit(body, variable, target, direction))

    def _t_Cases(self, node: n.Cases, depth: int) -> _Value:
        pieces = []
        for piece in node.pieces:
            value = self._scalar(piece.value, depth)
            if piece.condition is None or isinstance(piece.condition, n.Text):
                pieces.append((value, True))
            else:
                pieces.append((value, self._relation(piece.condition, depth)))
        return _Value(sympy.Piecewise(*pieces))

    def _t_Matrix(self, node: n.Matrix, depth: int) -> _Value:
        rows, cols = node.size
        if rows * cols > MAX_MATRIX_CELLS:
            raise Untranslatable("matrix too large")
        if any(len(row) != cols for row in node.rows):
            raise Untranslatable("rows of different lengths")
        if any(isinstance(cell, n.Dots) for row in node.rows for cell in row):
            return _Value(None, UNKNOWN_SHAPE, False, "a matrix written with dots: entries not checked")
        entries = [[self._scalar(cell, depth) for cell in row] for row in node.rows]
        if (rows, cols) == (1, 1):
            return _Value(entries[0][0], SCALAR, True)  # [−0.1] is the number −0.1
        return _Value(sympy.ImmutableMatrix(entries), Shape(rows, cols), True)


_ACT_X = sympy.Symbol("x", real=True)  # the engine's activation variable


def _matrix_sum(exprs: list[sympy.Basic]) -> sympy.Basic:
    total: sympy.Basic = exprs[0]
    for e in exprs[1:]:
        total = total + e
    return sympy.ImmutableMatrix(total) if isinstance(total, sympy.MatrixBase) else total


def _all_same_vector_shape(matrices: list[sympy.MatrixBase]) -> bool:
    first = matrices[0].shape
    return all(m.shape == first for m in matrices) and (first[0] == 1 or first[1] == 1) and first != (1, 1)


def activation_form(func: n.Node, env: Environment, variable: sympy.Symbol) -> sympy.Expr | None:
    """A known activation (``tanh``, ``\\text{ReLU}``) as a formula in ``variable``, or None."""
    if not isinstance(func, n.Function):
        return None
    meaning = resolve_function(func, env.function_meanings())
    if meaning is None or meaning.kind != "activation":
        return None
    translator = Translator(env)
    try:
        activation = translator._activation(meaning)
    except (ChainruleError, Untranslatable):
        return None
    return translator._number(meaning.scale) * activation.definition.subs(_ACT_X, variable)


def translate(node: n.Node, env: Environment, *, frozen: frozenset[str] = frozenset(),
              substitute: bool = True) -> Term:
    """Translate one member of a relation chain; never raises for bad input (the Term carries the reason)."""
    return Translator(env, frozen=frozen, substitute=substitute).term(node)
