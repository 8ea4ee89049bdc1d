"""Everything a letter template prints, gathered from a campaign, a recipient and a signer."""

from dataclasses import dataclass
from datetime import date

from babel.dates import format_date

from app.countries import country_name
from app.facts.verification import verify_fact
from app.letters.errors import LetterError, MissingFactError, UnverifiedFactError
from app.letters.signer import LETTER_LANGUAGES, MESSAGE_MAX_LENGTH, Signer, page_size_for
from app.letters.templates import declared_fact_keys


@dataclass(frozen=True)
class Source:
    number: int
    outlet: str
    title: str
    period: str


@dataclass(frozen=True)
class StatedFact:
    key: str
    claim: str
    note: int  # the number of the source it comes from


def letter_language(recipient, requested: str) -> str:
    """The signer's language if the recipient reads it, else English, else its first."""
    accepted = list(recipient.languages or ["en"])
    if requested in accepted:
        return requested
    return "en" if "en" in accepted else accepted[0]


def declared_facts(campaign, kind: str) -> list:
    """The facts the `kind` letter declares, each present in the campaign and verified."""
    by_key = {fact.key: fact for fact in campaign.facts}
    facts = []
    for key in declared_fact_keys(kind, campaign.slug):
        fact = by_key.get(key)
        if fact is None:
            raise MissingFactError(key, campaign.slug, kind)
        verification = verify_fact(fact)
        if not verification.verified:
            raise UnverifiedFactError(key, verification.article_key)
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
                Source(numbers[article.key], article.outlet, article.title, article.period)
            )
        stated.append(StatedFact(fact.key, fact.claim_in(language), numbers[article.key]))
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
    }
