from datetime import date, datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import Base, UtcDateTime, utcnow

PENDING, CONFIRMED, WITHDRAWN, INVALIDATED = "pending", "confirmed", "withdrawn", "invalidated"

# Marks the columns that identify a signer: withdrawal, invalidation and
# retention erase exactly these (ERASED_SIGNER_DETAILS, below the model).
IDENTIFIES_SIGNER = {"identifies_signer": True}


class Signature(Base):
    """One person's signature on one campaign.

    The personal fields are nullable because withdrawal and invalidation (an
    organizer taking out a signature found to be fraudulent) erase them; the
    row stays so the status history is kept without anything that names anyone.
    """

    __tablename__ = "signatures"
    __table_args__ = (
        # One signature per campaign and person: the database decides, so two
        # requests racing with the same address still leave exactly one row.
        UniqueConstraint("campaign_id", "email_canonical", name="uq_signatures_campaign_email"),
        Index("ix_signatures_campaign_status_country", "campaign_id", "status", "country"),
        Index("ix_signatures_campaign_status_confirmed", "campaign_id", "status", "confirmed_at"),
        # The campaign page's latest public names, read straight off this
        # index in order, however many signers chose not to be named.
        Index(
            "ix_signatures_public_names",
            "campaign_id",
            "status",
            "show_name",
            "confirmed_at",
            "id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    name: Mapped[str | None] = mapped_column(String(100), info=IDENTIFIES_SIGNER)
    email: Mapped[str | None] = mapped_column(String(254), info=IDENTIFIES_SIGNER)
    email_canonical: Mapped[str | None] = mapped_column(String(254), info=IDENTIFIES_SIGNER)
    city: Mapped[str | None] = mapped_column(String(100), info=IDENTIFIES_SIGNER)
    country: Mapped[str | None] = mapped_column(String(2))
    message: Mapped[str | None] = mapped_column(Text, info=IDENTIFIES_SIGNER)
    # The letter's language (en, ko, zh) and the interface language the signer
    # used, which their emails are written in.
    language: Mapped[str] = mapped_column(String(5))
    locale: Mapped[str] = mapped_column(String(5))
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("recipients.id"))
    show_name: Mapped[bool] = mapped_column(Boolean, default=False, info=IDENTIFIES_SIGNER)
    include_in_delivery: Mapped[bool] = mapped_column(
        Boolean, default=False, info=IDENTIFIES_SIGNER
    )
    status: Mapped[str] = mapped_column(String(12), default=PENDING)
    duplicate_notices: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    invalidated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    campaign = relationship("Campaign")
    recipient = relationship("Recipient")
    tokens: Mapped[list["SignatureToken"]] = relationship(
        back_populates="signature", cascade="all, delete-orphan"
    )


# What erasing leaves in each identifying column: nothing, or "no" for a choice.
ERASED_SIGNER_DETAILS = {
    column.name: False if isinstance(column.type, Boolean) else None
    for column in Signature.__table__.columns
    if column.info.get("identifies_signer")
}


class SignatureToken(Base):
    """A link sent by email: only its hash is stored, and it expires."""

    __tablename__ = "signature_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    signature_id: Mapped[int] = mapped_column(
        ForeignKey("signatures.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    signature: Mapped[Signature] = relationship(back_populates="tokens")


class CountChange(Base):
    """One change to a campaign's confirmed count, written in the transaction
    that confirms or withdraws a signature.

    Appending a row never contends with other requests, unlike bumping one
    counter row. The rollup folds these rows in and deletes them, so the table
    stays small; until then, counts add them to the rollup, so they are exact
    at once.
    """

    __tablename__ = "count_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(index=True)
    # Empty text and 0 stand for "none", so the rollup's key has no NULLs.
    country: Mapped[str] = mapped_column(String(2), default="")
    recipient_id: Mapped[int] = mapped_column(default=0)
    day: Mapped[date]
    delta: Mapped[int]


class CountRollup(Base):
    """Confirmed signatures per campaign, country, recipient and UTC day."""

    __tablename__ = "count_rollups"

    campaign_id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    recipient_id: Mapped[int] = mapped_column(primary_key=True)
    confirmed: Mapped[int]
