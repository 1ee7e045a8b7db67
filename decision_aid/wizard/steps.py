"""The start page and one page per step: which step comes next (branching comes from the
question data), saving a step's answers, and the emergency interrupt."""

from flask import abort, current_app, redirect, render_template, request, session, url_for

from decision_aid.fields.forms import ActionForm, build_form, check_step, field_name, revealed_now
from decision_aid.pdf import cache as pdf_cache
from decision_aid.questions import condition_holds
from decision_aid.store import get_store
from decision_aid.text.i18n import _
from decision_aid.web import limits, saving
from decision_aid.web.patient_session import (
    continue_url,
    current_submission,
    has_answers,
    next_unanswered_url,
    require_submission,
)
from decision_aid.web.shared import clinic_name, questionnaire, today, urgent_now
from decision_aid.wizard.blueprint import bp
from decision_aid.wizard.check import check_rows

RETURN_TO_CHECK = "check"


@bp.route("/")
def start():
    submission = current_submission()
    return render_template(
        "start.html",
        urgent_items=urgent_now(submission.answers) if has_answers(submission) else [],
        submission=submission if has_answers(submission) else None,
        continue_url=continue_url(submission) if has_answers(submission) else None,
        missing=request.args.get("missing") == "1",
        retention_days=current_app.config["RETENTION_DAYS"],
    )


@bp.route("/start-again", methods=["GET", "POST"])
def start_again():
    """Start again, after a confirmation that says what happens to the answers so far: they
    are deleted, unless they were sent to the clinic (then the clinic's copy stays, and the
    resume link still opens them)."""
    submission = current_submission()
    if not has_answers(submission):
        return redirect(url_for("wizard.start"))
    form = ActionForm()
    if form.validate_on_submit():
        if submission.sent_at is None:
            get_store(current_app).delete(session["token"])
            pdf_cache.drop(current_app, submission.reference)
        session.clear()
        return begin()
    return render_template(
        "start_again.html",
        submission=submission,
        form=form,
        clinic=clinic_name(),
        continue_url=continue_url(submission),
    )


@bp.post("/start")
def begin():
    """A new start: a fresh token in the session and no record until the first answer is saved
    (decision_aid.web.saving), so a replayed Start writes nothing and a planted cookie's token is
    never used. New starts are limited per address."""
    first = url_for("wizard.step", step_id=questionnaire().steps[0].id)
    existing = current_submission()
    if has_answers(existing):
        # Answers in progress are never left without a key: starting again is a separate,
        # confirmed step (/start-again).
        return redirect(continue_url(existing))
    limits.check("start", request.remote_addr)
    saving.start_new()
    return redirect(first)


@bp.route("/step/<step_id>", methods=["GET", "POST"])
def step(step_id):
    submission, go_start = require_submission()
    if go_start:
        return go_start
    the_step = questionnaire().step(step_id)
    if the_step is None:
        abort(404)
    answers = submission.answers
    return_to = request.values.get("return_to")
    if return_to not in (None, RETURN_TO_CHECK):
        return_to = None
    changed = changed_question(request.values.get("question")) if return_to else None
    if not condition_holds(the_step.show_if, answers):
        # This step does not apply to these answers (for example after a change).
        return redirect(next_unanswered_url(submission))

    errors, now_enter = [], []
    if request.method == "POST":
        form = build_form(the_step, answers, formdata=request.form)
        if form.validate() and the_step.skippable and "skip_page" in request.form:
            # "Skip this page": on as if nothing new were chosen; earlier answers are kept.
            kept = {k: v for k, v in answers.items() if k in the_step.stored_ids}
            return save_step(
                the_step, kept, done=True, return_to=return_to, changed=changed, read=submission
            )
        if form.validate():  # CSRF only; the checks below are per question
            step_answers, errors, complete = check_step(the_step, form, today(), answers)
            later = "save_later" in request.form
            if complete and not errors:
                return save_step(
                    the_step,
                    step_answers,
                    done=True,
                    return_to=return_to,
                    changed=changed,
                    later=later,
                    read=submission,
                )
            if later:
                # What is valid is kept; the page stays unanswered and is asked again later.
                return save_step(the_step, step_answers, done=False, later=True, read=submission)
            if not complete:
                now_enter = just_revealed(the_step, form)
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
        now_enter=now_enter,
    )


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
            if step.opens_with and not return_to:  # the option table first (wizard/choices.py)
                return url_for("wizard.choices")
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
    if questionnaire().step(step_id).opens_with:
        return url_for("wizard.choices")
    if position == 0:
        return url_for("wizard.start")
    return url_for("wizard.step", step_id=ids[position - 1])


