"""The assignment spec: what an assignment asks, and how the truth of each question is obtained.

An assignment is a YAML file validated once, at load, into these pydantic models; code further down
(solvers, graders, reports) trusts them and does not check again. ``chainrule schema`` prints the
JSON Schema of :class:`Assignment`.

Nothing in a spec is ever evaluated as code. Formulas shown to people are LaTeX strings (the reader
parses them later, as it parses submissions); formulas the engine must compute with are structured
data: activation names from the registry, numbers (exact rationals through
:func:`chainrule.engine.exact.to_rational`), matrices as lists of rows, and small expression trees
(:data:`ExprTree`) for matrix calculus.

How a grader gets each question's truth, by ``type`` (the discriminator of :data:`Question`):

``activation_derivative``
    The registry activation (``chainrule.engine.activations.get_activation``) with the listed
    parameters gives the derivative; its limits at ±∞ are SymPy limits under the parameter
    assumptions. The solver (``chainrule.assignments.solvers``) states both as answers
    ``derivative``, ``limit_pos_inf``, ``limit_neg_inf`` (``jacobian`` for vector-valued ones).
``mlp_numeric``
    An exact forward and backward pass of the given network on the given sample: answers ``f``
    (the output), every intermediate (``a1``, ``h1``, ...) and ``dL/d<param>`` for every weight and
    bias, all exact rationals.
``symbolic_backprop``
    The two-layer network ``Linear1 → f → Linear2 → g`` with the named activations and loss; the
    answers are formulas over ``allowed_symbols`` in the assignment's layout, with shapes over the
    named sizes. ``chainrule.assignments.solvers.backprop.network(question)`` gives the engine's
    ``TwoLayerSolution``, whose ``evaluate(point)`` turns every answer into numbers at a random point, so a
    grader can compare a claim numerically.
``matrix_gradient``
    The gradient of ``function.tree`` with respect to ``with_respect_to``, given the shapes of the
    symbols, in the assignment's layout.
``gd_dynamics``
    Gradient descent on the one-parameter least-squares problem ``y = x w``: iterates per step
    size, the oscillation and convergence conditions on the step size.
``parameter_count`` / ``training_experiment``
    Parameter count of the fully connected widths; the experiment's setup (and, when run, its
    final loss and plot). Discussion parts carry a rubric for a person.
``proof``
    Graded by a person with ``rubric``; ``demonstration`` names a check in
    ``chainrule.engine.demonstrations`` (the claim on concrete instances, and a wrong claim it catches).
``conceptual``
    Graded by a person with ``rubric`` and ``model_answer``; ``misconceptions`` are known wrong
    patterns a grader may flag automatically (``pattern`` is literal text matched case-insensitively).

Each question also says how its heading looks in a submission (``headings``: literal label forms
such as ``"1(a)(1)"``); :func:`heading_key` normalises both sides so ``"1 (a) (1)"``, ``"1a.1"`` and
``"1(a)1"`` agree.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from chainrule.assignments.variants import Variants, check_paths

MAX_NUMBER_DIGITS = 30
"""Numerators and denominators of spec numbers have at most this many digits: ``1e-9999`` is a 10 000-digit
integer that no printer or solver handles in reasonable time, and no assignment needs more than a few."""


def _bounded_number(value: int | float | str) -> int | float | str:
    """Reject what ``to_rational`` cannot read, and numbers too long to compute with, when the spec is loaded.

    A string that is an identifier stays: it names a parameter (``params: {a: a}``).
    """
    from chainrule.engine.exact import to_rational
    from chainrule.errors import InputError

    if isinstance(value, str) and _IDENT.fullmatch(value):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**MAX_NUMBER_DIGITS:
        raise ValueError(f"a number of at most {MAX_NUMBER_DIGITS} digits, got one of {len(str(abs(value)))}")
    try:
        number = to_rational(value)
    except InputError as error:
        raise ValueError(error.message) from None
    if max(abs(int(number.p)), int(number.q)) >= 10**MAX_NUMBER_DIGITS:
        raise ValueError(f"numerator and denominator of at most {MAX_NUMBER_DIGITS} digits, got {str(value)[:40]}")
    return value


Number = Annotated[int | float | str, AfterValidator(_bounded_number)]
Width = Annotated[int, Field(ge=1, le=10**9)]
MAX_MARKS = 10_000
"""Marks of one question: more is a typo (or an attack on totals), never a real weighting."""
MAX_SIZE = 10**6
"""A size in a shape: a positive integer up to a million, or a name such as ``n``."""


def _size(value: int | str) -> int | str:
    if isinstance(value, str):
        if not _IDENT.fullmatch(value):
            raise ValueError(f"a size is a positive integer or a name such as n, got {value!r}")
        return value
    if isinstance(value, bool) or not 1 <= value <= MAX_SIZE:
        raise ValueError(f"a size is an integer between 1 and {MAX_SIZE:,}, got {value!r}")
    return value


Size = Annotated[int | str, AfterValidator(_size)]
MAX_LAYERS = 100
"""A number as YAML gives it: ``0.33``, ``-16/5`` or ``"1e-3"``; converted exactly with ``to_rational``."""

ExprTree = str | int | float | list[Any]
"""A structured expression: a symbol name, a number, or ``[op, arg, ...]`` with ``op`` one of
``add sub mul div matmul T neg pow norm2 exp log cos sin tanh``. Used where the engine must compute, never
parsed from text. Size names used in ``shapes`` (``m``) may appear as scalars (``["div", 1, ["mul", 2, "m"]]``)."""

EXPR_OPERATORS = frozenset(
    {"add", "sub", "mul", "div", "matmul", "T", "neg", "pow", "norm2", "exp", "log", "cos", "sin", "tanh"}
)
_IDENT = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}")
_MAX_TREE_DEPTH = 20
_MAX_TEXT = 20_000


class SpecModel(BaseModel):
    """Base of every spec object: unknown fields are errors, so a misspelt key is reported, not ignored."""

    # inf and NaN are refused in every float field (marks: .inf would make totals and JSON meaningless)
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def heading_key(text: str) -> str:
    """Normalise a question label for comparison: lowercase letters and digits only.

    ``"1 (a) (1)"``, ``"1a.1"``, ``"1(a)1"`` all become ``"1a1"``; ``"Problem 5(a)"`` becomes ``"problem5a"``.
    """
    return re.sub(r"[^0-9a-z]", "", text.lower())


class SymbolAlias(SpecModel):
    """One mathematical object and the ways people write it (``W^{(1)}``, ``W_1``, ``W1``, ``w^1``)."""

    name: str = Field(description="Canonical name used in structured data, e.g. 'W1'.")
    tex: str = Field(description="How the assignment typesets it, e.g. 'W^{(1)}'.")
    aliases: list[str] = Field(default_factory=list, description="Other spellings seen in submissions.")
    shape: tuple[Size, Size] | None = Field(default=None, description="(rows, cols); sizes may be names.")


class Conventions(SpecModel):
    """The notational choices an answer is judged under."""

    layout: Literal["numerator", "denominator"] = Field(
        default="numerator",
        description="Matrix-calculus layout: numerator makes dl/dW of a K×m W an m×K matrix and dl/dy a row; "
        "denominator makes gradients the shape of the variable.",
    )
    squared_loss: Literal["half_squared", "squared", "mean_squared", "half_mean_squared"] = Field(
        default="half_squared",
        description="What 'squared loss' means here: (f-y)^2/2, ||f-y||^2, mean of squares, or half the mean.",
    )
    relu_derivative_at_zero: Literal[0, 1, "undefined"] = Field(
        default=0, description="The value used for ReLU'(0) when an answer needs one."
    )
    symbols: list[SymbolAlias] = Field(default_factory=list)


class Parameter(SpecModel):
    """A symbolic constant of a question (``a ∈ (0, 1)``, ``β > 0``) and what is assumed about it."""

    name: str
    tex: str | None = None
    lower: Number | None = None
    upper: Number | None = None
    lower_open: bool = True
    upper_open: bool = True

    @field_validator("name")
    @classmethod
    def _identifier(cls, value: str) -> str:
        if not _IDENT.fullmatch(value):
            raise ValueError(f"parameter names are identifiers (letters, digits, _), got {value!r}")
        return value


class ActivationRef(SpecModel):
    """An activation from the engine's registry, with parameter values (numbers or parameter names)."""

    name: str = Field(description="Registry name or alias: sigmoid, tanh, relu, leaky_relu, softplus, softmax, gelu.")
    params: dict[str, Number] = Field(
        default_factory=dict,
        description="Registry parameters, e.g. {a: 0.01} (leaky ReLU slope) or {beta: 1}; a name "
        "listed in the question's parameters keeps it symbolic.",
    )
    scale: Number = Field(default=1, description="A constant factor in front, e.g. 5 for f = 5 ReLU.")
    tex: str | None = Field(default=None, description="The definition as the assignment writes it.")


