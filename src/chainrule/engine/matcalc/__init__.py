"""Matrix calculus with symbolic sizes: gradients and Jacobians with their worked steps, in either layout.

Build expressions from :func:`vector`, :func:`matrix`, :func:`scalar` and operators (``x.T @ (A @ x + z)``),
then ask for :func:`gradient` or :func:`jacobian`. Every answer is a :class:`Derivative` holding the tidy
value (LaTeX, text, SymPy), its :class:`Step` list and a NumPy evaluator. :func:`two_layer_network` solves
NYU DL HW1's network; :func:`solve_problem` the named questions of Prof. You's and Ryu's homework.
"""

from .compare import Comparison, compare_expressions
from .diff import Derivative, Layout, Step, depends_on, gradient, jacobian, shape_trace, substitute
from .evaluate import evaluate, infer_sizes, random_bindings, random_sizes, to_sympy
from .expr import (
    Add,
    Apply,
    Diag,
    Expr,
    Hadamard,
    Identity,
    MatMul,
    Ones,
    Scale,
    SqNorm,
    Symbol,
    Transpose,
    Zero,
    matrix,
    row_vector,
    scalar,
    size_symbol,
    symbols_in,
    vector,
)
from .functions import FUNCTIONS, UnsupportedExpression
from .network import (
    NYU_VARIANTS,
    ActivationChoice,
    Answer,
    Change,
    LayerRow,
    TwoLayerSolution,
    allowed_only,
    compare_variants,
    two_layer_network,
)
from .printing import entry_latex, to_latex, to_text
from .problems import PROBLEMS, MatcalcProblem, problem_keys, solve_problem
from .simplify import simplify

__all__ = [
    "FUNCTIONS",
    "NYU_VARIANTS",
    "PROBLEMS",
    "ActivationChoice",
    "Add",
    "Answer",
    "Apply",
    "Change",
    "Comparison",
    "Derivative",
    "Diag",
    "Expr",
    "Hadamard",
    "Identity",
    "LayerRow",
    "Layout",
    "MatMul",
    "MatcalcProblem",
    "Ones",
    "Scale",
    "SqNorm",
    "Step",
    "Symbol",
    "Transpose",
    "TwoLayerSolution",
    "UnsupportedExpression",
    "Zero",
    "allowed_only",
    "compare_expressions",
    "compare_variants",
    "depends_on",
    "entry_latex",
    "evaluate",
    "gradient",
    "infer_sizes",
    "jacobian",
    "matrix",
    "problem_keys",
    "random_bindings",
    "random_sizes",
    "row_vector",
    "scalar",
    "shape_trace",
    "simplify",
    "size_symbol",
    "solve_problem",
    "substitute",
    "symbols_in",
    "to_latex",
    "to_sympy",
    "to_text",
    "two_layer_network",
    "vector",
]
