"""Random strings and mutated real spans never crash or hang the reader: it returns a tree or raises a
located NotationError. The full 100 000-input run is benchmarks/fuzz_reader.py; CI runs a few hundred."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chainrule.errors import InputError
from chainrule.notation import find_math, infer_shape, parse_math, to_latex, to_text
from chainrule.notation.errors import InputTooLarge, NotationError
from chainrule.notation.lexer import MAX_NESTING
from chainrule.notation.parser import MAX_SPAN_CHARS

FRAGMENTS = [
    "x", "W", "^", "_", "{", "}", "(", ")", "[", "]", "|", "\\|", "+", "-", "=", "<", "\\le", ",", ".", "&",
    "\\\\", "'", "2", "0.5", "\\frac", "\\partial", "\\sum", "\\lim", "\\to", "\\infty", "\\mathbf", "\\hat",
    "\\text{if }", "\\left(", "\\right)", "\\begin{pmatrix}", "\\end{pmatrix}", "\\begin{cases}", "\\end{cases}",
    "\\sigma", "\\tanh", "\\max", "\\{", "\\}", "\\cdot", "\\nabla", "\\mathbb{R}", "\\in", "^{(1)}", "^\\top",
    "\\sqrt", "\\quad", " ", "\n", "$", "%", "\\foo", "日", "\x00", "\\left.", "\\right|", "\\boxed",
]
SAMPLES = [
    "\\frac{d}{dx} \\frac{1}{1+e^{-x}} = \\frac{e^{-x}}{(1+e^{-x})^2}",
    "a = W^{(1)}x + b^{(1)} = \\begin{pmatrix} -3.2 \\\\ 1.3 \\end{pmatrix}",
    "\\text{Leaky ReLU}(x) = \\begin{cases} ax & \\text{if } ax > x \\\\ x & \\text{if } ax \\leq x \\end{cases}",
    "\\ell = \\left\\| \\mathbf{y} - \\left(5\\mathbf{W}^{(2)}(\\mathbf{W}^{(1)}\\mathbf{x} "
    "+ \\mathbf{b}^{(1)})^+ \\right) \\right\\|^2",
    "\\min_{1 \\leq k \\leq T} \\|\\nabla f(\\theta^k)\\|^2 \\leq \\frac{2L(f(\\theta^0) - f)}{T}",
]


def read(text: str) -> None:
    """The property: a tree that prints and has a shape, or a located NotationError — nothing else."""
    try:
        node = parse_math(text, line=3, column=7)
    except NotationError as error:
        assert error.line >= 3 and error.column >= 1 and error.message
        return
    to_latex(node)
    to_text(node)
    infer_shape(node)


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_random_fragment_strings(text):
    read(text)


@settings(max_examples=100, deadline=2000)
@given(st.text(max_size=80))
def test_random_unicode_strings(text):
    read(text)


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SAMPLES), st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 3),
                                                    st.sampled_from(FRAGMENTS)), max_size=4))
def test_mutated_real_spans(sample, edits):
    text = sample
    for at, how, fragment in edits:
        at %= len(text) + 1
        if how == 0:
            text = text[:at] + fragment + text[at:]
        elif how == 1:
            text = text[:at] + text[at + 1:]
        elif how == 2:
            text = text[:at] + fragment + text[at + 1:]
        else:
            text = text[:at]
    read(text)


@settings(max_examples=50, deadline=3000)
@given(st.text(alphabet="$\\()[]{}|ax =\n#-*`", max_size=120))
def test_finding_math_in_noisy_markdown(text):
    for span in find_math(text):
        read(span.latex)


def test_huge_power_towers_are_read_not_evaluated():
    assert to_text(parse_math("10^{10^{10}}")) == "10^(10^10)"


def test_ten_thousand_nested_braces():
    with pytest.raises(InputTooLarge):  # too long as a whole, before any nesting is looked at
        parse_math("{" * 10_000 + "x" + "}" * 10_000)
    with pytest.raises(InputTooLarge, match="nested"):
        parse_math("{" * 9_000 + "x" + "}" * 9_000)
    with pytest.raises(InputTooLarge):
        parse_math("(" * (MAX_NESTING + 5) + "x")


@pytest.mark.parametrize("text", ["x" + "^2" * 4000, "\\hat" * 3000 + "x", "-" * 5000 + "x", "x'" + "'" * 5000,
                                  "a_" * 3000 + "b", "\\mathbf" * 3000 + "{x}"])
def test_long_chains_fail_cleanly_or_read(text):
    read(text)


def test_a_ten_megabyte_document_is_refused_with_a_clear_error():
    with pytest.raises(InputError, match="more than"):
        find_math("$x$ " * 2_600_000)
    with pytest.raises(InputTooLarge):
        parse_math("x+" * (MAX_SPAN_CHARS // 2 + 1))


def test_binary_junk_and_stray_dollars():
    junk = bytes(range(256)).decode("latin-1")
    read(junk)
    for span in find_math(junk * 3):
        read(span.latex)
    read("$")
    assert find_math("$$ x = 1 $ and $") == [] or all(isinstance(s.latex, str) for s in find_math("$$ x = 1 $ and $"))
