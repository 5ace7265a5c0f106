"""Per-student variants: numbers of a spec that differ from student to student, chosen reproducibly.

A spec lists what varies under ``variants``::

    variants:
      seed: 2024
      vary:
        - {name: x1, question: 1b, field: x.0, range: [-2, 2], step: 0.5}
        - {name: lr, question: "4", field: step_sizes.0, choices: [0.1, 0.2, 0.25]}

``field`` is a dotted path inside the question's data (list positions are numbers); ``{{x1}}`` in any text
of the spec (prompts, statements, model answers) shows the student's value. Each student's value is picked
by hashing (seed, assignment, student id, name) — no random generator whose sequence could change between
Python versions — so the same roster and seed give the same variants anywhere, and the truth each student
is graded against is the truth of their own numbers (every variant is re-validated and solved as a spec).
"""

from __future__ import annotations

import hashlib
import re
from fractions import Fraction
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

if TYPE_CHECKING:  # for annotations only: spec.py imports this module, never the other way round
    from chainrule.assignments.spec import Assignment

MAX_VALUES = 10_000
MAX_DIGITS = 30


def _finite_number(value: int | float | str) -> int | float | str:
    from chainrule.engine.exact import to_rational
    from chainrule.errors import InputError

    try:
        number = to_rational(value)
    except InputError as error:
        raise ValueError(error.message) from None
    if max(abs(int(number.p)), int(number.q)) >= 10**MAX_DIGITS:
        raise ValueError(f"numerator and denominator of at most {MAX_DIGITS} digits")
    return value


