"""The `decision-aid` command. Each subcommand is a small function; `main` only parses."""

import argparse
import datetime
import json
import sys

from decision_aid.cli.common import app_store, close_stores, iso_date, load_answers, write_pdf
from decision_aid.cli.review import add_parser as add_review_parser


def cmd_serve(args):
    from decision_aid import create_app

    app = create_app()
    # Request lines are not logged (they can hold a resume token), so say where to look here.
    print(f"decision_aid: serving on http://{args.host}:{args.port}/ (Ctrl+C to stop)", flush=True)
    app.run(host=args.host, port=args.port, debug=False, load_dotenv=False)
    return 0


def cmd_render(args):
    """Validate and evaluate an answers file, write the PDF. Exit code 0 done, 2 invalid input
    (one line per problem, no traceback), 1 the PDF could not be written. CLINIC_NAME,
    CLINIC_LOGO, PAPER and CLINIC_TZ come from the environment, read as the web app reads them."""
    from decision_aid.clinic.clock import today_in, zone
    from decision_aid.config.settings import config_from_env
    from decision_aid.guidance import ValidationError, evaluate
    from decision_aid.pdf import PAPERS, reference_for, render_summary_pdf

    config = config_from_env(instance_path=".")  # the instance path is not used here
    paper = args.paper or config["PAPER"]
    if paper not in PAPERS:
        print(f"PAPER: must be one of {', '.join(PAPERS)}, not {paper!r}", file=sys.stderr)
        return 2
    try:
        clinic_zone = zone(config["CLINIC_TZ"])
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    today = args.today or today_in(clinic_zone)  # only the command line reads the clock
    answered = args.answered or today
    if answered > today:
        print("--answered: cannot be after the date of the summary (--today)", file=sys.stderr)
        return 2
    try:
        answers = load_answers(args.answers)
        result = evaluate(answers, today)
    except ValidationError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 2
    data = render_summary_pdf(
        answers,
        result,
        reference=reference_for(answers),
        today=today,
        answered=answered,
        clinic_name=config["CLINIC_NAME"],
        clinic_logo=config["CLINIC_LOGO"] or None,
        paper=paper,
        sources_url=args.sources_url or "",
    )
    return write_pdf(args.output, data)


def cmd_guidance(args):
    from decision_aid.guidance import ValidationError, result_for
    from decision_aid.summary import format_text

    today = args.today or datetime.date.today()  # only the command line reads the clock
    try:
        result = result_for(load_answers(args.answers), today)
    except ValidationError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        print(format_text(result), end="")
    return 0


def cmd_rules(args):
    from decision_aid.guidance import rules_markdown

    print(rules_markdown(), end="")
    return 0


def cmd_schema(args):
    """The JSON Schema of the answers document, generated from the questionnaire."""
    from decision_aid.schema import schema_text

    sys.stdout.write(schema_text())
    return 0


def _read_password(prompt="Password: "):
    """From the terminal (asked twice), or one line on stdin when it is not a terminal."""
    import getpass

    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(prompt)
    if getpass.getpass("The same password again: ") != first:
        print("The two passwords are not the same.", file=sys.stderr)
        return None
    return first


def cmd_staff(args):
    from decision_aid.staff.passwords import hash_password, password_problem

    _app, store = app_store()
    if args.staff_command == "list":
        for account in store.list_staff():
            state = "active" if account.active else "disabled"
            last = account.last_sign_in_at
            last = last.strftime("%Y-%m-%d %H:%M UTC") if last else "never signed in"
            print(f"{account.email}\t{state}\t{last}")
        return 0
    email = args.email.strip().lower()
    if args.staff_command in ("disable", "enable"):
        if not store.set_staff_active(email, args.staff_command == "enable"):
            print(f"No staff account for {email}.", file=sys.stderr)
            return 1
        print(f"{email}: {args.staff_command}d.")
        return 0
    exists = store.staff_by_email(email) is not None
    if args.staff_command == "add" and exists:
        print(f"There is already an account for {email}.", file=sys.stderr)
        return 1
    if args.staff_command == "password" and not exists:
        print(f"No staff account for {email}.", file=sys.stderr)
        return 1
    if "@" not in email or len(email) > 254:
        print("That does not look like an email address.", file=sys.stderr)
        return 2
    password = _read_password()
    if password is None:
        return 2
    problem = password_problem(password)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    if args.staff_command == "add":
        store.add_staff(email, hash_password(password))
        print(f"{email}: account added.")
    else:
        store.set_staff_password(email, hash_password(password))
        print(f"{email}: password changed.")
    return 0


