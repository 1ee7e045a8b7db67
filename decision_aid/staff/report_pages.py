"""The clinic's report (issue 31): /staff/report, counts only (decision_aid.clinic.report), for the
summaries sent in a period (?from=YYYY-MM-DD&to=YYYY-MM-DD; by default the last 90 days).
Opening it is audited, with the period."""

from datetime import date, timedelta

from flask import current_app, render_template, request

from decision_aid.clinic.report import build_report
from decision_aid.staff.auth import audit, bp
from decision_aid.store import get_store
from decision_aid.text.i18n import _
from decision_aid.web.shared import today

DEFAULT_DAYS = 90


def _day(name, default):
    """A day from the query, or `default` (and whether the text was not a day)."""
    text = request.args.get(name, "").strip()
    if not text:
        return default, False
    try:
        return date.fromisoformat(text), False
    except ValueError:
        return default, True


@bp.route("/report")
def report():
    until, bad_to = _day("to", today())
    since, bad_from = _day("from", until - timedelta(days=DEFAULT_DAYS - 1))
    problem = ""
    if bad_from or bad_to:
        problem = _("Enter the days as YYYY-MM-DD, for example 2026-12-01.")
    elif since > until:
        problem = _("The first day must be on or before the last day.")
        since, until = until, since
    audit("report_viewed", detail=f"{since.isoformat()} to {until.isoformat()}")
    result = build_report(get_store(current_app).report_records(since, until), since, until)
    return render_template(
        "staff/report.html",
        since=since,
        until=until,
        problem=problem,
        report=result,
        rows=list(result.rows(_)),
    )
