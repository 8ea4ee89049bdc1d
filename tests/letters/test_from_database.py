"""Letters built from the seeded database, on every database the suite runs on."""

import pytest
from sqlalchemy import delete, select

from app.campaigns.models import Campaign
from app.extensions import db
from app.facts.models import Fact
from app.letters.errors import MissingFactError, UnverifiedFactError
from app.letters.models import Recipient
from app.letters.service import build_letter_html
from app.letters.signer import Signer
from tests.letters.conftest import LETTER_DAY, pdf_text

SIGNER = Signer(name="김영희", city="Seoul", country="KR", language="ko", message="부탁드립니다.")


def campaign_and_recipient(slug: str, key: str):
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    recipient = db.session.scalar(select(Recipient).where(Recipient.key == key))
    return campaign, recipient


def test_a_letter_is_built_from_the_seeded_campaign_facts_and_recipient(seeded):
    campaign, recipient = campaign_and_recipient("shenyang-seven", "kr-mofa")
    html = build_letter_html(campaign, recipient, SIGNER, today=LETTER_DAY)
    assert "존경하는 외교부 장관님께" in html
    assert "60 Sajik-ro 8-gil, Jongno-gu" in html
    fact = db.session.scalar(select(Fact).where(Fact.key == "rfa-mother-appeal"))
    assert fact.claim_in("ko") in html


def test_a_fact_whose_quote_is_altered_by_one_word_refuses_the_letter(seeded):
    fact = db.session.scalar(select(Fact).where(Fact.key == "telegraph-non-refoulement"))
    fact.quote = fact.quote.replace("refugee", "migrant", 1)
    db.session.commit()
    campaign, recipient = campaign_and_recipient("stop-forced-returns", "cn-embassy-kr")
    with pytest.raises(UnverifiedFactError, match="telegraph-non-refoulement"):
        build_letter_html(campaign, recipient, SIGNER, today=LETTER_DAY)


def test_a_deleted_fact_refuses_the_letter(seeded):
    db.session.execute(delete(Fact).where(Fact.key == "telegraph-non-refoulement"))
    db.session.commit()
    campaign, recipient = campaign_and_recipient("stop-forced-returns", "cn-embassy-kr")
    with pytest.raises(MissingFactError, match="telegraph-non-refoulement"):
        build_letter_html(campaign, recipient, SIGNER, today=LETTER_DAY)


def test_flask_letters_render_writes_a_pdf(seeded, runner, tmp_path):
    output = tmp_path / "letter.pdf"
    result = runner.invoke(
        args=[
            "letters", "render", "--campaign", "stop-forced-returns", "--recipient", "unhcr",
            "--name", "王小明", "--city", "London", "--country", "gb", "--language", "zh",
            "--message", "请不要遣返他们。", "--output", str(output),
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = pdf_text(output.read_bytes())
    assert "王小明" in text
    assert "请不要遣返他们。" in text


def test_flask_letters_render_can_write_the_html(seeded, runner, tmp_path):
    output = tmp_path / "letter.html"
    result = runner.invoke(
        args=[
            "letters", "render", "--campaign", "shenyang-seven", "--recipient", "ohchr",
            "--name", "Jane Doe", "--country", "US", "--date", "2026-11-05",
            "--output", str(output), "--html",
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    html = output.read_text(encoding="utf-8")
    assert "November 5, 2026" in html
    assert "@page { size: letter; }" in html


def test_flask_letters_render_names_an_unknown_campaign_or_recipient(seeded, runner, tmp_path):
    common = ["--name", "A", "--country", "GB", "--output", str(tmp_path / "x.pdf")]
    result = runner.invoke(
        args=["letters", "render", "--campaign", "nope", "--recipient", "unhcr", *common]
    )
    assert result.exit_code != 0
    assert "No campaign 'nope'" in result.output
    result = runner.invoke(
        args=[
            "letters",
            "render",
            "--campaign",
            "save-my-friend-2012",
            "--recipient",
            "ohchr",
            *common,
        ]
    )
    assert "'ohchr' is not offered by this campaign" in result.output
    result = runner.invoke(
        args=[
            "letters",
            "render",
            "--campaign",
            "save-my-friend-2012",
            "--recipient",
            "zz",
            *common,
        ]
    )
    assert "'zz' does not exist" in result.output
    assert not (tmp_path / "x.pdf").exists()
