"""Signer text is only ever text, and the renderer fetches nothing but its own files."""

import pytest

from app.letters.errors import RenderTimeoutError
from app.letters.pdf import TemplateAssetFetcher, render_pdf
from app.letters.templates import LETTER_TEMPLATES_DIR
from tests.letters.conftest import letter_html, pdf_text, pdf_tool, squashed

ATTACKS = [
    '<img src="file:///etc/passwd">',
    '<link rel=stylesheet href="http://127.0.0.1:9/x.css">',
    "@import url(http://127.0.0.1:9/y.css);",
    '<a rel="attachment" href="file:///etc/passwd">x</a>',
]


def assert_no_embedded_files(pdf: bytes, tmp_path):
    assert b"/EmbeddedFile" not in pdf
    assert b"/FileAttachment" not in pdf
    assert "0 embedded files" in pdf_tool("pdfdetach", pdf, tmp_path, "-list")


def test_attack_strings_in_names_and_messages_print_as_literal_text_and_fetch_nothing(
    world, tmp_path
):
    html = letter_html(world, name=ATTACKS[0], city=ATTACKS[2], message="\n".join(ATTACKS))
    fetcher = TemplateAssetFetcher()
    pdf = render_pdf(html, fetcher=fetcher)
    text = squashed(pdf_text(pdf))
    for attack in ATTACKS:
        assert squashed(attack) in text
    assert fetcher.requested == []
    assert_no_embedded_files(pdf, tmp_path)


def test_the_renderer_refuses_every_outside_resource_even_in_raw_html(tmp_path):
    html = (
        '<html><head><link rel=stylesheet href="http://127.0.0.1:9/x.css">'
        "<style>@import url(http://127.0.0.1:9/y.css);</style>"
        '<link rel="attachment" href="file:///etc/hostname"></head><body>'
        '<img src="file:///etc/passwd"><img src="https://example.org/a.png">'
        '<img src="../config.py"><a rel="attachment" href="file:///etc/passwd">x</a>'
        "</body></html>"
    )
    fetcher = TemplateAssetFetcher()
    pdf = render_pdf(html, fetcher=fetcher)
    assert sorted(fetcher.refused) == sorted(fetcher.requested)
    assert {
        "http://127.0.0.1:9/x.css",
        "http://127.0.0.1:9/y.css",
        "file:///etc/passwd",
        "https://example.org/a.png",
    } <= set(fetcher.refused)
    assert any(url.endswith("/config.py") for url in fetcher.refused)
    assert_no_embedded_files(pdf, tmp_path)


def test_the_fetcher_serves_files_inside_letter_templates_only():
    fetcher = TemplateAssetFetcher()
    css = LETTER_TEMPLATES_DIR / "_layout" / "letter.css"
    assert fetcher.template_asset_path(css.as_uri()) == css
    assert fetcher.template_asset_path(f"{LETTER_TEMPLATES_DIR.as_uri()}/../config.py") is None
    assert fetcher.template_asset_path(f"{LETTER_TEMPLATES_DIR.as_uri()}/missing.css") is None
    assert fetcher.template_asset_path("file://evil.example/etc/passwd") is None
    assert fetcher.template_asset_path("data:text/css,body{}") is None


def test_a_render_that_overruns_its_time_limit_is_abandoned_with_a_clear_error(world):
    with pytest.raises(RenderTimeoutError, match="longer than"):
        render_pdf(letter_html(world), time_limit=0.001)
