"""`decision-aid fhir ...` and `decision-aid api-token ...` (docs/fhir.md). The FHIR commands
need no database: they read FHIR_BASE_URL as the web app does, and the question data."""

import datetime
import json
import sys


def _canon():
    from decision_aid import fhir
    from decision_aid.config.settings import config_from_env

    return fhir.Canon.from_base(config_from_env(instance_path=".")["FHIR_BASE_URL"])


def _print_json(resource, output=None):
    text = json.dumps(resource, indent=2, ensure_ascii=False) + "\n"
    if output in (None, "-"):
        sys.stdout.write(text)
        return 0
    try:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        print(f"{output}: cannot write ({error.strerror})", file=sys.stderr)
        return 1
    return 0


def _read_json(path, what):
    """The parsed file, or None after printing why not."""
    from decision_aid.cli.common import read_json

    try:
        return read_json(path)
    except OSError as error:
        print(f"{what}: cannot read {path}: {error.strerror}", file=sys.stderr)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        print(f"{what}: {path} is not JSON text ({error})", file=sys.stderr)
    return None


def _aware(text):
    moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def cmd_fhir(args):
    from decision_aid import fhir
    from decision_aid.cli.common import load_answers
    from decision_aid.guidance import ValidationError, validate
    from decision_aid.questions import load_questionnaire

    canon, questionnaire = _canon(), load_questionnaire()
    if args.fhir_command == "questionnaire":
        return _print_json(fhir.questionnaire(canon, questionnaire))
    if args.fhir_command == "codesystem":
        return _print_json(fhir.codesystem(canon, questionnaire))
    today = args.today or datetime.date.today()  # only the command line reads the clock
    if args.fhir_command == "response":
        try:
            answers = load_answers(args.answers)
            problems = validate(answers, today)
        except ValidationError as error:
            problems = error.problems
        if problems:
            for problem in problems:
                print(problem, file=sys.stderr)
            return 2
        left_out = set(answers) - set(fhir.canonical_answers(questionnaire, answers))
        for name in sorted(left_out):
            message = f"{name}: left out (no answer, not a question, or its question is skipped)"
            print(message, file=sys.stderr)
        resource = fhir.questionnaire_response(
            canon,
            questionnaire,
            answers,
            authored=args.authored or datetime.datetime.now(datetime.UTC),
            status=args.status,
            reference=args.reference,
        )
        return _print_json(resource, args.output)
    resource = _read_json(args.response, "response")
    if resource is None:
        return 2
    try:
        answers = fhir.answers_from_response(canon, questionnaire, resource, today)
    except fhir.ImportProblems as error:
        for line in fhir.outcome_lines(error.issues):
            print(line, file=sys.stderr)
        return 2
    return _print_json(answers, args.output)


def cmd_api_token(args):
    from decision_aid.cli.common import app_store
    from decision_aid.fhir import tokens as api_tokens

    _app, store = app_store()
    if args.token_command == "list":
        for token in api_tokens.list_tokens(store):
            state = "active" if token.active else f"revoked {token.revoked_at:%Y-%m-%d %H:%M UTC}"
            last = token.last_used_at
            last = f"last used {last:%Y-%m-%d %H:%M UTC}" if last else "never used"
            print(f"{token.name}\t{state}\tmade {token.created_at:%Y-%m-%d}\t{last}")
        return 0
    if args.token_command == "revoke":
        if not api_tokens.revoke(store, args.name):
            print(f"No active token called {args.name}.", file=sys.stderr)
            return 1
        print(f"{args.name}: revoked. Requests with it now get 401.")
        return 0
    try:
        token = api_tokens.add(store, args.name)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    print(token)
    print(
        f"API token {args.name} made. This is the only time it is shown: store it in the "
        "record system now. Send it as 'Authorization: Bearer <token>'.",
        file=sys.stderr,
    )
    return 0


def add_parsers(sub, iso_date):
    fhir = sub.add_parser("fhir", help="FHIR R4: the Questionnaire, responses, import")
    fhir_sub = fhir.add_subparsers(dest="fhir_command", required=True)
    fhir_sub.add_parser("questionnaire", help="print the FHIR Questionnaire")
    fhir_sub.add_parser("codesystem", help="print the CodeSystem of the answer codes")
    response = fhir_sub.add_parser("response", help="print an answers file as a response")
    response.add_argument("answers", metavar="ANSWERS.json", help='answers file ("-" for stdin)')
    response.add_argument("-o", "--output", help="write it here instead of standard output")
    response.add_argument(
        "--authored", type=_aware, help="when the patient finished (ISO 8601; default: now)"
    )
    response.add_argument("--status", choices=("completed", "in-progress"), default="completed")
    response.add_argument("--reference", help="the reference code, as ABCD-EFGH")
    response.add_argument("--today", type=iso_date, help="date as YYYY-MM-DD (default: today)")
    reader = fhir_sub.add_parser("import", help="turn a QuestionnaireResponse into answers")
    reader.add_argument("response", metavar="RESPONSE.json", help='response ("-" for stdin)')
    reader.add_argument("-o", "--output", required=True, help='answers file to write ("-")')
    reader.add_argument("--today", type=iso_date, help="date as YYYY-MM-DD (default: today)")
    fhir.set_defaults(func=cmd_fhir)

    token = sub.add_parser("api-token", help="API tokens for the FHIR read API")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    add = token_sub.add_parser("add", help="make a token (shown once)")
    add.add_argument("name", help="who uses it, e.g. epic-prod")
    token_sub.add_parser("list", help="list the tokens (never the tokens themselves)")
    revoke = token_sub.add_parser("revoke", help="revoke a token: it stops working at once")
    revoke.add_argument("name")
    token.set_defaults(func=cmd_api_token)
