"""What each question is about: terms from the spec, weighted by how few questions share them."""

from __future__ import annotations

from chainrule.assignments.loader import load_assignment
from chainrule.grading.question_content import ContentModel, terms


def test_terms_read_words_latex_commands_greek_letters_and_hyphens():
    found = terms(r"Soft-argmax uses $\tanh$ and σ; the losses: BCE, cross-entropy, 4353 parameters")
    assert {"softargmax", "soft", "argmax", "tanh", "sigma", "bce", "crossentropy", "cross", "entropy", "loss",
            "4353", "parameter"} <= found
    assert "the" not in found and "frac" not in terms(r"\frac{a}{b}")


def best(model: ContentModel, text: str) -> str:
    affinity = model.affinity(terms(text))
    return max(affinity, key=affinity.__getitem__)


def test_an_answer_is_recognised_by_what_it_says():
    model = ContentModel(load_assignment("nyu-dl-hw1-2022").questions)
    assert best(model, "With the BCE loss the derivative gains a log term") == "1.3b"
    assert best(model, "It is really a softargmax: a smooth one-hot argmax") == "1.4a"
    assert best(model, "Rotation, reflection, scaling and shearing are linear") == "1.4d"
    assert best(model, "optimizer.zero_grad(), loss.backward(), optimizer.step()") == "1.2a"


def test_affinity_is_bounded_and_neutral_for_empty_text():
    model = ContentModel(load_assignment("ryu-mathdnn-hw3").questions)
    affinity = model.affinity(terms("softplus is Lipschitz " * 200))
    assert all(-1 < value < 1 for value in affinity.values()) and max(affinity, key=affinity.get) == "5b"
    assert set(model.affinity(set()).values()) == {0.0}
