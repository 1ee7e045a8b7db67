"""The patient's path: start, one page per step, the emergency interrupt, check answers,
summary, resume and delete. It holds no clinical logic: branching comes from the question data
and guidance from `decision_aid.guidance`."""

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from markupsafe import escape

from decision_aid import i18n, limits, saving
from decision_aid.forms import ActionForm, build_form, check_step, field_name
from decision_aid.i18n import N_, _
from decision_aid.pdf import cache as pdf_cache
from decision_aid.questions import condition_holds
from decision_aid.store import get_store
from decision_aid.summary import build_view
from decision_aid.web import (
    answered_date,
    clinic_name,
    display_answer,
    guidance_for,
    questionnaire,
    today,
)

try:  # segno draws the QR code of the resume link; without it the page shows the link only
    import segno
except ImportError:  # pragma: no cover - a dependency in setup.cfg
    segno = None

bp = Blueprint("wizard", __name__)

RETURN_TO_CHECK = "check"


def current_response():
    """The patient's answers; for a new start with nothing saved yet, empty answers
    (decision_aid.saving)."""
    if saving.is_new():
        return saving.new_response()
    return get_store(current_app).load(session.get("token"))


def require_response(allow_new=True):
    """The patient's answers (a new start's are empty: decision_aid.saving), or a redirect to the
    start page when there are none. Pages about a record that exists (the resume link, remove
    from this device, delete) pass `allow_new=False`: a new start has none yet."""
    if saving.is_new() and not allow_new:
        return None, redirect(url_for("wizard.start"))
    response = current_response()
    if response is None:
        session.pop("token", None)
        return None, redirect(url_for("wizard.start", missing=1))
    return response, None


def next_step_after(step_id, answers, completed, return_to, changed=None):
    """Where to go after a step is saved: the next unanswered step after this one (wrapping
    round), then the check page. After a Change link, any newly opened step is asked first, in
    order, and then the check page again, at the row of the answer that was changed."""
    steps = questionnaire().sequence(answers)
    ids = [s.id for s in steps]
    # A step asked when sharing (reached by a Change link) is not in the run: look from the top.
    begin = ids.index(step_id) + 1 if step_id in ids and return_to != RETURN_TO_CHECK else 0
    for step in steps[begin:] + steps[:begin]:
        if step.id not in completed:
            return url_for("wizard.step", step_id=step.id, return_to=return_to, question=changed)
    if return_to == RETURN_TO_CHECK and changed:
        return url_for("wizard.check") + f"#answer-{changed}"
    return url_for("wizard.check")


def changed_question(value):
    """The question a Change link came from (carried through any page the change opens), if it
    is one of the check page's rows."""
    rows = {q.id for step in questionnaire().steps for q in check_rows(step)}
    return value if value in rows else None


def previous_url(step_id, answers, return_to):
    if return_to == RETURN_TO_CHECK:
        return url_for("wizard.check")
    ids = [s.id for s in questionnaire().sequence(answers)]
    if step_id not in ids:  # a step asked when sharing
        return url_for("wizard.check")
    position = ids.index(step_id)
    if position == 0:
        return url_for("wizard.start")
    return url_for("wizard.step", step_id=ids[position - 1])


def first_incomplete(response):
    for step in questionnaire().sequence(response.answers):
        if step.id not in response.completed_steps:
            return step
    return None


def has_answers(response):
    return response is not None and bool(response.answers or response.completed_steps)


def continue_url(response):
    """Where "Continue your answers" goes: the first unanswered page, else the summary (or the
    check page when it has not been made yet)."""
    step = first_incomplete(response)
    if step:
        return url_for("wizard.step", step_id=step.id)
    return url_for("wizard.summary" if response.finished_at else "wizard.check")


@bp.route("/")
def start():
    response = current_response()
    return render_template(
        "start.html",
        response=response if has_answers(response) else None,
        continue_url=continue_url(response) if has_answers(response) else None,
        missing=request.args.get("missing") == "1",
        retention_days=current_app.config["RETENTION_DAYS"],
    )


@bp.route("/start-again", methods=["GET", "POST"])
def start_again():
    """Start again, after a confirmation that says what happens to the answers so far: they
    are deleted, unless they were sent to the clinic (then the clinic's copy stays, and the
    resume link still opens them)."""
    response = current_response()
    if not has_answers(response):
        return redirect(url_for("wizard.start"))
    form = ActionForm()
    if form.validate_on_submit():
        if response.sent_at is None:
            get_store(current_app).delete(session["token"])
            pdf_cache.drop(current_app, response.reference)
        session.clear()
        return begin()
    return render_template(
        "start_again.html",
        response=response,
        form=form,
        clinic=clinic_name(response.answers),
        continue_url=continue_url(response),
    )


