import json

from typer.testing import CliRunner

from chainrule.cli.app import app

runner = CliRunner()

DOC = """header: kept
---

Good $a = W^{(1)}x$ and bad $\\frac{1}{2$ and $b = 1$.
"""


def test_stats_lists_each_failure_with_its_place_and_the_counts(tmp_path):
    path = tmp_path / "hw.md"
    path.write_text(DOC, encoding="utf-8")
    result = runner.invoke(app, ["parse", str(path), "--stats"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().split("\n")
    assert lines == [f"{path}:4:38: unbalanced brace: it is never closed", "spans: 3 parsed: 2 failed: 1"]


def test_without_stats_every_span_is_shown(tmp_path):
    path = tmp_path / "hw.md"
    path.write_text(DOC, encoding="utf-8")
    result = runner.invoke(app, ["parse", str(path)])
    assert f"{path}:4:7: a = W^(1) x" in result.output
    assert result.output.strip().endswith("spans: 3 parsed: 2 failed: 1")


def test_expr_json_prints_the_tree_with_shapes():
    result = runner.invoke(app, ["parse", "--expr", "\\mathbf{x}^\\top \\mathbf{x}", "--json"])
    assert result.exit_code == 0, result.output
    tree = json.loads(result.output)
    assert tree["type"] == "Mul" and tree["shape"] == ["1", "1"]
    assert tree["factors"][0]["type"] == "Transpose"


def test_bad_expression_is_one_located_line_and_exit_2():
    result = runner.invoke(app, ["parse", "--expr", "a + \\foo"])
    assert result.exit_code == 2
    assert "line 1, col 5: unknown command \\foo" in result.output
    assert "Traceback" not in result.output


def test_binary_and_missing_files_are_input_errors(tmp_path):
    junk = tmp_path / "junk.md"
    junk.write_bytes(b"\x00\xff\xfe binary")
    assert runner.invoke(app, ["parse", str(junk)]).exit_code == 2
    assert runner.invoke(app, ["parse", str(tmp_path / "missing.md")]).exit_code == 2
    assert runner.invoke(app, ["parse"]).exit_code == 2


def test_tex_files_are_read_from_the_document_body(tmp_path):
    path = tmp_path / "hw.tex"
    path.write_text("\\documentclass{article}\n\\begin{document}\n$a = 1$ and \\[ b = \\frac{1}{2} \\]\n"
                    "\\end{document}\n", encoding="utf-8")
    result = runner.invoke(app, ["parse", str(path), "--json"])
    assert result.exit_code == 0, result.output
    spans = json.loads(result.output)
    assert [(s["location"]["line"], s["tree"]["type"]) for s in spans] == [(3, "Chain"), (3, "Chain")]
