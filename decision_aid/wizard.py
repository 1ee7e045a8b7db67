"""The patient's path: start, one page per step, the emergency interrupt, check answers,
summary, resume and delete. It holds no clinical logic: branching comes from the question data
and guidance from `decision_aid.guidance`."""

import calendar
from datetime import date

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

from decision_aid import clinic_time, guidance, pdf
from decision_aid.clinic_time import app_today
from decision_aid.forms import ActionForm, build_form, check_step, field_name, join_label
from decision_aid.questions import condition_holds
from decision_aid.store import get_store

bp = Blueprint("wizard", __name__)

RETURN_TO_CHECK = "check"


def questionnaire():
    return current_app.extensions["questionnaire"]


def today():
    """The only place the web layer reads the date; tests may pin it with TODAY in config."""
    return app_today(current_app)  # the clinic's date (CLINIC_TZ), or TODAY when pinned


def answered_date(response):
    """When the patient last changed their answers, as a date in the clinic's time zone."""
    moment = response.answered_at or response.updated_at
    tz = current_app.extensions["clinic_tz"]
    return clinic_time.local(moment, tz).date() if moment else None


def current_response():
    return get_store(current_app).load(session.get("token"))


def require_response():
    """The patient's answers, or a redirect to the start page when there are none."""
    response = current_response()
    if response is None:
        session.pop("token", None)
        return None, redirect(url_for("wizard.start", missing=1))
    return response, None


def next_step_after(step_id, answers, completed, return_to):
    """Where to go after a step is saved: the next unanswered step after this one (wrapping
    round), then the check page. After a Change link, any newly opened step is asked first, in
    order, and then the check page again."""
    steps = questionnaire().applicable_steps(answers)
    ids = [s.id for s in steps]
    begin = 0 if return_to == RETURN_TO_CHECK else ids.index(step_id) + 1
    for step in steps[begin:] + steps[:begin]:
        if step.id not in completed:
            return url_for("wizard.step", step_id=step.id, return_to=return_to)
    return url_for("wizard.check")


def previous_url(step_id, answers, return_to):
    if return_to == RETURN_TO_CHECK:
        return url_for("wizard.check")
    ids = [s.id for s in questionnaire().applicable_steps(answers)]
    position = ids.index(step_id)
    if position == 0:
        return url_for("wizard.start")
    return url_for("wizard.step", step_id=ids[position - 1])


def first_incomplete(response):
    for step in questionnaire().applicable_steps(response.answers):
        if step.id not in response.completed_steps:
            return step
    return None


@bp.route("/")
def start():
    response = current_response()
    return render_template(
        "start.html",
        response=response,
        missing=request.args.get("missing") == "1",
        retention_days=current_app.config["RETENTION_DAYS"],
    )


@bp.post("/start")
def begin():
    first = url_for("wizard.step", step_id=questionnaire().steps[0].id)
    existing = current_response()
    if existing is not None and not existing.answers:
        return redirect(first)  # Start pressed again before any answer: no second empty record
    token, _response = get_store(current_app).create()
    session.clear()
    session.permanent = True
    session["token"] = token
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
    if not condition_holds(the_step.show_if, answers):
        # This step does not apply to these answers (for example after a change).
        return redirect(next_step_after_skip(response))

    if request.method == "POST":
        form = build_form(the_step, answers, formdata=request.form)
        if form.validate():  # CSRF only; the checks below are per question
            step_answers, errors = check_step(the_step, form, today())
            if not errors:
                return save_step(response, the_step, step_answers, return_to)
        else:
            errors = []
    else:
        form = build_form(the_step, answers)
        errors = []

    counted = [s.id for s in q.possible_steps(answers)]
    return render_template(
        "step.html",
        step=the_step,
        form=form,
        errors=errors,
        errors_by_question={e.question_id: e for e in errors},
        field_name=field_name,
        step_number=counted.index(step_id) + 1,
        step_count=len(counted),
        back_url=previous_url(step_id, answers, return_to),
        return_to=return_to,
        today=today(),
    )


def next_step_after_skip(response):
    step = first_incomplete(response)
    return url_for("wizard.step", step_id=step.id) if step else url_for("wizard.check")


def save_step(response, the_step, step_answers, return_to):
    q = questionnaire()
    answers = {k: v for k, v in response.answers.items() if k not in _ids(the_step)}
    answers.update(step_answers)
    answers = q.prune(answers)
    applicable = {s.id for s in q.applicable_steps(answers)}
    completed = [s for s in response.completed_steps if s in applicable and s != the_step.id]
    completed.append(the_step.id)
    get_store(current_app).save(session["token"], answers, completed, finished=False)
    if the_step.emergency_if and condition_holds(the_step.emergency_if, answers):
        return redirect(url_for("wizard.emergency"))
    return redirect(next_step_after(the_step.id, answers, completed, return_to))


