"""What the `decision-aid` commands share (decision_aid.cli.main, cli_fhir, cli_review): dates and
JSON files from the command line, and the app's store, closed when a command ends."""

import argparse
import datetime
import json
import sys


def iso_date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date as YYYY-MM-DD: {text!r}") from None


def read_json(path):
    """The JSON in a file ("-" for stdin). Raises OSError, UnicodeDecodeError or
    json.JSONDecodeError; each command words them its own way."""
    if path == "-":
        return json.load(sys.stdin)
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def write_pdf(path, data):
    """Write PDF bytes to `path`; the exit status: 0, or 1 with a line on stderr."""
    try:
        with open(path, "wb") as handle:
            handle.write(data)
    except OSError as error:
        print(f"{path}: cannot write the PDF ({error.strerror})", file=sys.stderr)
        return 1
    return 0


def load_answers(path):
    """Read an answers JSON file ("-" for stdin). Raises ValidationError if it cannot be read."""
    from decision_aid.guidance import ValidationError

    try:
        return read_json(path)
    except OSError as error:
        raise ValidationError([f"answers: cannot read {path}: {error.strerror}"]) from None
    except UnicodeDecodeError:
        raise ValidationError([f"answers: {path} is not UTF-8 text"]) from None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise ValidationError([f"answers: not valid JSON ({error.msg} at {where})"]) from None


def app_store(config=None):
    """The app's configuration and store, so that the command line uses the same database and
    settings (DATABASE_URL, INSTANCE_PATH) as the web app; making the store also runs the
    migrations (unless DB_UPGRADE is off: then the schema must be up to date). Only those are
    made (`decision_aid.base_app`): not the web pages, the questionnaire or the PDF renderer."""
    from decision_aid import base_app
    from decision_aid.store import get_store

    app = base_app(config)
    STORES.append(get_store(app))
    return app, get_store(app)


STORES = []  # the stores a command made: their connections are closed when it ends


def close_stores():
    while STORES:
        STORES.pop().engine.dispose()
