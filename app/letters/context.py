"""Everything a letter template prints, gathered from a campaign, a recipient and a signer."""

from dataclasses import dataclass
from datetime import date

from babel.dates import format_date

from app.countries import country_name
from app.facts.verification import verify_fact
from app.letters.errors import (
    LetterError,
    MissingFactError,
    TemplateMissingError,
    UnverifiedFactError,
)
from app.letters.signer import LETTER_LANGUAGES, MESSAGE_MAX_LENGTH, Signer, page_size_for


@dataclass(frozen=True)
class Source:
    number: int
    outlet: str
    title: str  # empty for an article without a headline: cited as untitled
    period: str  # in the letter's language


@dataclass(frozen=True)
class StatedFact:
    key: str
    claim: str
    note: int  # the number of the source it comes from
    # The time the fact describes, in the letter's language, when it is not its
    # source's period (an escape years before the report); else empty.
    as_of: str = ""


def letter_language(recipient, requested: str) -> str:
    """The signer's language if the recipient reads it, else English, else its first."""
    accepted = list(recipient.languages or ["en"])
    if requested in accepted:
        return requested
    return "en" if "en" in accepted else accepted[0]


def declared_fact_keys(campaign, kind: str) -> tuple[str, ...]:
    """The fact keys the campaign's `kind` letter states, in the order it states them."""
    keys = (campaign.letter_facts or {}).get(kind)
    if not keys:
        raise TemplateMissingError(
            f"Campaign {campaign.slug!r} declares no facts for its {kind} letter."
        )
    return tuple(keys)


def declared_facts(campaign, kind: str) -> list:
    """The facts the `kind` letter declares, each present in the campaign and verified."""
    by_key = {fact.key: fact for fact in campaign.facts}
    facts = []
    for key in declared_fact_keys(campaign, kind):
        fact = by_key.get(key)
        if fact is None:
            raise MissingFactError(key, campaign.slug, kind)
        verification = verify_fact(fact)
        if not verification.verified:
            raise UnverifiedFactError(key, verification.reasons())
        facts.append(fact)
    return facts


def number_sources(facts: list, language: str) -> tuple[list[StatedFact], list[Source]]:
    """Each fact's claim in `language` with the number of its source; sources numbered
    in the order the letter first cites them, one per article."""
    numbers: dict[str, int] = {}
    sources: list[Source] = []
    stated = []
    for fact in facts:
        article = fact.article
        if article.key not in numbers:
            numbers[article.key] = len(numbers) + 1
            sources.append(
                Source(
                    numbers[article.key],
                    article.outlet,
                    article.title,
                    article.period_in(language),
                )
            )
        as_of = fact.as_of_in(language) if fact.as_of != article.period else ""
        stated.append(StatedFact(fact.key, fact.claim_in(language), numbers[article.key], as_of))
    return stated, sources


def letter_date(day: date, language: str) -> str:
    return format_date(day, format="long", locale=language)


def check_signer(signer: Signer) -> None:
    if signer.language not in LETTER_LANGUAGES:
        raise LetterError(
            f"Letters are written in {', '.join(LETTER_LANGUAGES)}, not {signer.language!r}."
        )
    if not signer.name.strip():
        raise LetterError("A letter needs the signer's name.")
    if len(signer.message) > MESSAGE_MAX_LENGTH:
        raise LetterError(f"The personal message is longer than {MESSAGE_MAX_LENGTH} characters.")


def letter_context(campaign, recipient, signer: Signer, *, today: date) -> dict:
    check_signer(signer)
    if recipient.kind not in (campaign.letter_kinds or []):
        raise LetterError(f"Campaign {campaign.slug!r} offers no {recipient.kind} letters.")
    language = letter_language(recipient, signer.language)
    facts, sources = number_sources(declared_facts(campaign, recipient.kind), language)
    return {
        "language": language,
        "page_size": page_size_for(signer.country),
        "date": letter_date(today, language),
        "signer_name": signer.name.strip(),
        "signer_city": signer.city.strip(),
        "signer_country": country_name(signer.country, language),
        "message_paragraphs": [
            line.strip() for line in signer.message.splitlines() if line.strip()
        ],
        "organization": recipient.organization,
        "address_lines": list(recipient.address_lines),
        "salutation": recipient.salutation_in(language),
        "facts": facts,
        "sources": sources,
        # A past case: the opening says when it was reported, and the ask is about
        # the practice and about the people only if their fate is still unknown.
        "past_case": campaign.is_past_case,
        "reported": campaign.time_frame_in("letter", language),
    }
