"""Numeric demonstrations of proof questions: the claim checked on concrete instances, and a wrong claim caught.

Each function returns a :class:`Demonstration` (claim, evidence numbers, ``passed``, counterexamples).
:data:`DEMONSTRATIONS` maps assignment question ids to them; :func:`demonstrate` runs one by id.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from chainrule.errors import InputError

from .activation_facts import relu_idempotence_demonstration, softplus_lipschitz_demonstration
from .base import Counterexample, Demonstration, Evidence
from .cross_entropy import ce_bounds_demonstration, ce_limit_demonstration, cross_entropy
from .dead_relu import SGDTrace, dead_relu_demonstration, leaky_relu_demonstration, train_two_layer
from .descent import descent_bound_demonstration
from .divergence import least_squares_divergence_demonstration, univariate_divergence_demonstration
from .max_derivative import max_derivative_demonstration
from .quantile import (
    check_loss,
    empirical_quantile,
    empirical_risk,
    population_check_loss_minimiser,
    quantile_demonstration,
)
from .sigmoid_tanh import forward, random_network, sigmoid_tanh_demonstration, sigmoid_to_tanh, tanh_to_sigmoid

__all__ = [
    "DEMONSTRATIONS",
    "Counterexample",
    "Demonstration",
    "Evidence",
    "SGDTrace",
    "ce_bounds_demonstration",
    "ce_limit_demonstration",
    "check_loss",
    "cross_entropy",
    "dead_relu_demonstration",
    "demonstrate",
    "descent_bound_demonstration",
    "empirical_quantile",
    "empirical_risk",
    "forward",
    "leaky_relu_demonstration",
    "least_squares_divergence_demonstration",
    "max_derivative_demonstration",
    "population_check_loss_minimiser",
    "quantile_demonstration",
    "random_network",
    "relu_idempotence_demonstration",
    "sigmoid_tanh_demonstration",
    "sigmoid_to_tanh",
    "softplus_lipschitz_demonstration",
    "tanh_to_sigmoid",
    "train_two_layer",
    "univariate_divergence_demonstration",
]

#: Question id (as in corpus/labels.yaml, prefixed by the assignment) → demonstration.
DEMONSTRATIONS: dict[str, Callable[..., Demonstration]] = {
    "ama564-a1/2": quantile_demonstration,
    "ama564-a1/2-population": population_check_loss_minimiser,
    "ama564-a1/3": descent_bound_demonstration,
    "ryu-hw1/2": univariate_divergence_demonstration,
    "ryu-hw1/3": least_squares_divergence_demonstration,
    "ryu-hw3/3a": ce_bounds_demonstration,
    "ryu-hw3/3b": ce_limit_demonstration,
    "ryu-hw3/4": max_derivative_demonstration,
    "ryu-hw3/5a": relu_idempotence_demonstration,
    "ryu-hw3/5b": softplus_lipschitz_demonstration,
    "ryu-hw3/5c": sigmoid_tanh_demonstration,
    "ryu-hw3/6": dead_relu_demonstration,
    "ryu-hw3/7": leaky_relu_demonstration,
}


def demonstrate(question: str, **options: Any) -> Demonstration:
    """Run the demonstration registered for ``question`` (e.g. ``"ryu-hw3/5c"``) with its keyword options."""
    if question not in DEMONSTRATIONS:
        raise InputError(f"no demonstration for {question!r}; known: {', '.join(DEMONSTRATIONS)}", "question")
    function = DEMONSTRATIONS[question]
    accepted = inspect.signature(function).parameters
    unknown = sorted(set(options) - set(accepted))
    if unknown:
        raise InputError(f"unknown option(s) {', '.join(unknown)} for {question}; allowed: {', '.join(accepted)}",
                         "options")
    return function(**options)
