"""``chainrule schema``: the JSON Schema of assignment spec files (for editors and validators)."""

from __future__ import annotations

import json

import typer


def schema() -> None:
    """Print the JSON Schema that assignment spec YAML files follow."""
    from chainrule.assignments.spec import assignment_json_schema

    typer.echo(json.dumps(assignment_json_schema(), indent=2, ensure_ascii=False))
