"""The `decision-aid` commands (setup.cfg's console script is cli.main:main)."""
