"""The package declares what it ships (issue 29): every folder of decision_aid/ is a package in
setup.cfg (so `pip install` has no "Package would be ignored" warning), and every file git holds
there is Python or matched by a package_data pattern (so an installed app has its templates,
questions, catalogs and migrations)."""

import fnmatch
import subprocess
from pathlib import Path

from setuptools.config.setupcfg import read_configuration

ROOT = Path(__file__).resolve().parent.parent


def options():
    return read_configuration(str(ROOT / "setup.cfg"))["options"]


def test_every_folder_of_the_package_is_declared():
    found = options()["packages"]
    folders = {
        ".".join(path.relative_to(ROOT).parts)
        for path in (ROOT / "decision_aid").rglob("*")
        if path.is_dir() and "__pycache__" not in path.parts
    } | {"decision_aid"}
    assert folders - set(found) == set()


def test_every_data_file_is_shipped():
    patterns = options()["package_data"]["decision_aid"]
    tracked = subprocess.run(
        ["git", "ls-files", "decision_aid"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    unshipped = [
        name
        for name in tracked
        if not name.endswith(".py")
        and not any(
            fnmatch.fnmatch(name.removeprefix("decision_aid/"), pattern) for pattern in patterns
        )
    ]
    assert unshipped == []
