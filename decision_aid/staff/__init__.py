"""The clinic side for staff, on one blueprint (/staff): `auth` (sign-in, sessions, the guard
before every staff page), `views` (one summary as HTML, PDF and FHIR file, review status, the
audit log), `list_pages` (the list of sent summaries, finding one, the day list) and `passwords`
(argon2id, shared with the `decision-aid staff` commands)."""

from decision_aid.staff.auth import SIGN_IN_FAILED, TOO_MANY, bp, load_user, login_manager
from decision_aid.staff.passwords import hash_password, password_problem

__all__ = ["SIGN_IN_FAILED", "TOO_MANY", "bp", "hash_password", "init_app", "password_problem"]


def init_app(app):
    """Flask-Login and the /staff blueprint, with the routes of every staff module."""
    from decision_aid.staff import (  # noqa: F401 (their routes, on `bp`)
        feedback_pages,
        list_pages,
        report_pages,
        views,
    )

    login_manager.init_app(app)
    login_manager.login_view = "staff.sign_in"
    login_manager.login_message = None  # no flash: the sign-in page explains itself
    login_manager.user_loader(load_user)
    app.register_blueprint(bp)
