"""The signer as a letter sees them: no email, nothing a letter does not print."""

from dataclasses import MISSING, dataclass, fields

LETTER_LANGUAGES = ("en", "ko", "zh")
# The sign form allows this much; a longer message would push a letter past one page.
MESSAGE_MAX_LENGTH = 600
# Signers in these countries post on US Letter paper; everyone else on A4.
US_LETTER_COUNTRIES = frozenset({"US", "CA"})


@dataclass(frozen=True)
class Signer:
    name: str
    city: str
    country: str  # ISO 3166-1 alpha-2
    language: str  # one of LETTER_LANGUAGES
    message: str = ""

    @classmethod
    def of(cls, source) -> "Signer":
        """The letter's view of anything that names these fields: what a signer
        submitted, or their stored signature. A field left empty (None) takes
        its default; the letter needs nothing else of them."""
        values = {}
        for field in fields(cls):
            value = getattr(source, field.name)
            if value is None and field.default is not MISSING:
                value = field.default
            values[field.name] = value
        return cls(**values)


def page_size_for(country: str) -> str:
    """The CSS page size for a signer in `country`."""
    return "letter" if country.upper() in US_LETTER_COUNTRIES else "A4"
