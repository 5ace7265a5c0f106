"""Relation chains and declarations read from documents."""

import sympy

from chainrule.grading.checkers.terms import Environment
from chainrule.grading.claims import chains_in, declare, declare_from, read_document
from chainrule.notation.parser import parse_math
from chainrule.shapes import Shape, column


def test_chain_terms_ops_and_lines():
    (chain,) = read_document("text\n\n$$a = b + 1 = 3$$\n").chains
    assert chain.ops == ("=", "=")
    assert len(chain.terms) == 3
    assert chain.line == 3


def test_continued_rows_join_the_chain_above_with_their_own_lines():
    text = "\\begin{equation}\n  h1 = \\sigma(z1) \\\\\n     = 0.5812\n\\end{equation}\n"
    (chain,) = read_document(text).chains
    assert len(chain.terms) == 3
    assert chain.terms[2].line == 3


def test_connectives_cut_chains():
    chains = chains_in(parse_math(r"x = 1 \Leftrightarrow y = 2"))
    assert [len(c.terms) for c in chains] == [2, 2]


def test_boxed_chain_joins_its_host():
    (chain,) = chains_in(parse_math(r"\boxed{\hat{y} = 1.33} \triangleq f(x)"))
    assert len(chain.terms) == 3


def test_unreadable_math_is_an_error_not_a_crash():
    document = read_document("$$a = ) $$\n\n$$b = 2$$\n")
    assert document.errors
    assert len(document.chains) == 1


def test_declarations_shapes_domains_layout():
    text = (
        "We use numerator layout.\n\n"
        r"$\mathbf{x} \in \mathbb{R}^n$, $W^{(1)} \in \mathbb{R}^{m \times n}$, $a \in (0, 1)$, $0 < c < 2$" "\n\n"
        r"$$\hat{\mathbf{y}} = g(\mathbf{z}_3) \in \mathbb{R}^K$$" "\n"
    )
    env = Environment()
    document = read_document(text)
    declare(document, env)
    for chain in document.chains:
        declare_from(chain, env)
    assert env.numerator_layout
    assert env.shapes["x"] == column("n")
    assert env.shapes["W^(1)"] == Shape("m", "n")
    assert env.shapes["hat y"] == column("K")
    assert env.domains["a"] == sympy.Interval.open(0, 1)
    assert env.domains["c"] == sympy.Interval.open(0, 2)


def test_sigma_redefined_as_relu_is_no_longer_sigmoid():
    env = Environment()
    declare(read_document(r"$$h = \sigma(a) = \max\{a, 0\}$$"), env)
    assert env.functions["σ"] is None
    env = Environment()
    declare(read_document(r"$$h = \sigma(a) = \frac{1}{1 + e^{-a}}$$"), env)
    assert "σ" not in env.functions


def test_a_text_naming_both_layouts_states_neither():
    env = Environment()
    declare(read_document("Unlike the numerator layout, we use the denominator layout.\n\n$x = 1$"), env)
    assert not env.numerator_layout


def test_a_fact_about_the_sigmoid_does_not_redefine_sigma():
    env = Environment()
    declare(read_document(r"$$\frac{d}{dx}\text{softplus}(x) = \frac{1}{1+e^{-x}} = \sigma(x)$$"), env)
    assert "σ" not in env.functions
    env = Environment()
    declare(read_document(r"$$f(x) = \sigma(x) = 5 \text{ReLU}(x)$$"), env)
    assert env.functions["σ"] is None