def _ids(step):
    return {question.id for question in step.questions}


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
        get_store(current_app).save(
            session["token"], response.answers, response.completed_steps, finished=True
        )
        return redirect(url_for("wizard.summary"))
    steps = questionnaire().applicable_steps(response.answers)
    return render_template(
        "check.html",
        steps=steps,
        answers=response.answers,
        display=display_answer,
        back_url=url_for("wizard.step", step_id=steps[-1].id),
        form=ActionForm(),
    )


@bp.app_template_global("shown")
def shown_questions(step, answers):
    """The questions of a step to list with their answers: of a pair where one answer is
    enough (a date, or how long ago), the unused one is left out."""
    hidden = set()
    for group in step.one_of:
        if any(qid in answers for qid in group):
            hidden |= {qid for qid in group if qid not in answers}
    return [q for q in step.questions if q.id not in hidden]


def display_answer(question, answers):
    """An answer in words, as the check page and summary show it. A list of lines."""
    value = answers.get(question.id)
    if value is None or value == [] or value == {}:
        return []
    if question.type in ("single",):
        return [question.option_label(value)]
    if question.type == "multiple":
        return [question.option_label(v) for v in value]
    if question.type == "ago":
        return [f"About {value['amount']} {value['unit']} ago"]
    if question.type == "month_year":
        year, _, month = value.partition("-")
        return [f"{_month_name(int(month))} {year}" if month else year]
    if question.type == "date":
        d = date.fromisoformat(value)
        return [f"{d.day} {_month_name(d.month)} {d.year}"]
    if question.type == "number":
        return [f"{value} {question.suffix}".strip()]
    if question.type == "rating":
        return [
            join_label(item.label, question.option_label(value[item.id]))
            for item in question.items
            if item.id in value
        ]
    if question.type == "question_list":
        return list(value)
    return [str(value)]


def _month_name(number):
    return calendar.month_name[number]


@bp.route("/summary")
def summary():
    response, go_start = require_response()
    if go_start:
        return go_start
    if response.finished_at is None:
        return redirect(url_for("wizard.check"))
    result = guidance_for(response.answers)
    steps = questionnaire().applicable_steps(response.answers)
    return render_template(
        "summary.html",
        response=response,
        steps=steps,
        answers=response.answers,
        display=display_answer,
        result=result,
        source_numbers=source_numbers(result),
        resume_url=url_for("wizard.resume", token=session["token"], _external=True),
        retention_days=current_app.config["RETENTION_DAYS"],
    )


def guidance_for(answers):
    """The guidance result, or None if the engine finds the stored answers invalid (which the
    forms should prevent); the page then says so instead of failing."""
    try:
        return guidance.evaluate(answers, today())
    except guidance.ValidationError as exc:
        current_app.logger.warning(
            "stored answers failed validation: %d problems", len(exc.problems)
        )
        return None


@bp.app_template_filter("by_number")
def by_number(source_ids, numbers):
    """Cited sources in the order of the numbered list at the end of the page."""
    return sorted(source_ids, key=lambda sid: numbers.get(sid, 0))


def source_numbers(result):
    return {sid: n for n, sid in enumerate((result or {}).get("sources", {}), start=1)}


@bp.route("/summary.pdf")
def summary_pdf():
    """The PDF, only for the owner of the answers: anyone else gets a 404."""
    response = current_response()
    if response is None or response.finished_at is None:
        abort(404)
    result = guidance_for(response.answers)
    if result is None:
        abort(404)
    config = current_app.config
    body = pdf.render_summary_pdf(
        response.answers,
        result,
        reference=response.reference_display,
        today=today(),
        answered=answered_date(response),
        clinic_name=config["CLINIC_NAME"],
        clinic_logo=config["CLINIC_LOGO"] or None,
        paper=config["PAPER"],
    )
    filename = f"hfs-summary-{response.reference_display}.pdf"
    return current_app.response_class(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
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
        return render_template(
            "resume.html",
            response=response,
            done=len(response.completed_steps),
            total=len(questionnaire().applicable_steps(response.answers)),
            other=current if current and current.id != response.id else None,
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
    response, go_start = require_response()
    if go_start:
        return go_start
    session.clear()
    return render_template("forgotten.html", response=response)


@bp.route("/delete", methods=["GET", "POST"])
def delete():
    response, go_start = require_response()
    if go_start:
        return go_start
    if request.method == "POST":
        get_store(current_app).delete(session["token"])
        session.clear()
        return render_template("deleted.html")
    return render_template("delete.html", form=ActionForm(), response=response)
