"""The delivery pack, read back from the PDF with pdftotext."""

import re
import subprocess
from datetime import date
from io import BytesIO

import pytest
from sqlalchemy import select

from app.extensions import db
from app.facts.service import only_verified
from app.organizer.delivery import build_delivery_pack, delivery_fetcher
from app.organizer.models import AuditEvent
from app.signatures.models import INVALIDATED, PENDING, WITHDRAWN
from config import BASE_DIR
from tests.organizer.conftest import CAMPAIGN_X, campaign, recipient
from tests.signing import add_signature

TEMPLATES_DIR = BASE_DIR / "letter_templates"


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().split())


@pytest.fixture
def signers(organizers):
    add_signature(name="김철수", city="서울", country="KR")
    add_signature(name="王小明", city="Shanghai", country="CN")
    add_signature(name="Jane Smith", city="Leeds", country="GB")
    add_signature(name="Hidden Signer", city="Leeds", country="GB", include_in_delivery=False)
    add_signature(name="Another Hidden", city="Busan", country="KR", include_in_delivery=False)
    add_signature(name="Pending Signer", status=PENDING)
    add_signature(name="Withdrawn Signer", status=WITHDRAWN)
    add_signature(name="Invalidated Signer", status=INVALIDATED)
    add_signature(name="Embassy Signer", recipient_key="cn-embassy-kr")


def build(recipient_key: str = "unhcr", **options) -> tuple[bytes, object]:
    output = BytesIO()
    contents = build_delivery_pack(
        db.session,
        campaign(CAMPAIGN_X),
        recipient(recipient_key),
        output,
        templates_dir=TEMPLATES_DIR,
        on=date(2026, 12, 1),
        **options,
    )
    return output.getvalue(), contents


def test_the_pack_opens_with_a_cover_letter_to_the_recipient(signers):
    text = pdf_text(build()[0])
    unhcr = recipient("unhcr")
    assert unhcr.organization in text
    assert unhcr.salutation_in("en") in text
    assert "We deliver to you the petition" in text
    assert "1 December 2026" in text
    assert "5 people chose you as its recipient, signed it and confirmed their signatures" in text


def page_texts(pdf: bytes) -> list[str]:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True)
    return result.stdout.decode().split("\f")[:-1]


def test_the_cover_letter_is_signed_by_the_campaigns_organizer_with_a_contact(signers):
    pdf, contents = build()
    cover = " ".join(page_texts(pdf)[0].split())
    organizer = contents.campaign.organizer_name_in("en")
    contact = contents.campaign.organizer_contact
    assert cover.startswith(f"{organizer} Contact: {contact}")
    assert f"Yours faithfully, {organizer} {contact}" in cover
    assert "The campaign's organizers" not in cover


def test_the_cover_names_the_recipient_once_and_a_single_signature_in_the_singular(signers):
    pdf, _ = build("cn-embassy-kr")
    embassy = recipient("cn-embassy-kr")
    cover = " ".join(page_texts(pdf)[0].split())
    address = cover[: cover.index("1 December 2026")]
    assert embassy.organization not in address
    assert address.count("Embassy of the People's Republic of China") == 1
    text = pdf_text(pdf)
    assert "1 person chose you as its recipient, signed it and confirmed the signature" in text
    assert f"1 confirmed signature addressed to {embassy.organization}" in text
    assert "1 confirmed signatures" not in text and "1 people" not in text


def test_quotes_are_printed_once_without_added_quotation_marks(signers):
    text = pdf_text(build()[0])
    assert 'From the article: "The repatriated refugees are treated as criminals' in text
    assert '“"' not in text and '"”' not in text


def test_every_page_is_numbered_page_n_of_m_and_no_page_is_near_empty(organizers):
    for number in range(600):
        add_signature(name=f"Signer {number:03d}", country="FR")
    pages = page_texts(build(chunk_size=70)[0])
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"page {number} of {total}" in page
    # Only the list's own end may leave a page partly empty.
    for page in pages[:-1]:
        assert len([line for line in page.splitlines() if line.strip()]) >= 30, page
    assert len(pages) > 4
    text = " ".join(" ".join(pages).split())
    for number in range(600):
        assert f"{number + 1}. Signer {number:03d} · FR" in text


