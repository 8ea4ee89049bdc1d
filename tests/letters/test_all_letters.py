"""Every letter every campaign offers, in every language its recipients read,
read as a fact-checker reads it: no number without a quote behind it, no figure
outside the facts, and the same facts in Korean and Chinese as in English."""

import html as html_module
import re
from decimal import Decimal

import pytest

from app.facts.claims import numbers_in, quote_numbers
from app.letters.context import declared_fact_keys
from app.letters.signer import LETTER_LANGUAGES
from tests.letters.conftest import LETTER_DAY, letter_html
from tests.letters.seed_objects import seed_world


def every_letter():
    """Each campaign, recipient and signer language (a recipient that does not read
    the signer's language gets the English letter)."""
    campaigns, _ = seed_world()
    for campaign in campaigns.values():
        for recipient in campaign.recipients:
            for language in LETTER_LANGUAGES:
                yield campaign.slug, recipient.key, language


LETTERS = list(every_letter())


def text(fragment: str) -> str:
    return html_module.unescape(re.sub(r"<[^>]+>", " ", fragment))


def section(html: str, pattern: str) -> str:
    match = re.search(pattern, html, re.DOTALL)
    assert match, pattern
    return match.group(0)


def parts(html: str) -> dict[str, str]:
    """The letter's HTML body cut into what may carry numbers and what may not."""
    body = html[html.index("<body>") :]
    named = {
        "facts": r'<ol class="facts">.*?</ol>',
        "address": r'<address class="recipient">.*?</address>',
        "date": r'<p class="date">.*?</p>',
        "sources": r'<section class="sources">.*?</section>',
    }
    cut = {name: section(body, pattern) for name, pattern in named.items()}
    rest = body
    for fragment in cut.values():
        rest = rest.replace(fragment, " ")
    cut["rest"] = rest
    return cut


def test_all_fifty_one_letters_are_read():
    assert len(LETTERS) == 51


@pytest.mark.parametrize(("slug", "recipient", "language"), LETTERS)
def test_every_number_in_a_letter_is_backed_and_no_other_sentence_states_a_figure(
    slug, recipient, language
):
    world = seed_world()
    campaign = world[0][slug]
    html = letter_html(world, slug, recipient, language=language, name="Jane Doe", city="")
    cut = parts(html)
    facts = {fact.key: fact for fact in campaign.facts}
    stated = [facts[key] for key in declared_fact_keys(campaign, world[1][recipient].kind)]

    # Each fact's line: its numbers are in its quote, or the year of its period,
    # or the note number that follows it.
    items = re.findall(r"<li>(.*?)</li>", cut["facts"], re.DOTALL)
    assert len(items) == len(stated)
    language = re.search(r'<html lang="(\w+)">', html).group(1)
    for item, fact in zip(items, stated, strict=True):
        backed = quote_numbers(fact.quote) | set(numbers_in(fact.as_of, "en"))
        backed |= set(numbers_in(fact.as_of_in(language), language))
        note = re.search(r'<sup class="note">(\d+)</sup>', item).group(1)
        backed.add(Decimal(note))
        for number, words in numbers_in(text(item), language).items():
            assert number in backed, (fact.key, words)

    # Outside the facts, the sources, the address and the date: no figure at all,
    # but the period the campaign's reports describe.
    period = campaign.time_frame_in("period", language)
    allowed = set(numbers_in(period, language)) | set(numbers_in(period, "en"))
    for number, words in numbers_in(text(cut["rest"]), language).items():
        assert number in allowed, words


@pytest.mark.parametrize(
    ("slug", "recipient", "language"),
    [
        (slug, key, language)
        for slug, key, language in LETTERS
        if language != "en" and language in seed_world()[1][key].languages
    ],
)
def test_a_korean_or_chinese_letter_states_the_same_facts_as_the_english_one(
    slug, recipient, language
):
    world = seed_world()
    campaign, kind = world[0][slug], world[1][recipient].kind
    english = parts(letter_html(world, slug, recipient, language="en"))
    translated = parts(letter_html(world, slug, recipient, language=language))
    facts = {fact.key: fact for fact in campaign.facts}
    keys = declared_fact_keys(campaign, kind)

    assert len(re.findall(r"<li>", translated["facts"])) == len(
        re.findall(r"<li>", english["facts"])
    )
    for key in keys:
        fact = facts[key]
        # A translation of its own, never the English claim standing in.
        assert fact.claim_translations.get(language), (key, language)
        assert fact.claim_in(language) in text(translated["facts"])
        # And the same figures as the English claim.
        assert set(numbers_in(fact.claim_in(language), language)) - {1} == set(
            numbers_in(fact.claim, "en")
        ) - {1}, key
    assert LETTER_DAY.year == 2026


@pytest.mark.parametrize("language", LETTER_LANGUAGES)
def test_a_campaign_summary_states_no_number_its_facts_quotes_do_not(language):
    for campaign in seed_world()[0].values():
        backed = set()
        for fact in campaign.facts:
            backed |= quote_numbers(fact.quote) | set(numbers_in(fact.as_of, "en"))
            backed |= set(numbers_in(fact.article.period, "en"))
        summary = campaign.summary_in(language)
        assert language == "en" or summary != campaign.summary, (campaign.slug, language)
        for number, words in numbers_in(summary, language).items():
            assert number in backed, (campaign.slug, words)


# Who each person named in a claim is, as the claim that first names them must say.
INTRODUCTIONS = {
    "Peter Jung": "the founder of Justice for North Korea",
    "Sun-mi Jung": "a South Korean attorney",
    "Choi": "surnamed Choi",
    "Thae Yong-ho": "one of North Korea's highest-level defectors",
    "Elizabeth Salmon": "the UN's envoy on human rights",
}


@pytest.mark.parametrize(
    ("slug", "recipient"), sorted({(slug, key) for slug, key, _language in LETTERS})
)
def test_a_letter_introduces_everyone_it_names_and_every_stance_it_refers_to(slug, recipient):
    world = seed_world()
    campaign = world[0][slug]
    facts = {fact.key: fact for fact in campaign.facts}
    claims = [facts[key].claim for key in declared_fact_keys(campaign, world[1][recipient].kind)]
    for name, introduction in INTRODUCTIONS.items():
        naming = [claim for claim in claims if re.search(rf"\b{name}\b", claim)]
        if naming:
            assert introduction in naming[0], (name, naming[0])
    for claim in claims:
        # "this stance" or "China's stance" only where the claim says what it is.
        if "stance" in claim:
            assert "does not consider" in claim[: claim.index("stance")], claim
    text = letter_html(world, slug, recipient)
    assert "the people these reports describe" not in text or campaign.is_past_case
