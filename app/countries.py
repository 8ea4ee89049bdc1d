"""Countries: the ISO 3166-1 alpha-2 codes a signer may choose, and their names."""

import functools
import re

from babel import Locale

# Codes in CLDR's territory list that are regions or placeholders, not
# ISO 3166-1 countries.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "XK", "ZZ"}

COUNTRY_CODES = frozenset(
    code
    for code in Locale("en").territories
    if re.fullmatch(r"[A-Z]{2}", code) and code not in _NOT_COUNTRIES
)


def country_name(code: str | None, language: str) -> str:
    """The country's name in `language` (en, ko, zh ...), or the code if unknown."""
    code = (code or "").upper()
    return Locale.parse(language).territories.get(code, code)


def country_choices(language: str) -> list[tuple[str, str]]:
    """(code, name) for every country, sorted by name in `language`."""
    return list(_sorted_country_choices(language))


@functools.lru_cache(maxsize=16)
def _sorted_country_choices(language: str) -> tuple[tuple[str, str], ...]:
    # Sorting 250 names for every form shown costs more than the rest of the
    # form: once per language and process is enough.
    names = Locale.parse(language).territories
    return tuple(
        sorted(((code, names.get(code, code)) for code in COUNTRY_CODES), key=lambda c: c[1])
    )
