"""No dead code in decision_aid/ (issue 29): vulture finds nothing at 80 % confidence. A name used
only from outside (a library's call signature) goes in tests/vulture_whitelist.py, with why."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_vulture_finds_no_dead_code():
    found = subprocess.run(
        [sys.executable, "-m", "vulture", "decision_aid", "tests/vulture_whitelist.py"]
        + ["--min-confidence", "80"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert found.stdout == "" and found.returncode == 0, found.stdout + found.stderr
