"""Is a fact's quote really in its article?

A fact is verified only while its quote occurs in the reporting text of its
article: the saved page without its furniture lines, with runs of whitespace
collapsed and typographic quotes made straight. Nothing else is normalized, so
a single changed word, letter or digit fails.
"""

from dataclasses import dataclass
from functools import lru_cache

_TYPOGRAPHIC_QUOTES = str.maketrans(
    {
        "\u2018": "'",  # ‘
        "\u2019": "'",  # ’
        "\u201a": "'",  # ‚
        "\u201b": "'",  # ‛
        "\u201c": '"',  # “
        "\u201d": '"',  # ”
        "\u201e": '"',  # „
        "\u201f": '"',  # ‟
    }
)


def normalize(text: str) -> str:
    return " ".join(text.translate(_TYPOGRAPHIC_QUOTES).split())


# Stands where a furniture line was, so that no quote can run across it.
_GAP = "\x00"


def reporting_lines(text: str, prefixes: tuple[str, ...], ends_at: str | None) -> list[str]:
    """The article's lines, with each furniture line replaced by a gap marker."""
    kept = []
    for line in text.splitlines():
        stripped = line.strip()
        if ends_at and stripped.startswith(ends_at):
            break
        is_furniture = any(stripped.startswith(prefix) for prefix in prefixes)
        kept.append(_GAP if is_furniture else line)
    return kept


@lru_cache(maxsize=64)
def _normalized_reporting_text(text: str, prefixes: tuple[str, ...], ends_at: str | None) -> str:
    # Joined with newlines, a quote may run across paragraphs (whitespace
    # collapses) but not across a gap.
    return normalize("\n".join(reporting_lines(text, prefixes, ends_at)))


def reporting_text(text: str, furniture: dict | None) -> str:
    furniture = furniture or {}
    return _normalized_reporting_text(
        text, tuple(furniture.get("prefixes") or ()), furniture.get("ends_at")
    )


def quote_is_in(quote: str, text: str, furniture: dict | None) -> bool:
    needle = normalize(quote)
    return bool(needle) and _GAP not in needle and needle in reporting_text(text, furniture)


@dataclass(frozen=True)
class Verification:
    fact_key: str
    article_key: str
    verified: bool


def verify_fact(fact) -> Verification:
    article = fact.article
    return Verification(
        fact_key=fact.key,
        article_key=article.key,
        verified=quote_is_in(fact.quote, article.text, article.furniture),
    )
