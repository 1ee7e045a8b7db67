"""The clinic's list of sent summaries (on the staff blueprint, behind its sign-in check): the
patient's name, date of birth and appointment, sorted by sent or appointment date, filtered by
status or "appointments in the next 7 days"; finding by reference code, name or date of birth;
and the printed day list of one appointment date.

Everything here reads only the list columns stored with each sent summary
(clinic.listing): the answers are never read, and the guidance engine never runs, to show
the list. A search only ever looks at sent summaries, which any member of staff may open."""

import datetime
import math

from flask import current_app, redirect, render_template, request, url_for

from decision_aid.clinic import listing
from decision_aid.clinic.clock import parse_date, read_typed_date
from decision_aid.fields.base import month_from_name
from decision_aid.pdf import pool as pdf_pool
from decision_aid.staff.auth import audit, bp
from decision_aid.staff.views import page_number, patient_language, pdf_response
from decision_aid.store import get_store
from decision_aid.text.dates import long_date
from decision_aid.text.i18n import _
from decision_aid.web.shared import answered_date, guidance_readable, today

PER_PAGE = 25
WEEK_DAYS = 7
MIN_NAME_CHARACTERS = 2
DATE_FORMATS = ("%d %b %Y", "%d %B %Y")


def _list_view():
    """The list's own settings from the query string, each only if valid."""
    view = {}
    if request.args.get("status") in ("new", "reviewed"):
        view["status"] = request.args["status"]
    if request.args.get("sort") == "appointment":
        view["sort"] = "appointment"
    if request.args.get("when") == "week":
        view["when"] = "week"
    if request.args.get("urgent") == "1":
        view["urgent"] = "1"
    return view


def _week():
    first = today()
    return first.isoformat(), (first + datetime.timedelta(days=WEEK_DAYS - 1)).isoformat()


def _render_list(view, search=None, status_code=200, **filters):
    page = page_number()
    items, total = get_store(current_app).list_sent(
        page=page,
        per_page=PER_PAGE,
        status=view.get("status"),
        by_appointment=view.get("sort") == "appointment",
        appointments=_week() if view.get("when") == "week" else None,
        urgent_only=view.get("urgent") == "1",
        **filters,
    )
    pages = max(math.ceil(total / PER_PAGE), 1)
    # The pages of a search by name or date of birth stay within that search.
    searched = search is not None and search["kind"] in ("name", "date of birth")
    pager_args = {**view, "q": search["text"]} if searched else dict(view)
    return render_template(
        "staff/list.html",
        pager_endpoint="staff.find" if searched else "staff.summaries",
        pager_args=pager_args,
        items=items,
        total=total,
        page=min(page, pages),
        pages=pages,
        view=view,
        search=search,
        day=request.args.get("day") or today().isoformat(),
    ), status_code


@bp.route("/")
def summaries():
    return _render_list(_list_view())


def parse_birth_date(text, order="dmy"):
    """A typed date of birth: 1961-04-12, 12 Apr 1961, 12 April 1961 (or the month's name in
    the page's language), or as numbers with the year last, 12/04/1961 or 12.4.1961, read in
    the clinic's date order `order` (DATE_ORDER) when both orders are valid; None otherwise."""
    text = " ".join(text.split())
    day = parse_date(text) or read_typed_date(text, order)
    if day:
        return day
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    words = text.replace(",", " ").split()
    if len(words) == 3 and month_from_name(words[1]) and words[0].isdigit() and words[2].isdigit():
        try:
            return datetime.date(int(words[2]), month_from_name(words[1]), int(words[0]))
        except ValueError:
            return None
    return None


