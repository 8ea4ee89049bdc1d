"""Helpers for tests that sign: a valid form and the links from the mail."""

import re

from sqlalchemy import select

from app.extensions import db
from app.outbox.models import OutboxMessage

OPEN_SLUG = "stop-forced-returns"
CLOSED_SLUG = "save-my-friend-2012"


def form_data(**changes) -> dict:
    data = {
        "name": "Kim Min-ji",
        "email": "min-ji@example.org",
        "city": "Seoul",
        "country": "KR",
        "language": "en",
        "recipient": "",
        "message": "",
        "consent": "y",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def fresh_session():
    """End the test's own transaction, so it sees what requests committed."""
    db.session.rollback()
    return db.session


def queued_mail(to_address: str | None = None) -> list[OutboxMessage]:
    fresh_session()
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if to_address:
        query = query.where(OutboxMessage.to_address == to_address)
    return list(db.session.scalars(query))


def links_in(body: str) -> dict[str, str]:
    """The confirm, letter and withdraw paths in a mail body."""
    found = {}
    for url in re.findall(r"https?://\S+", body):
        path = "/" + url.split("/", 3)[3]
        for kind in ("confirm", "letter.pdf", "withdraw"):
            if path.endswith("/" + kind):
                found[kind.removesuffix(".pdf")] = path
    return found
