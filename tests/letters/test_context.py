from datetime import date

import pytest

from app.countries import country_name
from app.letters.context import (
    declared_fact_keys,
    declared_facts,
    letter_date,
    letter_language,
    number_sources,
)
from app.letters.errors import (
    LetterError,
    MissingFactError,
    TemplateMissingError,
    UnverifiedFactError,
)
from app.letters.models import Recipient
from app.letters.signer import page_size_for
from app.letters.templates import template_name
from tests.letters.conftest import letter_html


def test_signers_in_the_us_and_canada_get_us_letter_and_everyone_else_a4():
    assert page_size_for("US") == "letter"
    assert page_size_for("ca") == "letter"
    assert page_size_for("GB") == "A4"
    assert page_size_for("KR") == "A4"


def test_the_date_is_written_in_the_letter_language():
    day = date(2026, 11, 5)
    assert letter_date(day, "en") == "November 5, 2026"
    assert letter_date(day, "ko") == "2026년 11월 5일"
    assert letter_date(day, "zh") == "2026年11月5日"


def test_the_country_is_named_in_the_letter_language():
    assert country_name("KR", "en") == "South Korea"
    assert country_name("KR", "ko") == "대한민국"
    assert country_name("GB", "zh") == "英国"


def test_a_recipient_that_does_not_read_the_signers_language_gets_english():
    london = Recipient(key="cn-embassy-gb", kind="embassy", languages=["en", "zh"])
    assert letter_language(london, "ko") == "en"
    assert letter_language(london, "zh") == "zh"


def test_sources_are_numbered_once_per_article_in_the_order_first_cited(world):
    campaigns, _ = world
    facts = declared_facts(campaigns["shenyang-seven"], "embassy")
    stated, sources = number_sources(facts, "en")
    assert [source.outlet for source in sources] == [
        "Asia Times",
        "Radio Free Asia (RFA Korean Service)",
    ]
    assert [fact.note for fact in stated] == [1, 2, 1, 2, 2]


def test_a_declared_fact_absent_from_the_campaign_refuses_the_letter(world):
    campaigns, _ = world
    campaign = campaigns["stop-forced-returns"]
    campaign.facts = [f for f in campaign.facts if f.key != "telegraph-non-refoulement"]
    with pytest.raises(MissingFactError, match="telegraph-non-refoulement"):
        letter_html(world, recipient="unhcr")


def test_a_declared_fact_whose_quote_no_longer_matches_refuses_the_letter(world):
    campaigns, _ = world
    fact = next(
        f for f in campaigns["stop-forced-returns"].facts if f.key == "telegraph-600-returned"
    )
    fact.quote = fact.quote.replace("about 600", "about 700")
    with pytest.raises(UnverifiedFactError, match="telegraph-600-returned"):
        letter_html(world, recipient="unhcr")


def test_a_kind_the_campaign_does_not_offer_is_refused(world):
    with pytest.raises(LetterError, match="offers no un_office letters"):
        letter_html(world, slug="save-my-friend-2012", recipient="ohchr")


def test_unknown_kinds_and_languages_and_undeclared_letters_have_no_template(world):
    with pytest.raises(TemplateMissingError):
        template_name("consulate", "en")
    with pytest.raises(TemplateMissingError):
        template_name("embassy", "fr")
    with pytest.raises(TemplateMissingError):
        declared_fact_keys(world[0]["save-my-friend-2012"], "ministry")


def test_a_message_longer_than_the_form_allows_is_refused(world):
    with pytest.raises(LetterError, match="600"):
        letter_html(world, message="x" * 601)


def test_a_signer_in_an_unknown_language_is_refused(world):
    with pytest.raises(LetterError, match="fr"):
        letter_html(world, language="fr")
