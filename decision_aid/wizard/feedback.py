"""'Was anything unclear or missing?' (issue 31): one optional question at the end, for the
development record (docs/development.md). Stored apart from the answers with no reference code
(decision_aid.store.feedback); the same limits as a patient's own question: at most
MAX_LENGTH characters, hidden characters taken out, and a rate limit per address. Anyone may
give it: it needs no answers."""

from flask import current_app, redirect, render_template, request, url_for

from decision_aid.fields.forms import ActionForm, FieldError
from decision_aid.questions import packaged_questionnaire
from decision_aid.store import get_store
from decision_aid.text import clean as clean_text
from decision_aid.text import i18n
from decision_aid.text.i18n import _
from decision_aid.web import limits
from decision_aid.web.shared import today
from decision_aid.wizard.blueprint import bp

FIELD = "feedback"
# The same limit as each of the patient's own questions (12_your_questions.yaml).
MAX_LENGTH = packaged_questionnaire().question("patient_questions").max_length


@bp.route("/feedback", methods=["GET", "POST"])
def feedback():
    form = ActionForm()
    text, errors = "", []
    if request.method == "POST" and form.validate_on_submit():
        text, changed = clean_text.clean(request.form.get(FIELD, ""))
        if not text.strip():
            errors.append(FieldError(FIELD, _("Write what was unclear or missing"), FIELD))
        elif len(text) > MAX_LENGTH:
            message = _("Write {most} characters or fewer. It has {count}.").format(
                most=MAX_LENGTH, count=len(text)
            )
            errors.append(FieldError(FIELD, message, FIELD))
        elif changed:
            errors.append(FieldError(FIELD, _(clean_text.CHANGED_MESSAGE), FIELD))
        else:
            limits.check("feedback", request.remote_addr)
            get_store(current_app).add_feedback(text.strip(), i18n.current(), today())
            return redirect(url_for("wizard.feedback_thanks"))
    return render_template(
        "feedback.html", form=form, text=text, errors=errors, max_length=MAX_LENGTH
    )


@bp.route("/feedback/thanks")
def feedback_thanks():
    return render_template("feedback_thanks.html")