def just_revealed(step, form):
    """Without script a choice's follow-up appears only after Continue: the page that comes
    back says why (issue 27), "Now enter the month and year the twitching started", each with
    a link to the follow-up's first input."""
    revealed, _hidden, _shown = revealed_now(step, form)
    lines = []
    for q in step.questions:
        if not q.revealed_ids or (form[field_name(q.id, "shown")].data or "") == form[q.id].data:
            continue  # no follow-up, or it was on the screen already
        for follow_up in (f for f in step.questions if f.id in q.revealed_ids & revealed):
            what = follow_up.what or follow_up.label
            lines.append((follow_up.id, _("Now enter {what}.").format(what=what)))
    return lines


def mark_revealed(step, form):
    """The page is shown again with the follow-up of the choice made: record that it is now on
    screen, so that the next Continue checks it."""
    for q in step.questions:
        if q.revealed_ids:
            form[field_name(q.id, "shown")].data = form[q.id].data


def _merged(submission, the_step, step_answers, done):
    """The stored answers with this step's replaced, and the steps answered in full."""
    q = questionnaire()
    answers = {k: v for k, v in submission.answers.items() if k not in the_step.stored_ids}
    answers.update(step_answers)
    answers = q.prune(answers)
    applicable = {s.id for s in q.applicable_steps(answers)}
    completed = [s for s in submission.completed_steps if s in applicable and s != the_step.id]
    if done:
        completed.append(the_step.id)
    return answers, completed


def save_step(
    the_step, step_answers, *, done, return_to=None, changed=None, later=False, read=None
):
    """Merge this step into the answers as stored now and save them (decision_aid.web.saving), with
    the step answered in full when `done` (`read`: the answers as this request read them). Then
    on: to the emergency page when these answers call for it, to the "saved" page after "Save
    and come back later", else to the next step."""
    try:
        saved = saving.save_patient(
            lambda stored: _merged(stored, the_step, step_answers, done), finished=False, read=read
        )
    except saving.StartUsed:
        # The same first page sent again with the cookie from before it was saved (a double
        # click, or a replay): the first request made the record and gave this browser its key.
        # Nothing more is stored; the page moves on as the first did.
        saving.leave_cookie()
        answers, completed = _merged(saving.new_submission(), the_step, step_answers, done)
        return redirect(next_step_after(the_step.id, answers, completed, return_to, changed))
    if saved is None:  # the answers are gone
        return redirect(url_for("wizard.start", missing=1))
    if the_step.emergency_if and condition_holds(the_step.emergency_if, saved.answers):
        return redirect(url_for("wizard.emergency"))
    if the_step.interrupt and urgent_now(saved.answers, the_step.interrupt):
        return redirect(url_for("wizard.urgent", item_id=the_step.interrupt, after=the_step.id))
    if later:
        return redirect(url_for("wizard.saved"))
    where = next_step_after(the_step.id, saved.answers, saved.completed_steps, return_to, changed)
    return redirect(where)


@bp.route("/emergency")
def emergency():
    submission, go_start = require_submission()
    if go_start:
        return go_start
    # The way on is worked out from the saved answers, never taken from the URL.
    asked_on = next(s for s in questionnaire().steps if s.emergency_if)
    return render_template(
        "emergency.html",
        next_url=next_unanswered_url(submission),
        back_url=url_for("wizard.step", step_id=asked_on.id),
    )


@bp.route("/urgent/<item_id>")
def urgent(item_id):
    """An answer that needs acting on today (a rash on carbamazepine, still taken), said at
    once, like the emergency page: the guidance's own words for it, and the way on."""
    submission, go_start = require_submission()
    if go_start:
        return go_start
    item = urgent_now(submission.answers, item_id)
    if item is None:  # not urgent (any more) for these answers
        return redirect(next_unanswered_url(submission))
    after = questionnaire().step(request.args.get("after", ""))
    return render_template(
        "urgent.html",
        item=item,
        next_url=next_unanswered_url(submission),
        back_url=url_for("wizard.step", step_id=after.id) if after else None,
    )
