"""The MathML layer: what students write renders (MathML Core), and nothing they write becomes markup."""

from __future__ import annotations

import re

import pytest

from chainrule.reports.math_letters import styled
from chainrule.reports.mathml import MAX_TEX_CHARS, latex_to_mathml


def mathml(tex: str, display: bool = True) -> str:
    out = str(latex_to_mathml(tex, display=display))
    assert out.startswith("<math"), out
    return out


@pytest.mark.parametrize("environment", ["aligned", "align*", "align", "split", "gathered", "eqnarray"])
def test_row_environments_become_tables_without_literal_ampersands(environment):
    out = mathml(rf"\begin{{{environment}}} a &= b + 1 \\ c &= d \end{{{environment}}}")
    assert out.count("<mtr>") == 2 and "&amp;" not in out and "begin" not in out


def test_a_one_line_aligned_and_bare_rows_are_tables_too():
    assert "&amp;" not in mathml(r"\begin{aligned} a &= b \end{aligned}")
    assert mathml(r"a &= b \\ &= c").count("<mtr>") == 2


@pytest.mark.parametrize("tex", [
    r"\begin{cases} 1 & x>0 \\ a & \text{otherwise} \end{cases}", r"\begin{array}{cc} 1 & 2 \\ 3 & 4 \end{array}",
    r"\begin{bmatrix} 1 & 2 \end{bmatrix}", r"\begin{pmatrix} a \\ b \end{pmatrix}",
    r"\begin{vmatrix} a & b \\ c & d \end{vmatrix}",
])
def test_tables_students_write(tex):
    out = mathml(tex)
    assert "<mtable" in out and "&amp;" not in out


def test_limits_go_under_lim_and_max_in_display():
    out = mathml(r"\lim_{x\to\infty} f(x) = \max_i z_i")
    assert out.count("<munder>") == 2 and 'movablelimits="true"' in out and "<msub><mo" not in out


def test_styled_letters_are_unicode_characters():
    assert "ℝ" in mathml(r"\mathbb{R}^n") and "𝐱" in mathml(r"\mathbf{x}") and "𝜽" in mathml(r"\boldsymbol{\theta}")
    assert "mathvariant" not in mathml(r"\mathcal{L} + \mathbb{E}[x]")
    assert styled("R", "double-struck") == "ℝ" and styled("1", "double-struck") == "𝟙" and styled("x", "bold") == "𝐱"


@pytest.mark.parametrize("tex", [r"99\mathbb{1}[x>0]", r"99\mathbbm{1}[x>0]", r"99\mathds{1}_{x>0}"])
def test_an_indicator_is_set_apart_from_the_number_before_it(tex):
    out = mathml(tex)
    assert "𝟙" in out and re.search(r"<mn>99</mn><mspace width=\"0.1667em\"></mspace>", out)


def test_primes_sit_beside_the_letter():
    out = mathml("f'(x) + g''(x)")
    assert "<msup>" not in out and '<mo lspace="0" rspace="0">′</mo>' in out and "″" in out


def test_operator_names_text_and_spacing():
    out = mathml(r"\operatorname{ReLU}(x) \, \text{for all } x \quad \boxed{y}")
    assert "<mi>ReLU</mi>" in out and "<mtext>for\xa0all\xa0</mtext>" in out and 'class="boxed"' in out
    assert '<mspace width="1em">' in out


def test_a_script_on_a_matrix_has_one_base():
    out = mathml(r"\begin{pmatrix} a \\ b \end{pmatrix}^\top")
    assert re.search(r"<msup><mrow><mo>\(</mo><mtable>.*</mtable><mo>\)</mo></mrow><mo>⊤</mo></msup>", out)


@pytest.mark.parametrize("payload", [r"\text{<img src=x onerror=alert(1)>}", r"\text{</math><script>alert(1)</script>}",
                                     r"\mathrm{<b onmouseover=alert(1)>}", r"\text{a & b \" ' }"])
def test_text_inside_math_is_text_never_markup(payload):
    out = str(latex_to_mathml(payload, display=True))
    assert "<img" not in out and "<script" not in out and "<b " not in out
    assert "&lt;" in out or "&amp;" in out


def test_what_cannot_be_rendered_is_shown_as_source_never_half_rendered():
    for tex in (r"\foo{x} + 1", r"\label{a} \undefinedcommand y"):
        out = str(latex_to_mathml(tex))
        assert out.startswith('<code class="tex">') and "\\" in out
    assert str(latex_to_mathml("x+" * MAX_TEX_CHARS)).startswith('<code class="tex">')
    assert str(latex_to_mathml(r"\frac{1}{<script>")).find("<script") == -1
