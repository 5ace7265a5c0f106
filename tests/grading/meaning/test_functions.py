"""What a function name means where it is read: the document's word, then the assignment's, then the common one."""

from types import SimpleNamespace

from chainrule.grading.meaning import (
    FunctionMeaning,
    declared_by,
    document_functions,
    function_key,
    question_functions,
    resolve_function,
)
from chainrule.notation import nodes as n
from chainrule.notation.parser import parse_math

SIGMA = n.Function("sigma", "\\sigma")


def ref(name, scale=1):
    return SimpleNamespace(name=name, params={}, scale=scale)


def test_sigma_is_kept_apart_from_a_spelled_out_sigmoid():
    assert function_key(SIGMA) == "σ"
    assert function_key(n.Function("sigmoid", "\\text{sigmoid}")) == "sigmoid"


def test_common_meanings():
    assert resolve_function(SIGMA, {}) == FunctionMeaning.activation("sigmoid")
    assert resolve_function(n.Function("ln", "\\ln"), {}) == FunctionMeaning("elementary", "log")
    assert resolve_function(n.Symbol("q"), {}) is None


def test_a_declaration_wins_over_the_common_meaning():
    assert resolve_function(SIGMA, {"σ": FunctionMeaning.activation("relu")}).key == "relu"
    assert resolve_function(SIGMA, {"σ": None}) is None


def test_the_prompt_writing_sigma_for_the_hidden_activation_makes_sigma_that_activation():
    question = SimpleNamespace(prompt=r"the net $W_2\sigma(W_1 x)$ with ReLU", layers=[
        SimpleNamespace(activation=ref("relu")), SimpleNamespace(activation=None)])
    assert question_functions(question)["σ"].key == "relu"


def test_sigma_in_a_network_without_a_sigmoid_means_nothing_known():
    question = SimpleNamespace(prompt="f = 3 ReLU and g the identity", f=ref("relu", 3), g=ref("identity"))
    declared = question_functions(question)
    assert declared["f"] == FunctionMeaning.activation("relu", scale=3) and declared["σ"] is None


def test_sigma_beside_a_sigmoid_layer_is_the_sigmoid():
    question = SimpleNamespace(prompt="", f=ref("tanh"), g=ref("sigmoid"))
    assert "σ" not in question_functions(question)


def test_a_question_without_a_network_declares_nothing():
    assert question_functions(SimpleNamespace(prompt=r"$\sigma(x)$")) == {}


def test_a_document_names_its_activation():
    chain = parse_math(r"\phi = \text{ReLU}")
    assert declared_by(*chain.terms) == ("phi", FunctionMeaning.activation("relu"))
    scaled = parse_math(r"h = 2\,\tanh")
    assert declared_by(*scaled.terms) == ("h", FunctionMeaning.activation("tanh", scale=2))


def test_sigma_redefined_by_another_form_is_unknown_to_the_vocabulary_for_the_whole_document():
    chain = parse_math(r"\sigma(u) = \max\{u, 0\}")
    assert document_functions([chain]) == {"σ": None}
    assert document_functions([parse_math(r"\frac{d}{du}\text{softplus}(u) = \sigma(u)")]) == {}
