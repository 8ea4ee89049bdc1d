"""Countries: the ISO 3166-1 alpha-2 codes a signer may choose, and their names.

The list of codes is ISO 3166-1 itself, from pycountry; the names come from
Babel (CLDR) in the page's language, with pycountry's English name for the
rare code CLDR does not name.
"""

import unicodedata
from functools import cache

import pycountry
from babel import Locale

_ENGLISH_NAMES = {country.alpha_2: country.name for country in pycountry.countries}

COUNTRY_CODES = frozenset(_ENGLISH_NAMES)


def country_name(code: str | None, language: str) -> str:
    """The country's name in `language` (en, ko, zh ...), or the code if unknown."""
    code = (code or "").upper()
    name = Locale.parse(language).territories.get(code)
    return name or _ENGLISH_NAMES.get(code, code)


def collation_key(name: str) -> str:
    """Sorts names as a reader of the language expects, close enough without ICU:
    accents and case are ignored (Åland with the A's, Côte d'Ivoire with the C's),
    and Hangul syllables, whose code points follow the Korean alphabet, sort
    in dictionary order as they are."""
    decomposed = unicodedata.normalize("NFKD", name)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    # NFKD also splits Hangul syllables into jamo; compose them again so
    # Korean names compare syllable by syllable.
    return unicodedata.normalize("NFC", base).casefold()


@cache
def country_choices(language: str) -> tuple[tuple[str, str], ...]:
    """(code, name) for every ISO 3166-1 country, sorted by name in `language`."""
    names = [(code, country_name(code, language)) for code in COUNTRY_CODES]
    return tuple(sorted(names, key=lambda choice: collation_key(choice[1])))
