"""The shared answer scales (scales.yaml): a question names one with `scale:` instead of listing
its options, and may change the words of some values with `relabel:`."""

from pathlib import Path

import yaml

SCALES_FILE = Path(__file__).parent / "scales.yaml"
RELABEL_KEYS = {"label", "short", "hint"}


def read_scales(path, fail):
    """name -> the raw option list of each scale. `fail(where, message)` reports a mistake."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        fail(Path(path).name, f"not valid YAML: {exc}")
    if not isinstance(data, dict) or not data:
        fail(Path(path).name, "must be a mapping of scale names to option lists")
    return data


def scale_options(raw, scales, where, fail):
    """The raw option list of a question that names a scale, with its relabels applied."""
    name = raw["scale"]
    if "options" in raw:
        fail(f"{where}.scale", "a question has either a scale or options, not both")
    if name not in scales:
        fail(f"{where}.scale", f"unknown scale '{name}'; use one of {sorted(scales)}")
    options = [dict(option) for option in scales[name]]
    relabel = raw.get("relabel") or {}
    if not isinstance(relabel, dict):
        fail(f"{where}.relabel", "must be a mapping of values to new words")
    by_value = {str(option.get("value")): option for option in options}
    for value, words in relabel.items():
        if str(value) not in by_value:
            fail(f"{where}.relabel.{value}", f"not a value of the scale '{name}'")
        if not isinstance(words, dict) or not set(words) <= RELABEL_KEYS or not words:
            fail(f"{where}.relabel.{value}", f"must set some of {sorted(RELABEL_KEYS)}")
        by_value[str(value)].update(words)
    return options
