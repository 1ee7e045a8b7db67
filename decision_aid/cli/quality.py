"""`decision-aid feedback export` (patients' feedback for the development record) and, with
clinic.report, `decision-aid report` (the clinic's report of counts): issue 31. Both read
the app's database as the web app does."""

import csv
import json
import sys

from decision_aid.store import COMMAND_LINE


def cmd_feedback(args):
    from decision_aid.cli.common import app_store

    _app, store = app_store()
    entries = store.feedback_entries(since=args.since, until=args.until)
    store.audit(COMMAND_LINE, "feedback_exported")
    if args.format == "json":
        rows = [
            {"given_on": e.given_on.isoformat(), "language": e.language, "text": e.text}
            for e in entries
        ]
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return 0
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["given_on", "language", "text"])
    for e in entries:
        writer.writerow([e.given_on.isoformat(), e.language, e.text])
    return 0


def cmd_report(args):
    from decision_aid.cli.common import app_store
    from decision_aid.clinic.report import build_report

    app, store = app_store()
    if args.since > args.until:
        print("--from must be on or before --to.", file=sys.stderr)
        return 2
    records = store.report_records(args.since, args.until)
    store.audit(COMMAND_LINE, "report_exported", detail=f"{args.since} to {args.until}")
    report = build_report(records, args.since, args.until)
    sys.stdout.write(report.csv() if args.format == "csv" else report.text())
    return 0


def add_parsers(sub, iso_date):
    report = sub.add_parser("report", help="the clinic's report: counts only, no names or codes")
    report.add_argument("--from", dest="since", type=iso_date, required=True, help="YYYY-MM-DD")
    report.add_argument("--to", dest="until", type=iso_date, required=True, help="YYYY-MM-DD")
    report.add_argument("--format", choices=("text", "csv"), default="text")
    report.set_defaults(func=cmd_report)

    feedback = sub.add_parser("feedback", help="patients' feedback for the development record")
    feedback_sub = feedback.add_subparsers(dest="feedback_command", required=True)
    export = feedback_sub.add_parser("export", help="print the feedback (CSV, or --format json)")
    export.add_argument("--from", dest="since", type=iso_date, help="first day, YYYY-MM-DD")
    export.add_argument("--to", dest="until", type=iso_date, help="last day, YYYY-MM-DD")
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    feedback.set_defaults(func=cmd_feedback)