def test_a_short_list_follows_the_counts_rather_than_taking_a_page_alone(signers):
    pages = page_texts(build()[0])
    last = " ".join(pages[-1].split())
    assert "Signatures by country" in last and "Signatories named at their request" in last


@pytest.mark.parametrize(
    ("language", "words", "page"),
    [
        ("ko", ["청원", "국가별 서명", "이름 공개를 원한 서명자"], "전체 {m}쪽 중 1쪽"),
        (
            "zh",
            ["谨向贵方递交请愿书", "按国家统计的签名", "应本人要求具名的签名者"],
            "第1页，共{m}页",
        ),
    ],
)
def test_the_pack_is_offered_in_the_recipients_other_languages(signers, language, words, page):
    pdf, contents = build(language=language)
    assert contents.language == language
    pages = page_texts(pdf)
    text = "".join("".join(pages).split())
    for word in words:
        assert "".join(word.split()) in text
    assert "".join(page.format(m=len(pages)).split()) in "".join(pages[0].split())
    fact = contents.facts[0]
    assert "".join(fact.claim_in(language).split()) in text


def test_a_language_the_recipient_does_not_read_gives_its_first_language(signers):
    _, contents = build("cn-embassy-kr", language="fr")
    assert contents.language == "en"


def test_the_pack_gives_the_verified_facts_with_their_sources(signers):
    text = pdf_text(build()[0])
    facts = only_verified(campaign(CAMPAIGN_X).facts)
    assert facts
    for fact in facts:
        assert " ".join(fact.claim.split()) in text
        article = fact.article
        title = f"“{article.title}”" if article.title else "untitled"
        assert " ".join(f"{article.outlet}, {title}, approximately {article.period}".split()) in (
            text
        )


def test_the_pack_counts_everyone_by_country_and_names_only_those_who_chose_it(signers):
    text = pdf_text(build()[0])
    assert "5 confirmed signatures addressed to" in text
    assert "3 named on the following pages, 2 counted only" in text
    assert "United Kingdom (GB) 2 1 1" in text
    assert "South Korea (KR) 2 1 1" in text
    assert "China (CN) 1 1 0" in text
    assert "Total 5 3 2" in text
    for name in ("김철수", "王小明", "Jane Smith"):
        assert name in text
    for name in ("Hidden Signer", "Another Hidden", "Pending Signer", "Withdrawn", "Invalidated"):
        assert name not in text
    # Signatures addressed to another recipient go in that recipient's pack.
    assert "Embassy Signer" not in text


