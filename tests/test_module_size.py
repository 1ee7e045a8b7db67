"""No module of decision_aid/ is over 350 lines (issue 29): a newcomer reads a module whole, and
a long one is a sign it does two things. Split it by what it does, never to pass this test."""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "decision_aid"
MAX_LINES = 350


def too_long(root):
    """(path, lines) of each Python module under `root` over MAX_LINES lines."""
    found = []
    for path in sorted(root.rglob("*.py")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            found.append((str(path.relative_to(root)), lines))
    return found


def test_the_check_finds_a_long_module(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "long.py").write_text("x = 1\n" * (MAX_LINES + 1), encoding="utf-8")
    (tmp_path / "short.py").write_text("x = 1\n" * MAX_LINES, encoding="utf-8")
    assert too_long(tmp_path) == [(str(Path("sub", "long.py")), MAX_LINES + 1)]


def test_no_module_is_over_350_lines():
    assert len(list(PACKAGE.rglob("*.py"))) > 50, "too few modules found: the path is wrong"
    assert not too_long(PACKAGE), f"split these by what they do: {too_long(PACKAGE)}"
