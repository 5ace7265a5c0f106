"""``chainrule schema``: the JSON Schema of assignment spec files (for editors and validators)."""

from __future__ import annotations

from chainrule.cli.conventions import Output, emit


def schema(output: Output = None) -> None:
    """Print the JSON Schema that assignment spec YAML files follow."""
    from chainrule.assignments.spec import assignment_json_schema
    from chainrule.reports.jsonout import dumps

    emit(dumps(assignment_json_schema()), output)