@bp.post("/start")
def begin():
    """A new start: a fresh token in the session and no record until the first answer is saved
    (decision_aid.saving), so a replayed Start writes nothing and a planted cookie's token is
    never used. New starts are limited per address."""
    first = url_for("wizard.step", step_id=questionnaire().steps[0].id)
    existing = current_response()
    if has_answers(existing):
        # Answers in progress are never left without a key: starting again is a separate,
        # confirmed step (/start-again).
        return redirect(continue_url(existing))
    limits.check("start", request.remote_addr)
    saving.start_new()
    return redirect(first)


@bp.route("/step/<step_id>", methods=["GET", "POST"])
def step(step_id):
    response, go_start = require_response()
    if go_start:
        return go_start
    q = questionnaire()
    the_step = q.step(step_id)
    if the_step is None:
        abort(404)
    answers = response.answers
    return_to = request.values.get("return_to")
    if return_to not in (None, RETURN_TO_CHECK):
        return_to = None
    changed = changed_question(request.values.get("question")) if return_to else None
    if not condition_holds(the_step.show_if, answers):
        # This step does not apply to these answers (for example after a change).
        return redirect(next_step_after_skip(response))

    errors = []
    if request.method == "POST":
        form = build_form(the_step, answers, formdata=request.form)
        if form.validate():  # CSRF only; the checks below are per question
            step_answers, errors, complete = check_step(the_step, form, today(), answers)
            later = "save_later" in request.form
            if complete and not errors:
                return save_step(response, the_step, step_answers, return_to, changed, later)
            if later:
                return save_partly(response, the_step, step_answers)
            if not complete:
                mark_revealed(the_step, form)
    else:
        form = build_form(the_step, answers)

    return render_template(
        "step.html",
        step=the_step,
        questions=the_step.shown_questions(answers),
        form=form,
        errors=errors,
        errors_by_key={e.key: e for e in reversed(errors)},
        field_name=field_name,
        back_url=previous_url(step_id, answers, return_to),
        return_to=return_to,
        changed=changed,
        today=today(),
    )


def next_step_after_skip(response):
    step = first_incomplete(response)
    return url_for("wizard.step", step_id=step.id) if step else url_for("wizard.check")


def mark_revealed(step, form):
    """The page is shown again with the follow-up of the choice made: record that it is now on
    screen, so that the next Continue checks it."""
    for q in step.questions:
        if q.revealed_ids:
            form[field_name(q.id, "shown")].data = form[q.id].data


def _merged(response, the_step, step_answers, done):
    """The stored answers with this step's replaced, and the steps answered in full."""
    q = questionnaire()
    answers = {k: v for k, v in response.answers.items() if k not in the_step.stored_ids}
    answers.update(step_answers)
    answers = q.prune(answers)
    applicable = {s.id for s in q.applicable_steps(answers)}
    completed = [s for s in response.completed_steps if s in applicable and s != the_step.id]
    if done:
        completed.append(the_step.id)
    return answers, completed


def _save(the_step, step_answers, done):
    """Merge this step into the answers as stored now and save them (decision_aid.saving):
    (answers, completed steps), or None when the answers are gone."""
    saved = saving.save_patient(
        lambda stored: _merged(stored, the_step, step_answers, done), finished=False
    )
    return (saved.answers, saved.completed_steps) if saved else None


def save_step(response, the_step, step_answers, return_to, changed=None, later=False):
    saved = _save(the_step, step_answers, done=True)
    if saved is None:
        return redirect(url_for("wizard.start", missing=1))
    answers, completed = saved
    if the_step.emergency_if and condition_holds(the_step.emergency_if, answers):
        return redirect(url_for("wizard.emergency"))
    if later:
        return redirect(url_for("wizard.saved"))
    return redirect(next_step_after(the_step.id, answers, completed, return_to, changed))


def save_partly(response, the_step, step_answers):
    """ "Save and come back later" on a page with unfinished answers: what is valid is kept, the
    page stays unanswered, and it is asked again when the person comes back."""
    saved = _save(the_step, step_answers, done=False)
    if saved is None:
        return redirect(url_for("wizard.start", missing=1))
    answers, _completed = saved
    if the_step.emergency_if and condition_holds(the_step.emergency_if, answers):
        return redirect(url_for("wizard.emergency"))
    return redirect(url_for("wizard.saved"))