def cmd_purge(args):
    app, store = app_store()
    if args.days is None:
        days, source = app.config["RETENTION_DAYS"], "RETENTION_DAYS"
    else:
        days, source = args.days, "--days"
    if days < 1:  # 0 or less would delete every set of answers, even one saved a moment ago
        print(f"{source} must be at least 1 (days), not {days}. Nothing deleted.", file=sys.stderr)
        return 2
    from decision_aid.pdf import cache as pdf_cache
    from decision_aid.store import APPOINTMENT_GRACE_DAYS
    from decision_aid.web import limits

    outcome = store.purge(days, max_days=app.config["MAX_RETENTION_DAYS"])
    limits.forget_old(store, app=app)
    pdf_cache.drop_missing(app, store)
    print(
        f"Deleted {outcome.submissions} set(s) of answers older than {days} days "
        f"({len(outcome.sent)} sent to the clinic; a sent summary is kept until "
        f"{APPOINTMENT_GRACE_DAYS} days after its appointment, at most MAX_RETENTION_DAYS, "
        f"{app.config['MAX_RETENTION_DAYS']} days)."
    )
    return 0


def cmd_db(args):
    from decision_aid.store import current_revision

    # Making the app runs the migrations up to the newest: once per deployment, before the web
    # workers start (deploy/decision-aid.service), which then only check (DB_UPGRADE=0).
    _app, store = app_store({"DB_UPGRADE": True})
    print(f"Database schema at revision {current_revision(store.engine)}.")
    return 0


def build_parser():
    parser = argparse.ArgumentParser(prog="decision-aid", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve the questionnaire (development server)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5000)
    serve.set_defaults(func=cmd_serve)

    guidance = sub.add_parser("guidance", help="print the guidance for an answers JSON file")
    guidance.add_argument("answers", metavar="ANSWERS.json", help='answers file ("-" for stdin)')
    guidance.add_argument("--today", type=iso_date, help="date as YYYY-MM-DD (default: today)")
    guidance.add_argument("--format", choices=("json", "text"), default="json")
    guidance.set_defaults(func=cmd_guidance)

    rules = sub.add_parser("rules", help="print the guidance rule table")
    rules.add_argument("--format", choices=("markdown",), default="markdown")
    rules.set_defaults(func=cmd_rules)

    schema = sub.add_parser("schema", help="print the JSON Schema of the answers document")
    schema.set_defaults(func=cmd_schema)

    render = sub.add_parser("render", help="write the PDF summary for an answers file")
    render.add_argument("answers", help='answers JSON file ("-" for stdin)')
    render.add_argument("-o", "--output", required=True, help="the PDF file to write")
    render.add_argument("--today", type=iso_date, help="the date of the summary (YYYY-MM-DD)")
    render.add_argument(
        "--answered",
        type=iso_date,
        help="when the patient last changed the answers (YYYY-MM-DD; default: --today)",
    )
    render.add_argument("--paper", choices=("a4", "letter"), help="default: PAPER or a4")
    render.add_argument(
        "--sources-url", help="the service's /sources page, for the link and QR code on the PDF"
    )
    render.set_defaults(func=cmd_render)
    add_review_parser(sub)
    staff = sub.add_parser("staff", help="manage clinic staff accounts")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True)
    add = staff_sub.add_parser("add", help="add an account (asks for the password)")
    add.add_argument("email")
    staff_sub.add_parser("list", help="list the accounts")
    disable = staff_sub.add_parser("disable", help="stop an account from signing in")
    disable.add_argument("email")
    enable = staff_sub.add_parser("enable", help="let a disabled account sign in again")
    enable.add_argument("email")
    password = staff_sub.add_parser("password", help="set a new password (asks for it)")
    password.add_argument("email")
    staff.set_defaults(func=cmd_staff)

    purge = sub.add_parser("purge", help="delete answers older than RETENTION_DAYS (run daily)")
    purge.add_argument("--days", type=int, help="at least 1; default: RETENTION_DAYS (30)")
    purge.set_defaults(func=cmd_purge)

    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser(
        "upgrade", help="apply the migrations (once per deployment; DB_UPGRADE in docs)"
    )
    db.set_defaults(func=cmd_db)

    from decision_aid.cli import fhir as cli_fhir
    from decision_aid.cli import quality as cli_quality

    cli_fhir.add_parsers(sub, iso_date)
    cli_quality.add_parsers(sub, iso_date)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    finally:
        close_stores()


if __name__ == "__main__":
    sys.exit(main())