class QuestionBase(SpecModel):
    id: str = Field(description="The assignment's own id, e.g. '1a.1', '1.2c', '5b'.")
    title: str | None = None
    marks: float | None = Field(default=None, ge=0, le=MAX_MARKS)
    prompt: str = Field(description="The question in the spec author's words (Markdown with $LaTeX$).")
    headings: list[str] = Field(
        default_factory=list,
        description="Label forms a submission uses for this question's heading, compared with heading_key().",
    )
    section: str | None = Field(
        default=None,
        description="Enclosing section label ('1.2') for submissions with nested headings: a heading matching "
        "the section followed by a part heading matching one of `headings` ('(a)', 'a)') names this question.",
    )
    keywords: list[Annotated[str, Field(max_length=60)]] = Field(
        default_factory=list,
        max_length=40,
        description="Words and quantities the question is about, as students write them ('BCE', 'cross-entropy', "
        "'softargmax'): with the title and prompt they let a grader find the answer in a submission that numbers "
        "it its own way or not at all.",
    )

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z.()_-]{0,19}", value):
            raise ValueError(f"question ids are short labels such as '1a.1' or '1.2c', got {value!r}")
        return value

    @field_validator("prompt")
    @classmethod
    def _bounded(cls, value: str) -> str:
        if len(value) > _MAX_TEXT:
            raise ValueError(f"text longer than {_MAX_TEXT} characters")
        return value

    def heading_keys(self) -> set[str]:
        """Normalised heading forms, including the id itself."""
        return {heading_key(label) for label in [self.id, *self.headings]} - {""}

    def matches_heading(self, label: str, section: str | None = None) -> bool:
        """Whether a heading label found in a submission (``"1 (a) (1)"``) names this question.

        ``section`` is the enclosing heading seen before it (``"1.2 Regression Task"`` → pass ``"1.2"``);
        a bare part label such as ``"(a)"`` only matches inside the question's own section.
        """
        key = heading_key(label)
        if key not in self.heading_keys():
            return False
        if self.section is None or key in {heading_key(self.id), heading_key(f"{self.section}{label}")}:
            return True
        if key.startswith(heading_key(self.section)):
            return True
        return section is not None and heading_key(section) == heading_key(self.section)