@bp.route("/saved")
def saved():
    """The page after "Save and come back later": the resume link (with a Copy button when
    script runs), a QR code of it for carrying on on one's own phone, the reference code and
    how long the answers are kept. Only the owner of the answers gets here."""
    response, go_start = require_response(allow_new=False)
    if go_start:
        return go_start
    resume_url = url_for("wizard.resume", token=session["token"], _external=True)
    return render_template(
        "saved.html",
        response=response,
        resume_url=resume_url,
        qr_svg=qr_svg(resume_url),
        continue_url=continue_url(response),
        retention_days=current_app.config["RETENTION_DAYS"],
    )


def qr_svg(text):
    """The QR code of `text` as inline SVG markup: no style attributes (the CSP forbids them),
    black on a white square with its quiet zone, so it scans in the dark colour scheme too."""
    if segno is None:  # pragma: no cover
        return None
    code = segno.make(text, error="m")
    svg = code.svg_inline(
        scale=1, border=4, dark="#000", light="#fff", omitsize=True, svgclass="qr-code"
    )
    label = escape(_("QR code of your resume link"))
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


@bp.route("/emergency")
def emergency():
    response, go_start = require_response()
    if go_start:
        return go_start
    # The way on is worked out from the saved answers, never taken from the URL.
    asked_on = next(s for s in questionnaire().steps if s.emergency_if)
    return render_template(
        "emergency.html",
        next_url=next_step_after_skip(response),
        back_url=url_for("wizard.step", step_id=asked_on.id),
    )


@bp.route("/check", methods=["GET", "POST"])
def check():
    response, go_start = require_response()
    if go_start:
        return go_start
    missing = first_incomplete(response)
    if missing:
        return redirect(url_for("wizard.step", step_id=missing.id))
    if request.method == "POST":
        # The answers as stored now (another tab may have saved since this page was read).
        saving.save_patient(lambda stored: (stored.answers, stored.completed_steps), finished=True)
        return redirect(url_for("wizard.summary"))
    pages = questionnaire().sequence(response.answers)
    return render_template(
        "check.html",
        steps=answered_steps(response.answers),
        answers=response.answers,
        display=display_answer,
        back_url=url_for("wizard.step", step_id=pages[-1].id),
        form=ActionForm(),
        sent=response.sent_at is not None,
        clinic=clinic_name(response.answers),
    )


def answered_steps(answers):
    """The steps the check page and the summary list: the question pages, then the name and
    date of birth (asked when sharing) once either is given."""
    q = questionnaire()
    sharing = q.sharing_step()
    given = [sharing] if sharing and sharing.stored_ids & answers.keys() else []
    return q.sequence(answers) + given


@bp.app_template_global("shown")
def check_rows(step, answers=None):
    """The questions of a step that get a row on the check page and in the summary: the ones
    asked, with a follow-up shown in the row of the question that revealed it."""
    asked = step.shown_questions(answers) if answers is not None else step.questions
    return [q for q in asked if q.id not in step.revealed_ids]


@bp.route("/summary")
def summary():
    response, go_start = require_response()
    if go_start:
        return go_start
    if response.finished_at is None:
        return redirect(url_for("wizard.check"))
    result = guidance_for(response.answers)
    return render_template(
        "summary.html",
        response=response,
        steps=answered_steps(response.answers),
        answers=response.answers,
        display=display_answer,
        view=build_view(result) if result else None,
        clinic=clinic_name(response.answers),
        retention_days=current_app.config["RETENTION_DAYS"],
    )


# What the page before the PDF leads to: its button, and its way on without a name.
PDF_ACTIONS = {
    "download": (N_("Download the PDF"), N_("Download it without a name")),
    "print": (N_("Print the PDF"), N_("Print it without a name")),
}


def pdf_url(action, without_name=False):
    return url_for(
        "wizard.summary_pdf",
        print=1 if action == "print" else None,
        without_name=1 if without_name else None,
    )


