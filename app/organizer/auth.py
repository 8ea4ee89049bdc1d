"""Flask-Login's side: which organizer a session belongs to, if it still may."""

from app.extensions import db
from app.organizer.service import load_organizer


def load_user(session_id: str):
    """The active organizer the session names, if the session is not older than
    their last logout, deactivation or password change; None logs it out.

    Called on every request, so a session ended on the server ends everywhere.
    """
    organizer_id, _, version = session_id.partition(":")
    try:
        return load_organizer(db.session, int(organizer_id), int(version))
    except ValueError:
        return None
