"""`decision-aid review ...`: the reviewer's packet, a sign-off, each scope's review status
(docs/development.md)."""

import datetime
import sys

from decision_aid.cli.common import iso_date, write_pdf


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
        return write_pdf(args.output, render_packet(language, today=today, folder=None))
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
        from decision_aid.guidance.engine import build_provenance
        from decision_aid.text import i18n

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


def add_parser(sub):
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
        command.add_argument("--date", type=iso_date, help="YYYY-MM-DD (default: today)")
        command.add_argument(
            "--signoffs", help="the folder of the sign-off records (default: decision_aid/signoffs)"
        )
    review.set_defaults(func=cmd_review)