@bp.route("/summary/your-name", methods=["GET", "POST"])
def pdf_name():
    """The short page before the PDF is downloaded or printed: the name and date of birth for
    the page for the doctor. The guidance does not use them, so they are asked only when the
    summary is shared (here and on the send page): optional, filled in when known, checked as
    on any question page. A change here, like any change, reaches a clinic that was sent the
    summary only when the summary is made again."""
    response, go_start = require_response()
    if go_start:
        return go_start
    if response.finished_at is None:
        return redirect(url_for("wizard.check"))
    action = request.values.get("then")
    if action not in PDF_ACTIONS:
        action = "download"
    step = questionnaire().sharing_step()
    if step is None:
        return redirect(pdf_url(action))  # nothing to ask
    errors = []
    if request.method == "POST":
        form = build_form(step, response.answers, formdata=request.form)
        if form.validate():  # CSRF only; the checks below are per question
            given, errors, _complete = check_step(step, form, today(), response.answers)
            if not errors:
                # Merged into the answers as stored now (decision_aid.saving).
                saving.save_patient(
                    lambda stored: (
                        {k: v for k, v in stored.answers.items() if k not in step.stored_ids}
                        | given,
                        stored.completed_steps,
                    )
                )
                return redirect(pdf_url(action))
    else:
        form = build_form(step, response.answers)
    button, without = (_(words) for words in PDF_ACTIONS[action])
    return render_template(
        "pdf_name.html",
        step=step,
        form=form,
        errors=errors,
        errors_by_key={e.key: e for e in reversed(errors)},
        field_name=field_name,
        action=action,
        button=button,
        without=without,
        without_url=pdf_url(action, without_name=True),
    )


@bp.route("/summary.pdf")
def summary_pdf():
    """The PDF, only for the owner of the answers: anyone else gets a 404. With
    ?without_name=1 it leaves out the name and date of birth (the way on without them from the
    page before the PDF), and page 1 says they were not given."""
    response = current_response()
    if response is None or response.finished_at is None:
        abort(404)
    answers = response.answers
    sharing = questionnaire().sharing_step()
    if request.args.get("without_name") == "1" and sharing:
        answers = {k: v for k, v in answers.items() if k not in sharing.stored_ids}
    result = guidance_for(answers)
    if result is None:
        abort(404)
    limits.check("pdf", response.reference)
    config = current_app.config
    body = pdf_cache.summary(
        current_app,
        response.reference,
        "patient",
        answers,
        reference=response.reference_display,
        today=today(),
        answered=answered_date(response),
        clinic_name=config["CLINIC_NAME"],
        clinic_logo=config["CLINIC_LOGO"] or None,
        paper=config["PAPER"],
        language=i18n.current(),  # the patient's copy in the patient's language
        clinic_language=config["CLINIC_LANGUAGE"],  # page 1 in the clinic's
    )
    filename = f"hfs-summary-{response.reference_display}.pdf"
    # ?print=1 opens the same PDF in the browser, to print it from there.
    disposition = "inline" if request.args.get("print") == "1" else "attachment"
    return current_app.response_class(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'{disposition}; filename="{filename}"'},
    )


@bp.route("/resume/<token>", methods=["GET", "POST"])
def resume(token):
    """A resume link opens a page that asks before it changes anything: a GET alone must not
    switch this browser to someone else's answers (a link sent by another person, or an image
    on a web page, could otherwise make a patient type into a record that person can read)."""
    store = get_store(current_app)
    response = store.load(token)
    if response is None:
        return render_template(
            "resume_missing.html", retention_days=current_app.config["RETENTION_DAYS"]
        ), 404
    if request.method == "GET":
        current = current_response()
        pages = [s.id for s in questionnaire().sequence(response.answers)]
        return render_template(
            "resume.html",
            response=response,
            done=len(set(pages) & set(response.completed_steps)),
            total=len(pages),
            other=current if has_answers(current) and current.id != response.id else None,
            form=ActionForm(),
        )
    session.clear()
    session.permanent = True
    session["token"] = token
    if response.finished_at is not None and first_incomplete(response) is None:
        return redirect(url_for("wizard.summary"))
    return redirect(next_step_after_skip(response))


@bp.post("/forget")
def forget():
    """Take the answers off this device (a shared tablet) and keep them on the server: the
    resume link and reference code still work."""
    response, go_start = require_response(allow_new=False)
    if go_start:
        return go_start
    session.clear()
    return render_template("forgotten.html", response=response)


@bp.route("/delete", methods=["GET", "POST"])
def delete():
    response, go_start = require_response(allow_new=False)
    if go_start:
        return go_start
    if request.method == "POST":
        get_store(current_app).delete(session["token"])
        pdf_cache.drop(current_app, response.reference)
        session.clear()
        return render_template("deleted.html")
    return render_template("delete.html", form=ActionForm(), response=response)
