"""What written notation means, decided once for both routes — ``check`` (symbolic, SymPy) and ``grade``
(numeric, NumPy) — so they never disagree about what a line says.

* :mod:`.reading` — a document's math read once: parsed with the function names it (and its assignment)
  declares, and interpreted;
* :mod:`.forms` — forms whose meaning is not their shape on the page: transposes and positive parts written as
  powers, iterates written as powers, scientific notation, compositions, shape annotations;
* :mod:`.functions` — what a function name means where it is read: the document's definition, then the
  assignment's (the question's ``f``/``g``, the activation its prompt calls σ), then the common meaning;
* :mod:`.conditions` — case conditions in the words around a claim (``for $x < 0$``), where the claim holds;
* :mod:`.names` — a written name's identity (in the document; against the assignment's quantities);
* :mod:`.resolve` — which of the spec's quantities a name stands for in one question.
"""

from chainrule.grading.meaning.conditions import Condition, condition_of
from chainrule.grading.meaning.forms import (
    COMPOSE,
    DocumentForms,
    interpret,
    is_shape_statement,
    iterated_bases,
    reads_as_exponent_notation,
    statement_shape,
    without_argument,
    without_words,
)
from chainrule.grading.meaning.functions import (
    ACTIVATION_KEYS,
    ELEMENTARY,
    STRUCTURAL,
    FunctionMeaning,
    declared_by,
    document_functions,
    function_key,
    question_functions,
    resolve_function,
)
from chainrule.grading.meaning.names import (
    LOSS_NAMES,
    declared_shape,
    derivative_key,
    entry_indices,
    is_loss_name,
    quantity_key,
    symbol_key,
    zero_based,
)
from chainrule.grading.meaning.reading import ReadMath, ReadSpan, declared_function_names, read_math, reader_options
from chainrule.grading.meaning.resolve import TRUTH_PREFIX, Resolver, alias_keys, output_resolver, resolver

__all__ = [
    "ACTIVATION_KEYS",
    "COMPOSE",
    "ELEMENTARY",
    "LOSS_NAMES",
    "STRUCTURAL",
    "TRUTH_PREFIX",
    "Condition",
    "DocumentForms",
    "FunctionMeaning",
    "ReadMath",
    "ReadSpan",
    "Resolver",
    "alias_keys",
    "condition_of",
    "declared_by",
    "declared_function_names",
    "declared_shape",
    "derivative_key",
    "document_functions",
    "entry_indices",
    "function_key",
    "interpret",
    "is_loss_name",
    "is_shape_statement",
    "iterated_bases",
    "output_resolver",
    "quantity_key",
    "question_functions",
    "read_math",
    "reader_options",
    "reads_as_exponent_notation",
    "resolve_function",
    "resolver",
    "statement_shape",
    "symbol_key",
    "without_argument",
    "without_words",
    "zero_based",
]