@bp.route("/find")
def find():
    """Find by reference code (case, spaces, dashes and look-alikes forgiven: one match opens
    it), else by date of birth, else by a part of the name; only among sent summaries."""
    typed = (request.args.get("q") or request.args.get("code") or "").strip()[:80]
    store = get_store(current_app)
    found = store.find_sent(typed) if typed else None
    if found is not None:
        return redirect(url_for("staff.summary", reference=found.reference))
    view = _list_view()
    search = {"text": typed, "kind": None}
    birth = parse_birth_date(typed, current_app.config["DATE_ORDER"]) if typed else None
    if birth is not None:
        search["read_as"] = long_date(birth)  # the page says how it read the date
    if birth is not None and store.list_sent(per_page=1, date_of_birth=birth.isoformat())[1]:
        search["kind"] = "date of birth"
        return _render_list(view, search, date_of_birth=birth.isoformat())
    # A code-shaped word ("Williams") may be a name: a code that opened nothing is tried as one.
    if (
        len(listing.name_key(typed)) >= MIN_NAME_CHARACTERS
        and store.list_sent(per_page=1, name=typed)[1]
    ):
        search["kind"] = "name"
        return _render_list(view, search, name=typed)
    search["kind"] = "none"  # nothing sent matches: the whole list, and a 404
    return _render_list(view, search, status_code=404)


@bp.route("/day-list")
def day_list():
    """The summaries for one appointment date as a one-page PDF to print; each printing is
    recorded in the audit log."""
    day = parse_date(request.args.get("date"))
    if day is None:
        text = _("Choose an appointment date to print its day list.")
        return render_template("staff/message.html", title=_("No date chosen"), text=text), 400
    items = get_store(current_app).day_list(day.isoformat())
    config = current_app.config
    data = pdf_pool.render(
        current_app,
        "day_list",
        items=items,
        day=day,
        today=today(),
        clinic_name=config.get("CLINIC_NAME", ""),
        paper=config.get("PAPER", "a4"),
    )
    count = f"{len(items)} {'summary' if len(items) == 1 else 'summaries'}"
    audit("day_list_printed", detail=f"appointments on {day.isoformat()}, {count}")
    return pdf_response(data, f"day-list-{day.isoformat()}.pdf")


@bp.route("/day-list/clinician-pages")
def day_clinician_pages():
    """Page 1 of every summary sent for one appointment date, in name order, as one PDF to
    print for the clinic session (as "Print clinician page" makes each one, with its own
    header). One audit entry for the printing, naming how many pages and summaries it holds."""
    day = parse_date(request.args.get("date"))
    if day is None:
        text = _("Choose an appointment date to print its clinician pages.")
        return render_template("staff/message.html", title=_("No date chosen"), text=text), 400
    store = get_store(current_app)
    config = current_app.config
    summaries = []
    for item in store.day_list(day.isoformat()):
        submission = store.sent_by_reference(item.reference)
        if submission is None or not guidance_readable(submission.answers):
            continue  # deleted since, or answers the guidance cannot read: no page 1
        summaries.append(
            {
                "answers": submission.answers,
                "reference": submission.reference_display,
                "today": today(),
                "answered": answered_date(submission),
                "clinic_name": config.get("CLINIC_NAME", ""),
                "clinic_logo": config.get("CLINIC_LOGO") or None,
                "paper": config.get("PAPER", "a4"),
                "language": patient_language(submission),
            }
        )
    if not summaries:
        text = _("No sent summary has an appointment on %(day)s.") % {"day": long_date(day)}
        page = render_template("staff/message.html", title=_("No clinician pages"), text=text)
        return page, 404
    data, pages = pdf_pool.render(
        current_app,
        "clinician_pages",
        summaries=summaries,
        clinic_language=config.get("CLINIC_LANGUAGE", "en"),
        day=day,
        today=today(),
        clinic_name=config.get("CLINIC_NAME", ""),
        paper=config.get("PAPER", "a4"),
    )
    count = f"{len(summaries)} {'summary' if len(summaries) == 1 else 'summaries'}"
    detail = f"appointments on {day.isoformat()}, {pages} pages, {count}"
    audit("clinician_pages_printed", detail=detail)
    return pdf_response(data, f"clinician-pages-{day.isoformat()}.pdf")
