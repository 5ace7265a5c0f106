"""``chainrule schema`` prints the spec's JSON Schema."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from chainrule.cli.app import app


def test_schema_is_json_with_the_question_types() -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "Assignment"
    assert {"id", "title", "source", "questions"} <= set(schema["required"])
    mapping = schema["properties"]["questions"]["items"]["discriminator"]["mapping"]
    assert set(mapping) == {"activation_derivative", "mlp_numeric", "symbolic_backprop", "matrix_gradient",
                            "gd_dynamics", "parameter_count", "training_experiment", "proof", "conceptual"}
