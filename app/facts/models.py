from datetime import date
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import Base, TimestampMixin


class Article(TimestampMixin, Base):
    """A source article: the saved page, byte for byte, and where it came from."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    file_name: Mapped[str] = mapped_column(String(200))
    outlet: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    # No article carries a publication date; this is inferred and always approximate.
    period: Mapped[str] = mapped_column(String(100))
    # The period in the other letter languages: {"ko": ..., "zh": ...}
    period_translations: Mapped[dict] = mapped_column(JSON, default=dict)
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    # Lines that are page furniture, not reporting: {"prefixes": [...], "ends_at": ...}
    furniture: Mapped[dict] = mapped_column(JSON, default=dict)

    facts: Mapped[list["Fact"]] = relationship(back_populates="article")

    def period_in(self, language: str) -> str:
        return (self.period_translations or {}).get(language) or self.period


class Fact(TimestampMixin, Base):
    """One claim a letter may state, backed by a verbatim quote from its article."""

    __tablename__ = "facts"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    claim: Mapped[str] = mapped_column(Text)
    # The claim in the other letter languages: {"ko": ..., "zh": ...}
    claim_translations: Mapped[dict] = mapped_column(JSON, default=dict)
    quote: Mapped[str] = mapped_column(Text)
    value_number: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    value_date: Mapped[date | None]
    as_of: Mapped[str] = mapped_column(String(100))
    # The period in the other letter languages: {"ko": ..., "zh": ...}
    as_of_translations: Mapped[dict] = mapped_column(JSON, default=dict)

    article: Mapped[Article] = relationship(back_populates="facts")

    def claim_in(self, language: str) -> str:
        """The claim in `language`, or in English when no translation exists."""
        return self.claim_translations.get(language) or self.claim

    def as_of_in(self, language: str) -> str:
        return (self.as_of_translations or {}).get(language) or self.as_of
