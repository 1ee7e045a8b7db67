"""Patients' feedback for the development record (issue 31), read by staff: /staff/feedback,
audited. No reference code or answers are stored with it, so none is shown."""

from flask import current_app, render_template

from decision_aid.staff.auth import audit, bp
from decision_aid.store import get_store


@bp.route("/feedback")
def feedback():
    audit("feedback_viewed")
    return render_template("staff/feedback.html", entries=get_store(current_app).feedback_entries())
