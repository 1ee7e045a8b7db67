"""The patient sends their summary to the clinic: an explicit step with a confirm page that says
what the clinic will see. Only sent summaries appear to staff. Deleting the answers (the wizard's
delete page) removes a sent summary from the clinic's list too."""

from flask import Blueprint, current_app, redirect, render_template, session, url_for

from decision_aid import clinic_time
from decision_aid.forms import ActionForm
from decision_aid.store import as_utc, get_store
from decision_aid.wizard import require_response

bp = Blueprint("clinic_send", __name__)


def _finished_response():
    """(response, redirect): the patient's finished answers, or where to go instead."""
    response, go_start = require_response()
    if go_start:
        return None, go_start
    if response.finished_at is None:
        return None, redirect(url_for("wizard.check"))
    return response, None


@bp.route("/send-to-clinic", methods=["GET", "POST"])
def send():
    response, elsewhere = _finished_response()
    if elsewhere:
        return elsewhere
    form = ActionForm()
    if form.validate_on_submit():
        get_store(current_app).send(session["token"])
        return redirect(url_for("clinic_send.sent"))
    if response.sent_at is not None:
        return redirect(url_for("clinic_send.sent"))
    return render_template(
        "clinic_send/confirm.html",
        response=response,
        form=form,
        retention_days=current_app.config["RETENTION_DAYS"],
    )


@bp.route("/send-to-clinic/sent")
def sent():
    response, elsewhere = _finished_response()
    if elsewhere:
        return elsewhere
    if response.sent_at is None:
        return redirect(url_for("clinic_send.send"))
    return render_template(
        "clinic_send/sent.html",
        response=response,
        retention_days=current_app.config["RETENTION_DAYS"],
    )


@bp.app_template_filter("long_date")
def long_date(moment, with_time=False):
    """25 November 2026, or with the time 25 November 2026, 14:05, in the clinic's time zone
    (`CLINIC_TZ`). The patient's and the staff's pages both use it."""
    if moment is None:
        return ""
    local = clinic_time.local(as_utc(moment), current_app.extensions["clinic_tz"])
    return f"{local.day} {local:%B %Y, %H:%M}" if with_time else f"{local.day} {local:%B %Y}"
