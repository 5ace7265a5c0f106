import pytest

from chainrule.notation.errors import InputTooLarge, UnbalancedDelimiter, UnknownCommand
from chainrule.notation.lexer import MAX_NESTING, tokenize


def kinds(text):
    return [t.type for t in tokenize(text)]


def test_bars_open_and_close_by_context():
    assert kinds("\\|y-x\\|^2") == ["NORM_L", "LETTER", "ADD", "LETTER", "NORM_R", "CARET", "NUMBER"]
    assert kinds("||a||") == ["NORM_L", "LETTER", "NORM_R"]
    assert kinds("|x| + |y|") == ["ABS_L", "LETTER", "ABS_R", "ADD", "ABS_L", "LETTER", "ABS_R"]


def test_left_right_sizing_is_dropped_but_forces_the_side():
    assert kinds("\\left\\| a \\right\\|") == ["NORM_L", "LETTER", "NORM_R"]
    assert kinds("\\left( a \\right)") == ["LPAR", "LETTER", "RPAR"]


def test_a_script_takes_one_character_and_frac_digits_split():
    toks = tokenize("x^23")
    assert [(t.type, t.value) for t in toks] == [("LETTER", "x"), ("CARET", "^"), ("NUMBER", "2"), ("NUMBER", "3")]
    assert [t.value for t in tokenize("\\frac12") if t.type == "NUMBER"] == ["1", "2"]


def test_letters_glued_to_digits_are_one_name_and_long_runs_are_words():
    assert [(t.type, t.value) for t in tokenize("z1 ax target")] == [
        ("LETTER", "z1"), ("LETTER", "a"), ("LETTER", "x"), ("WORD", "target")]


def test_text_is_read_raw():
    (tok,) = tokenize("\\text{Leaky ReLU}")
    assert (tok.type, tok.value) == ("TEXT", "Leaky ReLU")


def test_positions_are_in_the_document():
    toks = tokenize("a\n  + b", line=10, column=5)
    assert [(t.line, t.column) for t in toks] == [(10, 5), (11, 3), (11, 5)]


@pytest.mark.parametrize(("text", "where", "words"), [
    ("{a", (1, 1), "unbalanced brace"),
    ("a}", (1, 2), "unbalanced brace"),
    ("(a]", (1, 3), "unbalanced bracket"),
    ("\\begin{pmatrix} a", (1, 1), "environment pmatrix"),
    ("\\end{cases}", (1, 1), "without \\begin"),
])
def test_unbalanced_delimiters_are_located(text, where, words):
    with pytest.raises(UnbalancedDelimiter) as info:
        tokenize(text)
    assert (info.value.line, info.value.column) == where
    assert words in info.value.message


def test_unknown_commands_and_characters_are_named():
    with pytest.raises(UnknownCommand, match=r"unknown command \\foo"):
        tokenize("a + \\foo")
    with pytest.raises(Exception, match="unexpected character '日'"):
        tokenize("日期")


def test_nesting_is_bounded():
    with pytest.raises(InputTooLarge, match="nested"):
        tokenize("{" * (MAX_NESTING + 1) + "x" + "}" * (MAX_NESTING + 1))
