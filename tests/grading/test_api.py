import subprocess
import sys

import chainrule.grading as grading


def test_every_public_name_resolves_to_the_module_that_defines_it():
    from chainrule.grading.batch import grade_many
    from chainrule.grading.check import check_document
    from chainrule.grading.grade import grade_file, grade_text
    from chainrule.grading.split import split_submission

    assert sorted(grading.__all__) == grading.__all__
    for name in grading.__all__:
        assert getattr(grading, name) is not None, name
    assert (grading.check_document, grading.grade_text, grading.grade_file) == (check_document, grade_text, grade_file)
    assert (grading.grade_many, grading.split_submission) == (grade_many, split_submission)


def test_the_result_model_loads_without_the_computer_algebra():
    code = "import sys, chainrule.grading as g; g.Finding; print('sympy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_an_unknown_name_is_an_attribute_error():
    try:
        grading.no_such_thing  # noqa: B018
    except AttributeError as error:
        assert "no_such_thing" in str(error)
    else:
        raise AssertionError("expected AttributeError")
