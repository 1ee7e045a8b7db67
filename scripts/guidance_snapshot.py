"""A snapshot of the guidance for many answers, to prove that a refactoring changes no output.

    .venv/bin/python scripts/guidance_snapshot.py inputs /tmp/inputs.json [--count 3000]
    .venv/bin/python scripts/guidance_snapshot.py run /tmp/inputs.json /tmp/before.jsonl
    ... change the code ...
    .venv/bin/python scripts/guidance_snapshot.py run /tmp/inputs.json /tmp/after.jsonl
    cmp /tmp/before.jsonl /tmp/after.jsonl

`inputs` writes a fixed population once: the census grid (scripts/guidance_census.py) on a few
dates, and `--count` documents drawn by the Hypothesis strategies of the tests
(tests/answers_strategies.py: any valid document, on any date), with a fixed seed. `run` puts
each through the engine in every language, and writes each whole result (items, their clinic
wording, options, scores, facts, questions to ask, sources, provenance) and its urgent codes."""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))

CENSUS_DATES = ("2026-12-05", "2027-01-15", "2026-06-30")


def _drawn(count: int) -> list[dict]:
    from answers_strategies import valid_documents
    from hypothesis import HealthCheck, given, settings

    drawn: list[dict] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(valid_documents())
    def collect(document):
        answers, today = document
        drawn.append({"answers": answers, "today": today.isoformat()})

    collect()
    return drawn


def make_inputs(path: Path, count: int) -> int:
    from guidance_census import grid

    inputs = []
    for day in CENSUS_DATES:
        today = datetime.date.fromisoformat(day)
        inputs += [{"answers": answers, "today": day} for _h, _p, answers in grid(today)]
    inputs += _drawn(count)
    path.write_text(json.dumps(inputs, ensure_ascii=False, sort_keys=True))
    return len(inputs)


def run(inputs_path: Path, out: Path) -> int:
    from decision_aid.guidance import ValidationError, result_for, urgent_codes
    from decision_aid.text import i18n

    inputs = json.loads(inputs_path.read_text())
    results = []
    for entry in inputs:
        today = datetime.date.fromisoformat(entry["today"])
        for language in i18n.LANGUAGES:
            with i18n.using(language):
                try:
                    result = result_for(entry["answers"], today)
                except ValidationError as error:
                    results.append({"problems": error.problems})
                    continue
                results.append({"result": result.to_json(), "urgent": urgent_codes(result)})
    # One line per input and language, so that `diff` names the inputs that changed.
    out.write_text(
        "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in results)
    )
    return len(inputs)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("inputs", help="write the population of answers")
    make.add_argument("path", type=Path)
    make.add_argument("--count", type=int, default=3000, help="Hypothesis documents to draw")
    go = commands.add_parser("run", help="write the guidance of every input")
    go.add_argument("inputs", type=Path)
    go.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if args.command == "inputs":
        print(f"{make_inputs(args.path, args.count)} answers documents written to {args.path}")
    else:
        print(f"{run(args.inputs, args.out)} answers documents, guidance written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
