"""Golden test of the Markdown renderer."""

from __future__ import annotations

import pytest
from solution_sample import sample_solution

from chainrule.reports.solution_markdown import MarkdownSolutionRenderer, solution_markdown

GOLDEN = """\
# Demo assignment

*tests* — assignment `demo`

Conventions: gradients have the shape of the variable.

## Question 1a — A derivative (1 mark)

> Differentiate $x^2$.

*checked automatically*

### Solution

**Power rule.** Bring the exponent down.

$$ f'(x) = 2x^{1} $$

<sub>power rule; shape (1×1)</sub>

### Answer

$$\\boxed{f'(x) = 2x}$$

![The curve $x^2$.](img/q1a.png)

*The curve $x^2$.*

## Question 2

> Why <b>?

*graded by a person*

### Rubric

- says why

*Note.* Common mistake.
"""


def test_markdown_golden() -> None:
    assert solution_markdown(sample_solution(), image_prefix="img/") == GOLDEN


def test_unknown_setting_is_rejected() -> None:
    with pytest.raises(TypeError, match="colour"):
        MarkdownSolutionRenderer(colour="red")