Number = Annotated[int | float | str, AfterValidator(_finite_number)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
_NAME = r"[A-Za-z][A-Za-z0-9_]{0,30}"
_PLACEHOLDER = re.compile(r"\{\{\s*(" + _NAME + r")\s*\}\}")


class Vary(_Model):
    """One varying number: where it is, and the values it may take (``choices``, or ``range`` with ``step``)."""

    name: str = Field(pattern=f"^{_NAME}$", description="Placeholder name: {{name}} in texts shows the value.")
    question: str = Field(description="The id of the question whose data holds the number.")
    field: str = Field(pattern=r"^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+){0,8}$",
                       description="Dotted path inside the question, e.g. x.0 or layers.0.W.1.0.")
    choices: list[Number] | None = Field(default=None, min_length=1, max_length=MAX_VALUES)
    range: tuple[Number, Number] | None = Field(default=None, description="[low, high], both included.")
    step: Number | None = Field(default=None, description="Spacing of the range's values (default 1).")

    @model_validator(mode="after")
    def _one_kind(self) -> Vary:
        if (self.choices is None) == (self.range is None):
            raise ValueError("give either choices or range")
        if self.range is not None:
            values = self.values()
            if not values:
                raise ValueError("the range holds no value (low must not exceed high)")
        return self

    def values(self) -> list[Fraction]:
        """Every value this number may take, exactly."""
        if self.choices is not None:
            return [_exact(value) for value in self.choices]
        assert self.range is not None
        low, high = (_exact(value) for value in self.range)
        step = _exact(self.step if self.step is not None else 1)
        if step <= 0:
            raise ValueError("step must be positive")
        count = int((high - low) / step) + 1 if high >= low else 0
        if count > MAX_VALUES:
            raise ValueError(f"more than {MAX_VALUES} values in the range")
        return [low + k * step for k in range(count)]


class Variants(_Model):
    seed: int = Field(default=0, ge=0, le=2**63 - 1, description="Change it to give every student new numbers.")
    vary: list[Vary] = Field(min_length=1, max_length=100)

    @model_validator(mode="after")
    def _unique_names(self) -> Variants:
        names = [item.name for item in self.vary]
        if len(set(names)) != len(names):
            raise ValueError("each varying number needs its own name")
        return self


def _exact(value: Any) -> Fraction:
    from chainrule.engine.exact import to_rational

    number = to_rational(value)
    return Fraction(int(number.p), int(number.q))


def number_text(value: Fraction) -> str:
    """An exact value as a spec writes it: ``3``, ``-0.25``, or ``1/3`` when it has no finite decimal."""
    if value.denominator == 1:
        return str(value.numerator)
    denominator, twos, fives = value.denominator, 0, 0
    while denominator % 2 == 0:
        denominator, twos = denominator // 2, twos + 1
    while denominator % 5 == 0:
        denominator, fives = denominator // 5, fives + 1
    if denominator != 1:
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    scaled = value.numerator * 10**places // value.denominator
    sign, digits = ("-" if scaled < 0 else ""), str(abs(scaled)).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def check_paths(assignment: Assignment) -> None:
    """Every ``vary`` entry names a question and a number inside it (called when a spec is validated)."""
    if assignment.variants is None:
        return
    questions = {question.id: question for question in assignment.questions}
    for item in assignment.variants.vary:
        if item.question not in questions:
            raise ValueError(f"variants: {item.name}: no question {item.question!r}")
        data = questions[item.question].model_dump(mode="python")
        container, last = _locate(data, item.field, item.name)
        if isinstance(container[last], bool) or not isinstance(container[last], int | float | str):
            raise ValueError(f"variants: {item.name}: {item.question}.{item.field} is not a number")


def _locate(data: Any, field: str, name: str) -> tuple[Any, Any]:
    parts = field.split(".")
    current = data
    for index, part in enumerate(parts):
        key: Any = int(part) if isinstance(current, list) and part.isdigit() else part
        try:
            if index == len(parts) - 1:
                current[key]
                return current, key
            current = current[key]
        except (KeyError, IndexError, TypeError):
            raise ValueError(f"variants: {name}: no field {field!r} in the question") from None
    raise ValueError(f"variants: {name}: empty field")


def student_values(assignment: Assignment, student: str) -> dict[str, Fraction]:
    """This student's value of every varying number (the same for the same seed, spec id and student id)."""
    if assignment.variants is None:
        return {}
    values: dict[str, Fraction] = {}
    for item in assignment.variants.vary:
        options = item.values()
        key = f"{assignment.variants.seed}\0{assignment.id}\0{student}\0{item.name}".encode()
        index = int.from_bytes(hashlib.sha256(key).digest()[:8], "big") % len(options)
        values[item.name] = options[index]
    return values


def default_values(assignment: Assignment) -> dict[str, str]:
    """The numbers the spec itself holds at each varying place (what ``{{name}}`` shows outside a variant)."""
    if assignment.variants is None:
        return {}
    questions = {question.id: question for question in assignment.questions}
    shown = {}
    for item in assignment.variants.vary:
        container, last = _locate(questions[item.question].model_dump(mode="python"), item.field, item.name)
        shown[item.name] = number_text(_exact(container[last]))
    return shown


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def variant_for(assignment: Assignment, student: str) -> tuple[Assignment, dict[str, str]]:
    """The student's own assignment (numbers put in, texts filled in, re-validated) and the values chosen."""
    chosen = {name: number_text(value) for name, value in student_values(assignment, student).items()}
    if not chosen:
        return assignment, {}
    data = assignment.model_dump(mode="python", exclude_none=True)
    positions = {question["id"]: index for index, question in enumerate(data["questions"])}
    for item in assignment.variants.vary if assignment.variants else ():
        container, last = _locate(data["questions"][positions[item.question]], item.field, item.name)
        container[last] = chosen[item.name]
    return type(assignment).model_validate(_filled(data, chosen)), chosen


def _filled(data: Any, values: dict[str, str]) -> Any:
    if isinstance(data, str):
        return fill_placeholders(data, values)
    if isinstance(data, dict):
        return {key: _filled(value, values) for key, value in data.items()}
    if isinstance(data, list):
        return [_filled(value, values) for value in data]
    return data
