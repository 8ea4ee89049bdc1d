"""Real PDFs, read back with poppler: what a signer prints is what the HTML promised."""

import re

import pytest

from app.letters.context import declared_fact_keys
from app.letters.service import render_letter_pdf
from tests.letters.conftest import letter_html, pdf_text, pdf_tool, squashed


def facts_stated(world, slug, kind):
    campaigns, _ = world
    facts = {fact.key: fact for fact in campaigns[slug].facts}
    return [facts[key] for key in declared_fact_keys(campaigns[slug], kind)]


def assert_states_every_fact_and_source(text, facts, language):
    found = squashed(text)
    for fact in facts:
        assert squashed(fact.claim_in(language)) in found, fact.key
        article = fact.article
        for part in (article.outlet, article.title, article.period_in(language)):
            assert squashed(part) in found, part


def embedded_flags(pdffonts_output: str) -> list[str]:
    header, _rule, *rows = pdffonts_output.splitlines()
    column = header.index(" emb ") + 1
    return [row[column : column + 3] for row in rows if row.strip()]


def page_size(pdf, tmp_path) -> str:
    info = pdf_tool("pdfinfo", pdf, tmp_path)
    return next(line for line in info.splitlines() if line.startswith("Page size:"))


def test_a_korean_letter_prints_the_hangul_name_every_fact_and_source_in_embedded_fonts(
    world, tmp_path
):
    html = letter_html(world, recipient="cn-embassy-kr", name="김영희", country="KR", language="ko")
    pdf = render_letter_pdf(html)
    text = pdf_text(pdf)
    assert "김영희" in text
    assert "2026년 11월 5일" in text
    assert_states_every_fact_and_source(
        text, facts_stated(world, "stop-forced-returns", "embassy"), "ko"
    )
    flags = embedded_flags(pdf_tool("pdffonts", pdf, tmp_path))
    assert flags == ["yes"]  # one CJK font, embedded: each more costs ~25 ms a render
    assert "(A4)" in page_size(pdf, tmp_path)


def test_a_chinese_letter_prints_the_chinese_name_every_fact_and_source_on_us_letter(
    world, tmp_path
):
    html = letter_html(
        world,
        slug="save-my-friend-2012",
        recipient="unhcr",
        name="王小明",
        city="多伦多",
        country="CA",
        language="zh",
    )
    pdf = render_letter_pdf(html)
    text = pdf_text(pdf)
    assert "王小明" in text
    assert "多伦多" in text
    assert_states_every_fact_and_source(
        text, facts_stated(world, "save-my-friend-2012", "unhcr"), "zh"
    )
    flags = embedded_flags(pdf_tool("pdffonts", pdf, tmp_path))
    assert flags and all(flag == "yes" for flag in flags)
    assert "(letter)" in page_size(pdf, tmp_path)


def test_an_english_letter_prints_hangul_and_chinese_names_with_real_glyphs(world, tmp_path):
    html = letter_html(world, slug="shenyang-seven", recipient="ohchr", name="王小明 김영희")
    pdf = render_letter_pdf(html)
    text = pdf_text(pdf)
    assert "王小明 김영희" in text
    assert_states_every_fact_and_source(
        text, facts_stated(world, "shenyang-seven", "un_office"), "en"
    )
    fonts = pdf_tool("pdffonts", pdf, tmp_path)
    assert "DejaVu" in fonts
    assert "CJK" in fonts


@pytest.mark.parametrize(
    ("language", "name", "sentence"),
    [
        ("en", "Jane Doe", "They must not be sent back to suffer. "),
        ("ko", "김영희", "그들을 돌려보내지 말아 주십시오. 간절히 부탁드립니다. "),
        ("zh", "王小明", "请不要把他们送回去。恳切拜托。"),
    ],
)
def test_the_longest_letter_with_a_full_message_fits_on_one_page(
    world, tmp_path, language, name, sentence
):
    message = (sentence * 100)[:600]
    html = letter_html(
        world, recipient="cn-embassy-kr", name=name, language=language, message=message
    )
    info = pdf_tool("pdfinfo", render_letter_pdf(html), tmp_path)
    assert "Pages:           1" in info


def test_a_korean_letter_never_breaks_a_word_across_lines(world):
    html = letter_html(
        world,
        slug="shenyang-seven",
        recipient="kr-mofa",
        name="김영희",
        country="KR",
        language="ko",
        message="중국에 있는 친구들이 안전하게 돌아오기를 간절히 바랍니다. " * 6,
    )
    text = pdf_text(render_letter_pdf(html))
    words = set(re.sub(r"<[^>]+>", " ", html).split())
    hangul = re.compile(r"[\uac00-\ud7a3]")
    lines = [line.split() for line in text.splitlines() if line.strip()]
    # A word broken at a line end leaves a fragment at the end of one line and the
    # rest at the start of the next; neither fragment is a word of the letter.
    for line, following in zip(lines, lines[1:], strict=False):
        last, first = line[-1], following[0]
        if hangul.search(last) and hangul.search(first):
            assert last in words or first in words, (last, first)
            assert last + first not in words, (last, first)


@pytest.mark.parametrize(
    ("name", "font"),
    [
        ("สมชาย ใจดี", "Noto-Sans-Thai"),  # Thailand lies on the road many escapees take
        ("अमित शर्मा", "Noto-Sans-Devanagari"),
        ("محمد علي", "DejaVu-Sans"),
    ],
)
def test_a_name_in_another_script_is_drawn_with_a_font_that_has_its_letters(
    world, tmp_path, name, font
):
    html = letter_html(world, slug="shenyang-seven", recipient="ohchr", name=name)
    fonts = pdf_tool("pdffonts", render_letter_pdf(html), tmp_path)
    assert font in fonts

