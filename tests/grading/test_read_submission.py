import pytest

from chainrule.errors import InputError
from chainrule.grading.grade import read_submission


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"\x00\x01binary", "binary"), ("caf\xe9".encode("latin-1"), "not UTF-8")],
)
def test_a_submission_that_is_not_text_is_refused_with_its_reason(tmp_path, content, reason):
    path = tmp_path / "hw.md"
    path.write_bytes(content)
    with pytest.raises(InputError, match=f"cannot read submission: .*{reason}"):
        read_submission(path)


def test_a_device_is_refused_before_reading():
    with pytest.raises(InputError, match="not a regular file"):
        read_submission("/dev/zero")


def test_a_text_submission_is_read(tmp_path):
    path = tmp_path / "hw.md"
    path.write_text("$x = 1$\n", encoding="utf-8")
    assert read_submission(path) == "$x = 1$\n"
