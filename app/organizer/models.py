from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import Base, TimestampMixin, UtcDateTime, utcnow


class Organizer(UserMixin, TimestampMixin, Base):
    """Someone who runs campaigns: sees the campaigns granted to them, nothing else."""

    __tablename__ = "organizers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of every session's identity (get_id): raising it on logout,
    # deactivation or a password change ends every session opened before.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    grants: Mapped[list["CampaignGrant"]] = relationship(
        back_populates="organizer", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses to log in an inactive account
        return self.active

    def get_id(self) -> str:
        """What Flask-Login keeps in the session: the id and the session version."""
        return f"{self.id}:{self.session_version}"


class CampaignGrant(TimestampMixin, Base):
    """An organizer's access to one campaign.

    Without `can_export_signatures` the organizer sees counts only: no signer's
    name leaves the database through them.
    """

    __tablename__ = "campaign_grants"
    __table_args__ = (
        UniqueConstraint(
            "organizer_id", "campaign_id", name="uq_campaign_grants_organizer_campaign"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organizer_id: Mapped[int] = mapped_column(ForeignKey("organizers.id", ondelete="CASCADE"))
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    can_export_signatures: Mapped[bool] = mapped_column(Boolean, default=False)

    organizer: Mapped[Organizer] = relationship(back_populates="grants")
    campaign = relationship("Campaign")


class AuditEvent(Base):
    """Who exported (or invalidated signatures of) what, and when. Never a
    signer's data.

    `organizer_id` is empty for exports made on the server's command line.
    """

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_campaign_created", "campaign_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organizer_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizers.id", ondelete="SET NULL")
    )
    action: Mapped[str] = mapped_column(String(60))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    detail: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    organizer = relationship("Organizer")
