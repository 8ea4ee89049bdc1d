"""Helpers for tests that sign: a valid form and the links from the mail."""

import re
from datetime import UTC, datetime

from sqlalchemy import select

from app.campaigns.models import Campaign
from app.extensions import db
from app.letters.models import Recipient
from app.outbox.models import OutboxMessage
from app.signatures.models import CONFIRMED, Signature
from app.signatures.rollups import record_count_change

# The sign form's field names, a public contract other tools post to; and the honeypot.
SIGN_FIELDS = (
    "name",
    "email",
    "city",
    "country",
    "language",
    "recipient",
    "message",
    "show_name",
    "include_in_delivery",
    "consent",
)
HONEYPOT_FIELD = "website"

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


class RecordingMailer:
    def __init__(self):
        self.sent = []

    def send(self, to_address: str, subject: str, body: str) -> None:
        self.sent.append((to_address, subject, body))


def deliver_queued_mail(app) -> list[tuple[str, str, str]]:
    """Run the outbox's sender once; the (to, subject, body) of what went out."""
    from app.outbox.service import deliver_due

    mailer = RecordingMailer()
    deliver_due(
        fresh_session(),
        mailer,
        max_attempts=app.config["OUTBOX_MAX_ATTEMPTS"],
        duplicate_notice_limit=app.config["DUPLICATE_NOTICE_LIMIT"],
    )
    return mailer.sent


def links_in(body: str) -> dict[str, str]:
    """The confirm, letter and withdraw paths in a mail body."""
    found = {}
    for url in re.findall(r"https?://\S+", body):
        path = "/" + url.split("/", 3)[3]
        for kind in ("confirm", "letter.pdf", "withdraw"):
            if path.endswith("/" + kind):
                found[kind.removesuffix(".pdf")] = path
    return found


def sign_and_confirm(client, email: str, **changes) -> dict[str, str]:
    """Sign through the form and confirm with the mailed link; the mail's links."""
    response = client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(email=email, **changes))
    assert response.status_code == 303
    links = links_in(queued_mail()[-1].body)  # the mail this signature queued
    assert client.post(links["confirm"]).status_code == 303
    return links


def add_signature(
    slug: str = OPEN_SLUG,
    *,
    name: str = "Named Person",
    email: str | None = None,
    country: str = "KR",
    city: str = "Seoul",
    message: str | None = None,
    recipient_key: str = "unhcr",
    status: str = CONFIRMED,
    include_in_delivery: bool = True,
    show_name: bool = False,
    created_at: datetime | None = None,
    confirmed_at: datetime | None = None,
) -> Signature:
    """A signature written straight to the database, committed."""
    email = email or f"{abs(hash((slug, name)))}@example.net"
    created_at = created_at or datetime(2026, 11, 3, 12, 0, tzinfo=UTC)
    signature = Signature(
        campaign=db.session.scalar(select(Campaign).where(Campaign.slug == slug)),
        name=name,
        email=email,
        email_canonical=email,
        city=city,
        country=country,
        message=message,
        language="en",
        locale="en",
        recipient=db.session.scalar(select(Recipient).where(Recipient.key == recipient_key)),
        show_name=show_name,
        include_in_delivery=include_in_delivery,
        status=status,
        created_at=created_at,
        confirmed_at=(confirmed_at or created_at) if status == CONFIRMED else None,
    )
    db.session.add(signature)
    db.session.flush()
    if status == CONFIRMED:
        # As confirming does: the counts see it at once.
        record_count_change(
            db.session,
            campaign_id=signature.campaign_id,
            country=country,
            recipient_id=signature.recipient_id,
            confirmed_at=signature.confirmed_at,
            delta=+1,
        )
    db.session.commit()
    return signature


def text_anywhere_in_the_database(*needles: str) -> list[str]:
    """Which of `needles` occur in any text column of any table, as `table.column`."""
    from sqlalchemy import String, Text, or_

    from app.database import Base

    fresh_session()
    found = []
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text)]
        for needle in needles:
            for column in columns:
                hit = db.session.execute(
                    select(column).where(or_(column.contains(needle))).limit(1)
                ).first()
                if hit is not None:
                    found.append(f"{table.name}.{column.name}: {needle}")
    db.session.rollback()
    return found
