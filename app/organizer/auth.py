"""Who may be logged in: the session's organizer, and the limit on failed logins."""

from flask import current_app
from limits import parse

from app.extensions import db, limiter
from app.organizer.service import load_organizer


def load_user(session_id: str):
    """The active organizer the session names, if the session is not older than
    their last logout, deactivation or password change; None logs it out.

    Called on every request, so a session ended on the server ends everywhere.
    """
    organizer_id, _, version = session_id.partition(":")
    try:
        return load_organizer(db.session(), int(organizer_id), int(version))
    except ValueError:
        return None


# Failed logins at one account. Counting every attempt (or refusing every
# address once an account had its limit) would let anyone lock an organizer
# out by guessing wrong on purpose. So only failures count; once an account
# has had ORGANIZER_LOGIN_RATE_LIMIT of them, the addresses they came from
# wait, while an address that has not failed at it may still log in. Each
# address is limited on every attempt as well, by the decorator on the view.
_FAILED_LOGINS = "organizer-login-failed"


def _failure_limits():
    per_account = parse(current_app.config["ORGANIZER_LOGIN_RATE_LIMIT"])
    # One failure from an address, in the same window, marks it.
    per_address = type(per_account)(1, per_account.multiples)
    return per_account, per_address


def login_refused(email: str, address: str) -> bool:
    """True when the account has had its limit of failures and this address failed at it."""
    per_account, per_address = _failure_limits()
    strategy = limiter.limiter  # the in-memory fallback while Redis is down
    return not strategy.test(per_account, _FAILED_LOGINS, email) and not strategy.test(
        per_address, _FAILED_LOGINS, email, address
    )


def record_failed_login(email: str, address: str) -> None:
    per_account, per_address = _failure_limits()
    limiter.limiter.hit(per_account, _FAILED_LOGINS, email)
    limiter.limiter.hit(per_address, _FAILED_LOGINS, email, address)