class ActivationDerivativeQuestion(QuestionBase):
    """Derivative of activation functions and, where asked, its limits at ±∞ (or its Jacobian)."""

    type: Literal["activation_derivative"]
    activations: list[ActivationRef] = Field(min_length=1)
    parameters: list[Parameter] = Field(default_factory=list)
    asks: list[Literal["derivative", "limits", "jacobian", "plot"]] = Field(default_factory=lambda: ["derivative"])


class Layer(SpecModel):
    W: list[list[Number]] = Field(description="Weight matrix as a list of rows.")
    b: list[Number] = Field(description="Bias vector.")
    activation: ActivationRef | None = Field(default=None, description="None for an affine output layer.")

    @model_validator(mode="after")
    def _fits(self) -> Layer:
        widths = {len(row) for row in self.W}
        if not self.W or len(widths) != 1 or 0 in widths:
            raise ValueError("W must be a non-empty list of rows of equal length")
        if len(self.b) != len(self.W):
            raise ValueError(f"b has {len(self.b)} entries but W has {len(self.W)} rows")
        return self


class MlpNumericQuestion(QuestionBase):
    """Forward value and backpropagated gradients of a small network at given numbers."""

    type: Literal["mlp_numeric"]
    layers: list[Layer] = Field(min_length=1)
    x: list[Number]
    y: list[Number]
    loss: Literal["half_squared", "squared", "mean_squared", "half_mean_squared"] = "half_squared"
    names: dict[str, str] = Field(
        default_factory=dict,
        description="Names for the intermediates as the assignment uses them, e.g. {a1: a, h1: h}.",
    )

    @model_validator(mode="after")
    def _chain_fits(self) -> MlpNumericQuestion:
        width = len(self.x)
        for index, layer in enumerate(self.layers):
            if len(layer.W[0]) != width:
                raise ValueError(f"layers[{index}].W has {len(layer.W[0])} columns but its input has {width} entries")
            width = len(layer.W)
        if len(self.y) != width:
            raise ValueError(f"y has {len(self.y)} entries but the network outputs {width}")
        return self


