"""Is a fact's quote really in its article, and do its claims say no more?

A fact is verified only while its quote occurs in the reporting text of its
article: the saved page without its furniture lines, with runs of whitespace
collapsed and typographic quotes made straight. Nothing else is normalized, so
a single changed word, letter or digit fails. And only while each of its claims
(en, ko, zh) states no number its quote does not, keeps the quote's hedges
and, where the fact has a structured value, states it (see app/facts/claims.py).
"""

from dataclasses import dataclass, field
from functools import lru_cache

from app.facts.claims import claim_problems, value_problems

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
    quote_found: bool
    # What the claims state beyond the quote, each naming the claim and the word.
    problems: tuple = field(default=())

    @property
    def verified(self) -> bool:
        return self.quote_found and not self.problems

    def reasons(self) -> list[str]:
        found = [] if self.quote_found else [f"quote not found in article {self.article_key!r}"]
        return found + [str(problem) for problem in self.problems]


@lru_cache(maxsize=512)
def _claim_problems(claims: tuple, quote: str, as_of: str, value) -> tuple:
    return tuple(
        claim_problems(dict(claims), quote, as_of) + value_problems(value, dict(claims), quote)
    )


def verify_fact(fact) -> Verification:
    article = fact.article
    claims = (("en", fact.claim), *sorted((fact.claim_translations or {}).items()))
    return Verification(
        fact_key=fact.key,
        article_key=article.key,
        quote_found=quote_is_in(fact.quote, article.text, article.furniture),
        problems=_claim_problems(
            claims,
            fact.quote,
            fact.as_of or "",
            fact.value_number if fact.value_number is not None else fact.value_date,
        ),
    )