def test_hangul_and_chinese_names_are_drawn_with_an_embedded_cjk_font(signers):
    pdf, _ = build()
    fonts = subprocess.run(
        ["pdffonts", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "CJK" in fonts
    text = pdf_text(pdf)
    assert "김철수" in text and "王小明" in text


def test_a_list_of_many_parts_names_everyone_once_in_order_with_progress(organizers):
    for number in range(900):
        add_signature(name=f"Signer {number:03d}", country="FR")
    progress = []
    pdf, _ = build(chunk_size=200, on_progress=progress.append)
    assert len(progress) > 2 and sum(progress) == 900
    text = " ".join(pdf_text(pdf).split())
    positions = [text.index(f" {number + 1}. Signer {number:03d} · FR") for number in range(900)]
    assert positions == sorted(positions)
    assert text.count("Signer ") == 900
    assert "Signatories named at their request (continued)" in text


def test_a_pack_built_on_two_processes_reads_the_same_as_one_built_on_one(organizers):
    for number in range(700):
        add_signature(name=f"서명자 {number:03d}" if number % 3 else f"Signer {number}")
    alone, _ = build(chunk_size=150)
    together, _ = build(chunk_size=150, processes=2)
    assert page_texts(together) == page_texts(alone)
    assert len(page_texts(alone)) > 3


def test_names_of_any_length_and_script_are_printed_whole_within_the_numbered_pages(organizers):
    long_hangul = "가나다라마바사아자차카타파하" * 7  # 98 syllables: wider than a line
    # Arabic, Thai and Devanagari come from fallback fonts with taller lines.
    odd_ones = [long_hangul, "Ngô Bảo Châu", "محمد عبد الله", "Μαρία", "สมชาย ใจดี", "अमित शर्मा"]
    for number in range(600):
        add_signature(
            name=odd_ones[number % len(odd_ones)], email=f"odd{number}@example.org", country="IN"
        )
    pdf, _ = build(chunk_size=100)
    pages = page_texts(pdf)
    for number, page in enumerate(pages, start=1):
        assert f"page {number} of {len(pages)}" in page
    # pdftotext marks the direction of the Arabic lines with bidi controls.
    text = re.sub("[\u202a-\u202e\u2066-\u2069]", "", "".join("".join(pages).split()))
    assert text.count(f"{long_hangul}·IN") == 100
    assert text.count("NgôBảoChâu·IN") == 100
    assert text.count("สมชายใจดี·IN") == 100


def test_the_template_fetcher_serves_the_delivery_folder_only(tmp_path):
    folder = TEMPLATES_DIR / "delivery"
    fetcher = delivery_fetcher(folder)
    response = fetcher.fetch((folder / "delivery.css").as_uri())
    assert b"@page" in response.read()
    response.close()
    for url in (
        (folder / ".." / ".." / "config.py").resolve().as_uri(),
        "file:///etc/passwd",
        "https://example.org/font.woff",
        "data:text/css,body{}",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_a_recipient_the_campaign_does_not_name_is_a_404(signers, alice):
    base = f"/organizer/c/{CAMPAIGN_X}/delivery.pdf"
    assert alice.get(base).status_code == 404
    assert alice.get(base + "?recipient=no-such-recipient").status_code == 404


def test_the_delivery_pack_command_writes_the_pdf(signers, runner, tmp_path):
    output = tmp_path / "pack.pdf"
    result = runner.invoke(
        args=["delivery-pack", CAMPAIGN_X, "--recipient", "unhcr", "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert "5 signatures" in result.output and "3 named, 2 counted only" in result.output
    assert "김철수" in pdf_text(output.read_bytes())
    event = db.session.scalar(select(AuditEvent))
    assert (event.action, event.organizer_id) == ("delivery pack", None)


def test_the_delivery_pack_command_names_the_recipients_it_accepts(signers, runner, tmp_path):
    result = runner.invoke(
        args=["delivery-pack", CAMPAIGN_X, "--recipient", "nobody", "--output", str(tmp_path / "x")]
    )
    assert result.exit_code != 0
    assert "has no recipient 'nobody'" in result.output and "unhcr" in result.output


def test_the_pack_names_signers_with_their_country_but_never_their_town(signers):
    text = pdf_text(build()[0])
    assert "Jane Smith · GB" in text
    for town in ("서울", "Shanghai", "Leeds", "Busan"):
        assert town not in text


def test_the_delivery_pack_command_builds_the_pack_in_a_language_the_recipient_reads(
    signers, runner, tmp_path
):
    output = tmp_path / "pack.pdf"
    args = ["delivery-pack", CAMPAIGN_X, "--recipient", "unhcr", "--output", str(output)]
    result = runner.invoke(args=[*args, "--language", "zh"])
    assert result.exit_code == 0, result.output
    assert "按国家统计的签名" in "".join(pdf_text(output.read_bytes()).split())
    refused = runner.invoke(
        args=[
            "delivery-pack",
            CAMPAIGN_X,
            "--recipient",
            "kr-mofa",
            "--output",
            str(output),
            "--language",
            "zh",
        ]
    )
    assert refused.exit_code != 0 and "kr-mofa reads en, ko, not 'zh'." in refused.output