class SymbolicBackpropQuestion(QuestionBase):
    """Formulas for the forward pass, the backward pass or the local Jacobians of ``Linear1 → f → Linear2 → g``."""

    type: Literal["symbolic_backprop"]
    f: ActivationRef
    g: ActivationRef
    loss: Literal["mse_sum", "bce_mean"] = Field(
        description="mse_sum: ||ŷ - y||²; bce_mean: (1/K) Σ -[y log ŷ + (1-y) log(1-ŷ)]."
    )
    sizes: dict[Literal["n", "m", "K"], str] = Field(
        default_factory=lambda: {"n": "n", "m": "m", "K": "K"},
        description="Names of the input, hidden and output sizes.",
    )
    asks: list[Literal["forward", "gradients", "jacobians"]] = Field(min_length=1)
    allowed_symbols: list[str] = Field(
        default_factory=list, description="Symbols an answer may use (canonical names from conventions.symbols)."
    )


def _check_plain_numbers(value: Any, depth: int = 0) -> None:
    """Every number inside free-form options (lists, mappings) is finite and of a sane size."""
    if depth > _MAX_TREE_DEPTH:
        raise ValueError("options nested too deeply")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"numbers must be finite, got {value!r}")
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 10**MAX_NUMBER_DIGITS:
        raise ValueError(f"a number of at most {MAX_NUMBER_DIGITS} digits, got {value:.3g}")
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for item in items:
        _check_plain_numbers(item, depth + 1)


def _check_tree(tree: Any, depth: int = 0) -> None:
    if depth > _MAX_TREE_DEPTH:
        raise ValueError("expression tree nested too deeply")
    if isinstance(tree, bool):
        raise ValueError("booleans are not expressions")
    if isinstance(tree, int | float):
        _bounded_number(tree)
        return
    if isinstance(tree, str):
        if not _IDENT.fullmatch(tree):
            raise ValueError(f"symbol names are identifiers, got {tree!r}")
        return
    if isinstance(tree, list) and tree and isinstance(tree[0], str) and tree[0] in EXPR_OPERATORS:
        for argument in tree[1:]:
            _check_tree(argument, depth + 1)
        return
    raise ValueError(f"expected a symbol, a number or [op, args...] with op in {sorted(EXPR_OPERATORS)}, got {tree!r}")


