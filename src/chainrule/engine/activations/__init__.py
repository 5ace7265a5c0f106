"""The activation registry: one place to add an activation function.

``get_activation("leaky_relu", a="0.01")`` builds one by name (or alias) with exact parameters. Each activation
knows its SymPy definition and derivative (with the value PyTorch uses at a kink) and evaluates itself exactly
on SymPy vectors, in floats on NumPy arrays and differentiably on PyTorch tensors; the tests check every
registered one against autograd, finite differences and SymPy's own ``diff``.

:mod:`.base` holds the classes and the registry; :mod:`.classic` the activations of the first courses (ReLU,
sigmoid, tanh, softplus, GELU, ELU, softmax); :mod:`.modern` the newer ones (SiLU/Swish, Mish, SELU, Hardtanh,
ReLU6, softsign, GELU's tanh form). Importing this package registers them all.
"""

from chainrule.engine.activations import classic, modern  # noqa: F401  (registers the activations)
from chainrule.engine.activations.base import (
    MAX_PARAMETER_DIGITS,
    POSITIVE,
    UNIT_OPEN,
    Activation,
    ElementwiseActivation,
    X,
    activation_names,
    canonical_name,
    describe_domain,
    get_activation,
    numeric,
    parameter,
    parameter_names,
    register,
)
from chainrule.engine.activations.classic import Softmax

__all__ = [
    "MAX_PARAMETER_DIGITS",
    "POSITIVE",
    "UNIT_OPEN",
    "Activation",
    "ElementwiseActivation",
    "Softmax",
    "X",
    "activation_names",
    "canonical_name",
    "describe_domain",
    "get_activation",
    "numeric",
    "parameter",
    "parameter_names",
    "register",
]
