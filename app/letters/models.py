from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, TimestampMixin

RECIPIENT_KINDS = ("embassy", "unhcr", "un_office", "ministry")
ALL_COUNTRIES = "all"


class Serving(Protocol):
    """What `Recipient.serves` reads: a Recipient, or a lighter copy of one."""

    @property
    def countries(self) -> Sequence[str]: ...
    @property
    def serves_everyone(self) -> bool: ...


class Recipient(TimestampMixin, Base):
    """Someone a letter can be posted to."""

    __tablename__ = "recipients"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    organization: Mapped[str] = mapped_column(String(300))
    address_lines: Mapped[list] = mapped_column(JSON, default=list)
    # {"en": "Your Excellency,", "ko": ..., "zh": ...}
    salutations: Mapped[dict] = mapped_column(JSON, default=dict)
    languages: Mapped[list] = mapped_column(JSON, default=list)
    # ISO 3166-1 alpha-2 codes of the signer countries served by default,
    # or ["all"] for a recipient any signer may write to.
    countries: Mapped[list] = mapped_column(JSON, default=list)

    @property
    def serves_everyone(self: Serving) -> bool:
        return ALL_COUNTRIES in self.countries

    def serves(self: Serving, country: str) -> bool:
        return self.serves_everyone or country in self.countries

    def salutation_in(self, language: str) -> str:
        return self.salutations.get(language) or self.salutations["en"]
