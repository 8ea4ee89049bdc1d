from datetime import date
from typing import Protocol

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import Base, TimestampMixin
from app.facts.models import Fact
from app.letters.models import Recipient

# The order of a campaign's facts and recipients is the order its page and its
# letters show them, so each link carries a position; the seed loader writes
# these tables directly and the relationships below only read them.
campaign_facts = Table(
    "campaign_facts",
    Base.metadata,
    Column("campaign_id", ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True),
    Column("fact_id", ForeignKey("facts.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False),
)

campaign_recipients = Table(
    "campaign_recipients",
    Base.metadata,
    Column("campaign_id", ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True),
    Column("recipient_id", ForeignKey("recipients.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False),
)


class Dated(Protocol):
    """What `Campaign.is_open_on` reads: a Campaign, or a lighter copy of one."""

    @property
    def opens_on(self) -> date: ...
    @property
    def closes_on(self) -> date | None: ...


class Titled(Protocol):
    """What `Campaign.title_in` reads."""

    @property
    def title(self) -> str: ...
    @property
    def translations(self) -> dict: ...


class Campaign(TimestampMixin, Base):
    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    # Title and summary in the other interface languages: {"ko": {"title":..., "summary":...}}
    translations: Mapped[dict] = mapped_column(JSON, default=dict)
    goal: Mapped[int]
    opens_on: Mapped[date]
    closes_on: Mapped[date | None]
    letter_kinds: Mapped[list] = mapped_column(JSON, default=list)
    # The one declaration of what each kind of letter states: {kind: [fact keys]},
    # each key one of the campaign's facts, in the order the letter states them.
    letter_facts: Mapped[dict] = mapped_column(JSON, default=dict)
    # When the reports it rests on were published, and whether it is about a past
    # case: {"past_case": bool, "period": {lang: ...}, "letter": {lang: ...},
    # "page": {lang: ...}}. See seeds/campaigns.yaml.
    time_frame: Mapped[dict] = mapped_column(JSON, default=dict)
    # Who signs its delivery packs: {"name": {lang: ...}, "contact": "..."}
    organizer: Mapped[dict] = mapped_column(JSON, default=dict)

    facts: Mapped[list[Fact]] = relationship(
        secondary=campaign_facts, order_by=campaign_facts.c.position, viewonly=True
    )
    recipients: Mapped[list[Recipient]] = relationship(
        secondary=campaign_recipients,
        order_by=campaign_recipients.c.position,
        viewonly=True,
    )

    def is_open_on(self: Dated, day: date) -> bool:
        return self.opens_on <= day and (self.closes_on is None or day <= self.closes_on)

    def has_closed_by(self, day: date) -> bool:
        return self.closes_on is not None and day > self.closes_on

    def title_in(self: Titled, language: str) -> str:
        return self.translations.get(language, {}).get("title") or self.title

    def summary_in(self, language: str) -> str:
        return self.translations.get(language, {}).get("summary") or self.summary

    @property
    def is_past_case(self) -> bool:
        return bool((self.time_frame or {}).get("past_case"))

    def time_frame_in(self, part: str, language: str) -> str:
        """The `part` ("period", "letter" or "page") of the time frame in `language`,
        else in English; empty when the campaign has none."""
        texts = (self.time_frame or {}).get(part) or {}
        return texts.get(language) or texts.get("en") or ""

    def organizer_name_in(self, language: str) -> str:
        names = (self.organizer or {}).get("name") or {}
        return names.get(language) or names.get("en") or ""

    @property
    def organizer_contact(self) -> str:
        return (self.organizer or {}).get("contact") or ""
