"""Saving a patient's answers without losing a page, and without a record for nothing.

- No record until the first answer. "Start" puts a new, random token in the signed session
  cookie and marks it new; nothing is written. The first save makes the record under another new
  token, which replaces it in the cookie. So a token known before the first answer (a cookie
  planted in someone else's browser, a replayed Start) never opens anyone's answers.
- One start, one record. The record keeps a hash of the start's token: a second first save with
  the cookie from before the first (a double click, or a replay to fill the database) makes
  nothing and opens nothing (`StartUsed`).
- Atomic saves. Each save merges one step into the answers as stored *now*: it reads them with
  their version, merges, and writes only if the version is unchanged; if another save (another
  tab) came first, it reads again and merges again. Two tabs saving different steps at once keep
  both, on SQLite and PostgreSQL alike.
"""

from flask import current_app, g, session
from flask.sessions import SecureCookieSessionInterface

from decision_aid.clinic import listing
from decision_aid.pdf import cache as pdf_cache
from decision_aid.store import Submission, get_store, new_token
from decision_aid.text import i18n

NEW = "new"  # in the session: the token is a new start's, with no record yet
ATTEMPTS = 50


class StartUsed(Exception):
    """This start's first save was made already, by another request with the same cookie."""


class Sessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, except that a response may leave the browser's cookie as
    it is (`leave_cookie`). A permanent session is otherwise set again on every response."""

    def should_set_cookie(self, app, session):
        return not g.get("leave_cookie") and super().should_set_cookie(app, session)


def leave_cookie():
    """This response sets no session cookie: the second of two requests sent with the cookie
    from before the first save must not put that cookie back over the one the first gave."""
    g.leave_cookie = True


class SaveConflict(RuntimeError):
    """Other saves kept coming first; it never happens with one patient's few tabs."""


def start_new():
    """A fresh start: a new token in the session, no record."""
    session.clear()
    session.permanent = True
    session["token"] = new_token()
    session[NEW] = True


def is_new():
    return bool(session.get(NEW)) and bool(session.get("token"))


def new_submission():
    """What a new start's pages see: no answers yet."""
    return Submission(id=None, reference="", answers={}, completed_steps=[])


def save_merged(store, token, merge, finished=None, read=None):
    """Save `merge(stored Submission) -> (answers, completed steps)` atomically (see above).
    `read`: the Submission this request has already read, tried first. Returns the Submission as
    merged, or None when there is no record for `token`."""
    current = read
    for _attempt in range(ATTEMPTS):
        if current is None:
            current = store.load(token)
        if current is None:
            return None
        answers, completed = merge(current)
        # Making the summary again also updates a sent summary's row on the clinic's list.
        listed = listing.columns(answers, store.today()) if finished else None
        language = i18n.current()
        if store.save(token, answers, completed, finished, language, read=current, listed=listed):
            current.answers, current.completed_steps = answers, completed
            current.version += 1
            return current
        current = None  # another save came first: read again
    raise SaveConflict("could not save: the answers kept changing")


def save_patient(merge, finished=None, read=None):
    """Save for the patient of this request: the first save makes the record (and the token);
    later ones merge. Any cached PDF of the old answers is dropped. Returns the Submission, or
    None when the answers are gone (deleted, or past the retention period). Raises `StartUsed`
    for a first save whose start has made its record already. `read`: the
    Submission the request has already read, if any (see `save_merged`)."""
    store = get_store(current_app)
    if is_new():
        answers, completed = merge(new_submission())
        language = i18n.current()
        created = store.create(answers, completed, language=language, start_token=session["token"])
        if created is None:
            raise StartUsed
        token, submission = created
        if finished:
            store.save(token, answers, completed, finished=True, language=language)
        session["token"] = token
        session.pop(NEW, None)
        return submission
    submission = save_merged(store, session.get("token"), merge, finished, read)
    if submission is not None:
        pdf_cache.drop(current_app, submission.reference)
    return submission
