"""The signer as a letter sees them: no email, nothing a letter does not print."""

from dataclasses import dataclass

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


def page_size_for(country: str) -> str:
    """The CSS page size for a signer in `country`."""
    return "letter" if country.upper() in US_LETTER_COUNTRIES else "A4"