class StructuredFunction(SpecModel):
    """A function shown as LaTeX and computed from a structured tree."""

    tex: str
    tree: ExprTree

    @field_validator("tree")
    @classmethod
    def _valid_tree(cls, value: ExprTree) -> ExprTree:
        _check_tree(value)
        return value


class MatrixGradientQuestion(QuestionBase):
    """Gradient of a scalar function of vectors and matrices, with a shape check."""

    type: Literal["matrix_gradient"]
    function: StructuredFunction
    output: str = Field(default="f", description="Name of the function's value (f, L).")
    with_respect_to: str
    shapes: dict[str, tuple[Size, Size]] = Field(description="Every symbol's (rows, cols).")

    @model_validator(mode="after")
    def _variable_has_shape(self) -> MatrixGradientQuestion:
        if self.with_respect_to not in self.shapes:
            raise ValueError(f"with_respect_to {self.with_respect_to!r} has no entry in shapes")
        for name in self.shapes:
            if not _IDENT.fullmatch(name):
                raise ValueError(f"shapes: symbol names are identifiers, got {name!r}")
        return self


class GdDynamicsQuestion(QuestionBase):
    """Gradient descent on ``L(w) = c (x w - y)²`` from ``w0``: iterates, oscillation, convergence."""

    type: Literal["gd_dynamics"]
    x: Number
    y: Number
    w0: Number = 0
    loss: Literal["half_squared", "squared"] = "half_squared"
    step_sizes: list[Number] = Field(default_factory=list, description="Step sizes whose runs are shown.")
    steps: int = Field(default=8, ge=1, le=200, description="Iterates shown per step size.")
    tolerance: Number = Field(default=1, description="Stop when |w - w*| < tolerance.")
    asks: list[Literal["iterates", "conditions", "proof"]] = Field(min_length=1)
    rubric: list[str] = Field(default_factory=list)


class ParameterCountQuestion(QuestionBase):
    type: Literal["parameter_count"]
    widths: list[Width] = Field(min_length=2, max_length=MAX_LAYERS)
    biases: bool = True


class TrainingExperimentQuestion(QuestionBase):
    """A small PyTorch experiment: fit ``target`` with an MLP; optional parameter count and discussion."""

    type: Literal["training_experiment"]
    target: StructuredFunction = Field(description="The function fitted, in x.")
    widths: list[Width] = Field(min_length=2, max_length=MAX_LAYERS)
    activation: ActivationRef
    epochs: int = Field(ge=1, le=100_000)
    step_size: Number
    batch_size: int = Field(ge=1, le=10**7)
    data_points: int = Field(ge=1, le=10**7)
    init_weight_std: Number = 1
    init_bias: Number = 0
    label_noise_std: Number = 0
    loss: Literal["half_squared", "squared", "mean_squared", "half_mean_squared"] = "half_mean_squared"
    seed: int = Field(default=0, ge=0, le=2**32 - 1, description="Random seed (NumPy and PyTorch accept 32 bits).")
    asks: list[Literal["plot", "parameter_count", "discussion"]] = Field(default_factory=lambda: ["plot"])
    rubric: list[str] = Field(default_factory=list)
    model_answer: str | None = None


class Demonstration(SpecModel):
    """A numeric check that illustrates a proof (not a proof): ``name`` is an id in
    ``chainrule.engine.demonstrations.DEMONSTRATIONS`` (``"ryu-hw3/5c"``), ``params`` its keyword options."""

    name: str
    params: dict[str, Any] = Field(default_factory=dict)

    @field_validator("params")
    @classmethod
    def _finite(cls, value: dict[str, Any]) -> dict[str, Any]:
        _check_plain_numbers(value)
        return value


