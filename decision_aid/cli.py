"""The `decision-aid` command. Each subcommand is a small function; `main` only parses."""

import argparse
import datetime
import json
import sys


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
    from decision_aid import config_from_env
    from decision_aid.clinic_time import today_in, zone
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
    try:
        with open(args.output, "wb") as handle:
            handle.write(data)
    except OSError as error:
        print(f"{args.output}: cannot write the PDF ({error.strerror})", file=sys.stderr)
        return 1
    return 0


def _iso_date(text):
    import datetime

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


def cmd_review(args):
    """The reviewer's packet, a sign-off, or each scope's review status (docs/development.md)."""
    from pathlib import Path

    from decision_aid.review import signoff

    if args.signoffs:  # this process reads and writes the records there (tests, a dry run)
        signoff.SIGNOFF_DIR = Path(args.signoffs)
        signoff.clear_cache()
    today = args.date or datetime.date.today()  # only the command line reads the clock
    if args.review_command == "packet":
        from decision_aid.review.packet import render_packet

        language = args.language
        if language is not None and language not in signoff.scopes()[1:]:
            print(f"--language: one of {', '.join(signoff.scopes()[1:])}", file=sys.stderr)
            return 2
        data = render_packet(language, today=today, folder=None)
        try:
            with open(args.output, "wb") as handle:
                handle.write(data)
        except OSError as error:
            print(f"{args.output}: cannot write the PDF ({error.strerror})", file=sys.stderr)
            return 1
        return 0
    if args.review_command == "sign":
        try:
            record = signoff.sign(
                args.scope,
                args.name,
                args.role,
                today,
                folder=None,
                only=args.message,
                safety_only=args.safety_critical,
            )
        except ValueError as error:
            print(error, file=sys.stderr)
            return 2
        signed = record.get("texts") or record["signatures"][-1]["messages"]
        where = signoff.record_path(args.scope)
        print(f"Signed {len(signed)} texts of {args.scope} for {args.name} ({args.role}): {where}")
    for scope in signoff.scopes() if args.review_command == "status" else (args.scope,):
        print(_status_line(signoff.review(scope)))
    if args.review_command == "status":
        from decision_aid import i18n
        from decision_aid.guidance.engine import build_provenance

        print(f"Shown (en): {build_provenance().statement}")
        for language in signoff.scopes()[1:]:
            with i18n.using(language):
                print(f"Shown ({language}): {build_provenance().translation}")
    return 0


def _status_line(review):
    from decision_aid.review.packet import status_words

    counts = f"{review.signed} of {review.total} signed"
    if review.scope != "content":
        counts += f", safety-critical {review.safety_signed} of {review.safety_total}"
    changed = f"; changed since the sign-off: {len(review.changed)}" if review.changed else ""
    return f"{review.scope}: {status_words(review)} ({counts}{changed}; hash {review.hash[:12]})"


def cmd_schema(args):
    """The JSON Schema of the answers document, generated from the questionnaire."""
    from decision_aid.schema import schema_text

    sys.stdout.write(schema_text())
    return 0


def _app_store(config=None):
    """The app's configuration and store, so that the command line uses the same database and
    settings (DATABASE_URL, INSTANCE_PATH) as the web app; making the store also runs the
    migrations (unless DB_UPGRADE is off: then the schema must be up to date). Only those are
    made (`decision_aid.base_app`): not the web pages, the questionnaire or the PDF renderer."""
    from decision_aid import base_app
    from decision_aid.store import get_store

    app = base_app(config)
    _stores.append(get_store(app))
    return app, get_store(app)


_stores = []  # the stores a command made: their connections are closed when it ends


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

    _app, store = _app_store()
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
    app, store = _app_store()
    if args.days is None:
        days, source = app.config["RETENTION_DAYS"], "RETENTION_DAYS"
    else:
        days, source = args.days, "--days"
    if days < 1:  # 0 or less would delete every set of answers, even one saved a moment ago
        print(f"{source} must be at least 1 (days), not {days}. Nothing deleted.", file=sys.stderr)
        return 2
    from decision_aid import limits
    from decision_aid.pdf import cache as pdf_cache
    from decision_aid.store import APPOINTMENT_GRACE_DAYS

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
    _app, store = _app_store({"DB_UPGRADE": True})
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
    guidance.add_argument("--today", type=_iso_date, help="date as YYYY-MM-DD (default: today)")
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
    render.add_argument("--today", type=_iso_date, help="the date of the summary (YYYY-MM-DD)")
    render.add_argument(
        "--answered",
        type=_iso_date,
        help="when the patient last changed the answers (YYYY-MM-DD; default: --today)",
    )
    render.add_argument("--paper", choices=("a4", "letter"), help="default: PAPER or a4")
    render.add_argument(
        "--sources-url", help="the service's /sources page, for the link and QR code on the PDF"
    )
    render.set_defaults(func=cmd_render)
    _add_review_parser(sub)
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
        "upgrade", help="apply the migrations (once per deployment; see DB_UPGRADE in README)"
    )
    db.set_defaults(func=cmd_db)

    from decision_aid import cli_fhir, cli_quality

    cli_fhir.add_parsers(sub, _iso_date)
    cli_quality.add_parsers(sub, _iso_date)
    return parser


def _add_review_parser(sub):
    review = sub.add_parser("review", help="the reviewer's packet and the recorded sign-offs")
    review_sub = review.add_subparsers(dest="review_command", required=True)
    packet = review_sub.add_parser("packet", help="write the reviewer's packet (PDF)")
    packet.add_argument("--language", help="a translation's packet: es or zh_Hans")
    packet.add_argument("-o", "--output", required=True, help="the PDF file to write")
    sign = review_sub.add_parser("sign", help="record that a clinician checked a scope")
    sign.add_argument("--scope", required=True, help="content, es or zh_Hans")
    sign.add_argument("--name", required=True, help="the clinician's name")
    sign.add_argument("--role", required=True, help='their role, e.g. "consultant neurologist"')
    sign.add_argument(
        "--message",
        action="append",
        metavar="ID",
        help="a language's batch: sign only this message id (or ids starting with it); repeatable",
    )
    sign.add_argument(
        "--safety-critical",
        action="store_true",
        help="a language's batch: sign only its safety-critical messages",
    )
    review_sub.add_parser("status", help="the review status of each scope")
    for command in (packet, sign, review_sub.choices["status"]):
        command.add_argument("--date", type=_iso_date, help="YYYY-MM-DD (default: today)")
        command.add_argument(
            "--signoffs", help="the folder of the sign-off records (default: decision_aid/signoffs)"
        )
    review.set_defaults(func=cmd_review)


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    finally:
        while _stores:
            _stores.pop().engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
