from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, UtcDateTime, utcnow

QUEUED, SENT, FAILED = "queued", "sent", "failed"
# An "already signed" notice over the signer's limit: never sent.
SKIPPED = "skipped"


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_status_next_attempt", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The signature the mail is about: withdrawing it drops this mail only,
    # and deleting it (retention) deletes the mail with it.
    signature_id: Mapped[int | None] = mapped_column(
        ForeignKey("signatures.id", ondelete="CASCADE"), index=True
    )
    # Address and body are erased once the message is sent: the body holds
    # the signer's private links.
    to_address: Mapped[str | None] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Set on an "already signed" notice: the signature it is about. Signing
    # again writes this row whatever the count of notices, so a repeat costs
    # what a new signature costs; the sender decides whether it goes out.
    duplicate_notice_for: Mapped[int | None] = mapped_column()
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
