"""Flask-Login's side: which organizer a session belongs to."""

from app.extensions import db
from app.organizer.service import load_organizer


def load_user(user_id: str):
    """The active organizer the session names; None logs the session out."""
    try:
        return load_organizer(db.session, int(user_id))
    except ValueError:
        return None
