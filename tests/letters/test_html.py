import html as html_lib

from app.letters.context import declared_fact_keys
from tests.letters.conftest import letter_html

MESSAGE = "My grandmother crossed the Tumen river.\nPlease let them go."


def text_of(html: str) -> str:
    return html_lib.unescape(html)


def test_the_letter_names_the_signer_their_city_and_country(world):
    html = letter_html(world, name="Jane Doe", city="Leeds", country="GB")
    assert '<p class="sender-name">Jane Doe</p>' in html
    assert "<p>Leeds</p>" in html
    assert "<p>United Kingdom</p>" in html


def test_the_letter_carries_the_date_address_block_and_salutation(world):
    html = text_of(letter_html(world, recipient="cn-embassy-gb"))
    assert "November 5, 2026" in html
    for line in ["49-51 Portland Place", "London W1B 1JL", "United Kingdom"]:
        assert f"{line}<br>" in html
    assert '<p class="salutation">Your Excellency,</p>' in html


def test_the_body_states_each_declared_fact_with_the_number_of_its_source(world):
    campaigns, _ = world
    campaign = campaigns["shenyang-seven"]
    html = text_of(letter_html(world, slug="shenyang-seven", recipient="ohchr"))
    facts = {fact.key: fact for fact in campaign.facts}
    notes = {"asiatimes": 1, "rfa": 2}
    for key in declared_fact_keys(campaign, "un_office"):
        note = notes[key.split("-")[0]]
        fact = facts[key]
        as_of = (
            f' <span class="as-of">(describes: {fact.as_of})</span>'
            if fact.as_of != fact.article.period
            else ""
        )
        assert f'<li>{fact.claim}{as_of}<sup class="note">{note}</sup></li>' in html


def test_the_body_states_no_fact_the_template_does_not_declare(world):
    campaigns, _ = world
    campaign = campaigns["stop-forced-returns"]
    html = text_of(letter_html(world, recipient="unhcr"))
    declared = set(declared_fact_keys(campaign, "unhcr"))
    for fact in campaign.facts:
        assert (fact.claim in html) == (fact.key in declared), fact.key


def test_the_sources_give_outlet_headline_and_an_approximate_period(world):
    html = text_of(letter_html(world, slug="shenyang-seven", recipient="ohchr"))
    assert (
        '<li value="2">Radio Free Asia (RFA Korean Service), “Seven Detained North Korean '
        "Defectors in China Face Repatriation”, approximately between 2017 and 2021</li>"
    ) in html
    assert "the periods are approximate" in html


def test_the_signers_message_is_printed_paragraph_by_paragraph(world):
    html = letter_html(world, message=MESSAGE)
    assert "<p>My grandmother crossed the Tumen river.</p>" in html
    assert "<p>Please let them go.</p>" in html


def test_a_letter_without_a_message_has_no_message_section(world):
    assert 'class="message"' not in letter_html(world, message="")


def test_the_letter_ends_with_a_signature_line_under_the_signers_name(world):
    assert '<p class="signature">Jane Doe</p>' in letter_html(world)


def test_a_korean_letter_is_in_korean_with_korean_claims_and_salutation(world):
    campaigns, _ = world
    html = text_of(
        letter_html(world, recipient="cn-embassy-kr", name="김영희", country="KR", language="ko")
    )
    assert '<html lang="ko">' in html
    assert "2026년 11월 5일" in html
    assert "존경하는 대사님께" in html
    assert "<p>대한민국</p>" in html
    assert "김영희 올림" in html
    fact = next(
        f for f in campaigns["stop-forced-returns"].facts if f.key == "telegraph-600-returned"
    )
    assert fact.claim_in("ko") in html
    # The period in Korean, not the English of the seed file.
    assert "추정 시기: 2023년 말경" in html
    assert "late 2023" not in html


def test_a_chinese_letter_is_in_chinese_with_chinese_claims_and_salutation(world):
    campaigns, _ = world
    html = text_of(letter_html(world, recipient="unhcr", name="王小明", language="zh"))
    assert '<html lang="zh">' in html
    assert "2026年11月5日" in html
    assert "尊敬的联合国难民事务高级专员：" in html
    assert "<p>英国</p>" in html
    fact = next(
        f for f in campaigns["stop-forced-returns"].facts if f.key == "telegraph-600-returned"
    )
    assert fact.claim_in("zh") in html
    assert "大致时间：2023年底前后" in html
    assert "late 2023" not in html


def test_a_korean_signer_writing_to_an_embassy_that_reads_no_korean_writes_in_english(world):
    html = letter_html(world, recipient="cn-embassy-gb", name="김영희", language="ko")
    assert '<html lang="en">' in html
    assert "김영희" in html


def test_the_page_size_follows_the_signers_country(world):
    assert "@page { size: letter; }" in letter_html(world, country="US")
    assert "@page { size: A4; }" in letter_html(world, country="GB")


def test_signer_text_is_escaped_in_the_html(world):
    html = letter_html(world, name="<b>Eve</b>", city="A & B", message='<img src="x">')
    assert "<b>Eve</b>" not in html
    assert "&lt;b&gt;Eve&lt;/b&gt;" in html
    assert "A &amp; B" in html
    assert "&lt;img src=&#34;x&#34;&gt;" in html
