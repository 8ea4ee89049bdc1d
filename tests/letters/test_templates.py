from app.letters.context import declared_fact_keys
from app.letters.models import RECIPIENT_KINDS
from app.letters.signer import LETTER_LANGUAGES
from app.letters.templates import LETTER_TEMPLATES_DIR, template_name


def test_every_recipient_kind_has_a_template_in_every_letter_language():
    for kind in RECIPIENT_KINDS:
        for language in LETTER_LANGUAGES:
            assert (LETTER_TEMPLATES_DIR / template_name(kind, language)).is_file()


def test_every_letter_a_campaign_offers_declares_facts_the_campaign_shows(world):
    campaigns, _ = world
    for campaign in campaigns.values():
        shown = {fact.key for fact in campaign.facts}
        for kind in campaign.letter_kinds:
            declared = declared_fact_keys(campaign, kind)
            assert declared
            assert set(declared) <= shown, (kind, campaign.slug)


def test_every_letter_renders_for_every_offered_recipient_and_language(world):
    from tests.letters.conftest import letter_html

    campaigns, _ = world
    for campaign in campaigns.values():
        for recipient in campaign.recipients:
            if recipient.kind not in campaign.letter_kinds:
                continue
            for language in LETTER_LANGUAGES:
                html = letter_html(world, campaign.slug, recipient.key, language=language)
                assert recipient.address_lines[1] in html
