"""Sending from a thread of the web process, for development.

The request that queued the mail has already answered when this runs, so a
slow or absent mail server never holds up signing. Messages that fail stay
queued for the next run or for `flask outbox work`.
"""

import threading

from app.extensions import db
from app.outbox.mailers import mailer_for
from app.outbox.service import deliver_due

_lock = threading.Lock()


def send_soon(app) -> None:
    if not app.config["OUTBOX_SEND_IN_BACKGROUND"]:
        return
    threading.Thread(target=_send_due, args=(app,), daemon=True).start()


def _send_due(app) -> None:
    with _lock, app.app_context():
        try:
            deliver_due(
                db.session,
                mailer_for(app.config),
                max_attempts=app.config["OUTBOX_MAX_ATTEMPTS"],
                duplicate_notice_limit=app.config["DUPLICATE_NOTICE_LIMIT"],
            )
        finally:
            db.session.remove()
