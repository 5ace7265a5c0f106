"""Translation of reader nodes: SymPy values with literals kept apart, shapes, and reasons instead of crashes."""

import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from chainrule.grading.checkers.terms import Binding, Environment
from chainrule.grading.translate import declared_shape, symbol_key, translate
from chainrule.notation import nodes as n
from chainrule.notation.parser import parse_math
from chainrule.shapes import SCALAR, Shape, column

x = sympy.Symbol("x", real=True)


def member(latex, env=None, **kwargs):
    return translate(parse_math(latex), env or Environment(), **kwargs)


def test_literals_stay_placeholders_with_their_digits():
    term = member(r"0.4 \cdot 0.5812 + 0.6")
    assert [number.text for _, number in term.literals] == ["0.4", "0.5812", "0.6"]
    assert term.value == sympy.Rational(4, 10) * sympy.Rational(5812, 10000) + sympy.Rational(6, 10)
    assert not term.free_symbols


def test_bare_number_and_its_negation():
    assert member("0.7391").is_bare_number
    assert member("-0.7391").is_bare_number
    assert not member("1 - 0.7391").is_bare_number


def test_activations_come_from_the_engine_registry():
    assert member(r"\tanh(x)").value == sympy.tanh(x)
    assert member(r"\text{sigmoid}(x)").value == 1 / (1 + sympy.exp(-x))
    assert sympy.simplify(member(r"\text{softplus}(x)").value - sympy.log(1 + sympy.exp(x))) == 0
    relu = member(r"(x)^+").value
    assert relu.subs(x, -2) == 0 and relu.subs(x, 3) == 3


def test_leaky_relu_slope_is_the_document_symbol_a_with_its_domain():
    env = Environment()
    value = member(r"\text{LReLU}(x)", env).value
    a = env.symbol("a")
    assert value.subs({x: -2, a: sympy.Rational(1, 10)}) == sympy.Rational(-1, 5)
    assert env.domains["a"] == sympy.Interval.open(0, 1)


def test_sigma_means_sigmoid_unless_the_document_says_otherwise():
    assert member(r"\sigma(x)").value == 1 / (1 + sympy.exp(-x))
    env = Environment(functions={"σ": None})
    assert member(r"\sigma(x)", env).value.atoms(sympy.core.function.AppliedUndef)


def test_derivatives_stay_unevaluated_until_checked():
    value = member(r"\frac{d}{dx} \tanh x").value
    assert isinstance(value, sympy.Derivative)
    assert value.doit() == 1 - sympy.tanh(x) ** 2


def test_limits_keep_their_direction():
    value = member(r"\lim_{x \to -\infty} e^{x}").value
    assert isinstance(value, sympy.Limit)
    assert value.args[2] == -sympy.oo and str(value.args[3]) == "+"


def test_indicator_and_max():
    assert member(r"\mathbb{I}(x > 0)").value.subs(x, 1) == 1
    assert member(r"\max\{x, 0\}").value == sympy.Max(x, 0)


def test_undeclared_names_and_unknown_functions_are_kept_not_guessed():
    term = member("f(x) + y")
    assert term.value.atoms(sympy.core.function.AppliedUndef)
    assert not term.shape_certain


def test_bindings_put_in_the_number_as_written():
    env = Environment()
    env.bindings["z1"] = Binding("z1", member("0.3275"), 3)
    term = member(r"\sigma(z1)", env)
    assert [number.text for _, number in term.literals] == ["0.3275"]
    assert not term.free_symbols
    kept = member(r"\sigma(z1)", env, substitute=False)
    assert kept.free_symbols


def test_declared_shapes_and_transposes():
    env = Environment(numerator_layout=True)
    env.shapes.update({"x": column("n"), "W^(1)": Shape("m", "n")})
    assert member(r"W^{(1)} \mathbf{x}", env).shape == column("m")
    assert member(r"\mathbf{x}^\top", env).shape == Shape(1, "n")
    assert member(r"\frac{\partial \ell}{\partial W^{(1)}}", env).shape == Shape("n", "m")
    assert member(r"\|\mathbf{x}\|^2", env).shape == SCALAR


def test_declared_shape_of_spaces():
    assert declared_shape(n.Space("R", (n.Symbol("K"),))) == column("K")
    assert declared_shape(n.Space("R", (n.Symbol("m"), n.Symbol("n")))) == Shape("m", "n")
    assert declared_shape(n.Space("R")) == SCALAR
    assert declared_shape(n.Space("N")) is None


def test_symbol_keys_ignore_bold_but_keep_accents_and_layers():
    bold = n.Symbol("z", style="bold", sub=(n.Number("3"),))
    assert symbol_key(bold) == symbol_key(n.Symbol("z", sub=(n.Number("3"),))) == "z_3"
    assert symbol_key(n.Symbol("y", accent="hat")) == "hat y"
    assert symbol_key(n.Symbol("W", layer=n.Number("2"))) == "W^(2)"


def test_untranslatable_members_carry_a_reason():
    term = member(r"\sum_{i=1}^{K} y_i")
    assert term.template is None and term.reason


@settings(max_examples=40, deadline=None)
@given(st.recursive(
    st.sampled_from([n.Symbol("x"), n.Number("0.5"), n.Infinity(), n.Text("if"), n.Dots(), n.Placeholder()]),
    lambda children: st.one_of(
        st.builds(lambda a, b: n.Add((a, b)), children, children),
        st.builds(lambda a, b: n.Mul((a, b)), children, children),
        st.builds(lambda a, b: n.Div(a, b), children, children),
        st.builds(lambda a, b: n.Power(a, b), children, children),
        st.builds(lambda a: n.Apply(n.Function("tanh"), (a,)), children),
        st.builds(lambda a: n.Transpose(a), children),
        st.builds(lambda a: n.Derivative(a, n.Symbol("x")), children),
        st.builds(lambda a, b: n.Matrix(((a, b),)), children, children),
    ),
    max_leaves=8,
))
def test_translation_never_raises(node):
    term = translate(node, Environment())
    assert term.template is not None or term.reason
