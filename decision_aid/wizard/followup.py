"""After the consultation (issue 31): "How did your appointment go?". Offered once the
appointment date has passed, on the start page (a browser holding answers), the resume page and
the saved page. One page of questions (decision_aid/questions/followup/), stored beside the
answers (decision_aid.store.followup); then a page with the SURE test before and after, and a
button to send it to the clinic, which only the patient presses."""

from flask import current_app, redirect, render_template, request, session, url_for

from decision_aid.fields.forms import ActionForm, build_form, check_step, field_name
from decision_aid.guidance import quality
from decision_aid.questions import followup_questionnaire
from decision_aid.questions.translate import in_language
from decision_aid.store import get_store
from decision_aid.web.patient_session import has_answers, require_submission
from decision_aid.web.shared import clinic_name, now, today
from decision_aid.wizard.blueprint import bp
from decision_aid.wizard.steps import mark_revealed


def _step():
    from decision_aid.text import i18n

    return in_language(followup_questionnaire(), i18n.current()).steps[0]


def offered(submission):
    """Whether these pages offer the follow-up: answers, and an appointment date passed."""
    return has_answers(submission) and quality.followup_due(submission.answers, today())


@bp.app_context_processor
def followup_links():
    return {"followup_offered": offered}


def _due():
    submission, go_start = require_submission(allow_new=False)
    if go_start:
        return None, go_start
    if not offered(submission):
        return None, redirect(url_for("wizard.start"))
    return submission, None


@bp.route("/after-appointment", methods=["GET", "POST"])
def followup():
    submission, elsewhere = _due()
    if elsewhere:
        return elsewhere
    step = _step()
    stored = submission.followup or {}
    errors = []
    if request.method == "POST":
        form = build_form(step, stored, formdata=request.form)
        if form.validate():
            answers, errors, complete = check_step(step, form, today(), stored)
            if complete and not errors:
                get_store(current_app).save_followup(session["token"], answers, now())
                return redirect(url_for("wizard.followup_done"))
            if not complete:
                mark_revealed(step, form)
    else:
        form = build_form(step, stored)
    return render_template(
        "followup.html",
        step=step,
        questions=step.shown_questions(stored),
        form=form,
        errors=errors,
        errors_by_key={e.key: e for e in reversed(errors)},
        field_name=field_name,
    )


@bp.route("/after-appointment/done", methods=["GET", "POST"])
def followup_done():
    submission, elsewhere = _due()
    if elsewhere:
        return elsewhere
    if submission.followup is None:
        return redirect(url_for("wizard.followup"))
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        get_store(current_app).send_followup(session["token"], now())
        return redirect(url_for("wizard.followup_done"))
    return render_template(
        "followup_done.html",
        submission=submission,
        form=form,
        clinic=clinic_name(),
        before=quality.sure_total(submission.answers.get("sure")),
        after=quality.sure_total(submission.followup.get("sure_after")),
    )