class ProofQuestion(QuestionBase):
    type: Literal["proof"]
    statement: str = Field(description="What is to be shown, in LaTeX/Markdown.")
    rubric: list[str] = Field(min_length=1)
    model_answer: str
    demonstration: Demonstration | None = None


class Misconception(SpecModel):
    pattern: str = Field(description="Literal text (case-insensitive) that signals the misconception.")
    note: str = Field(description="Why it is wrong, in words a student can use.")


class ConceptualQuestion(QuestionBase):
    type: Literal["conceptual"]
    rubric: list[str] = Field(min_length=1)
    model_answer: str
    misconceptions: list[Misconception] = Field(default_factory=list)


Question = Annotated[
    ActivationDerivativeQuestion
    | MlpNumericQuestion
    | SymbolicBackpropQuestion
    | MatrixGradientQuestion
    | GdDynamicsQuestion
    | ParameterCountQuestion
    | TrainingExperimentQuestion
    | ProofQuestion
    | ConceptualQuestion,
    Field(discriminator="type"),
]

QUESTION_TYPES: tuple[str, ...] = (
    "activation_derivative",
    "mlp_numeric",
    "symbolic_backprop",
    "matrix_gradient",
    "gd_dynamics",
    "parameter_count",
    "training_experiment",
    "proof",
    "conceptual",
)


class SectionInfo(SpecModel):
    """A titled group of questions ("1.2 Regression Task"): students who number the groups their own way
    ("Problem 1: Regression Task", "3 Regression Task") still name them by title."""

    label: str = Field(description="The group's label, the common start of its question ids ('1.2', '5').")
    title: str = Field(max_length=200, description="The group's title as the assignment prints it.")
    keywords: list[Annotated[str, Field(max_length=60)]] = Field(default_factory=list, max_length=40)


class Assignment(SpecModel):
    """An assignment: identity, conventions and its questions in order."""

    id: str = Field(description="Short id used on the command line, e.g. 'ama564-a1'.")
    title: str
    source: str = Field(description="Where the assignment comes from (course, year).")
    conventions: Conventions = Field(default_factory=Conventions)
    sections: list[SectionInfo] = Field(
        default_factory=list, max_length=100, description="Titled groups of questions, when the assignment has them."
    )
    questions: list[Question] = Field(min_length=1)
    variants: Variants | None = Field(
        default=None, description="Numbers that differ per student (see chainrule.assignments.variants)."
    )

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", value):
            raise ValueError(f"assignment ids are lowercase slugs such as 'ama564-a1', got {value!r}")
        return value

    @model_validator(mode="after")
    def _variants_point_at_numbers(self) -> Assignment:
        check_paths(self)
        return self

    @model_validator(mode="after")
    def _unique_ids(self) -> Assignment:
        seen: set[str] = set()
        for question in self.questions:
            if question.id in seen:
                raise ValueError(f"question id {question.id!r} appears twice")
            seen.add(question.id)
        return self

    @model_validator(mode="after")
    def _sections_hold_questions(self) -> Assignment:
        keys = [heading_key(question.id) for question in self.questions]
        for section in self.sections:
            if not any(key.startswith(heading_key(section.label)) for key in keys):
                raise ValueError(f"section {section.label!r} is the start of no question id")
        return self

    def question(self, question_id: str) -> QuestionBase:
        """The question with this id (raises KeyError naming the known ids)."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(f"no question {question_id!r}; known: {', '.join(q.id for q in self.questions)}")

    def symbol_aliases(self) -> dict[str, str]:
        """Every spelling (canonical, tex, aliases) → canonical name."""
        table: dict[str, str] = {}
        for symbol in self.conventions.symbols:
            for spelling in [symbol.name, symbol.tex, *symbol.aliases]:
                table[spelling] = symbol.name
        return table


def assignment_json_schema() -> dict[str, Any]:
    """The JSON Schema of a spec file (what ``chainrule schema`` prints)."""
    return Assignment.model_json_schema()
