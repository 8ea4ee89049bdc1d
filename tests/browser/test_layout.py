"""What a visitor sees at desktop and phone widths, in English and Korean.

Screenshots of the main pages go to artifacts/screenshots/ (kept by CI,
ignored by git); at 320 px no page may scroll sideways.
"""

import pytest

from tests.browser.conftest import (
    CLOSED_SLUG,
    OPEN_SLUG,
    ORGANIZER,
    ORGANIZER_PASSWORD,
    screenshot,
    sign_with_browser,
)

WIDTHS = (1280, 320)
LANGUAGES = ("en", "ko")


def scrolls_sideways(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def log_in(page, live_server):
    page.goto(live_server("/organizer/login"))
    page.fill("#email", ORGANIZER)
    page.fill("#password", ORGANIZER_PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_main_pages_fit_the_screen_and_are_photographed(new_page, live_server, language, width):
    page = new_page(width=width, height=900, language=language)
    shots = [
        ("home", "/"),
        ("campaign", f"/c/{OPEN_SLUG}"),
        ("closed-campaign", f"/c/{CLOSED_SLUG}"),
        ("not-found", "/no-such-page"),
        ("organizer-login", "/organizer/login"),
    ]
    sideways = []
    for name, path in shots:
        page.goto(live_server(path))
        screenshot(page, f"{name}-{language}-{width}")
        if scrolls_sideways(page):
            sideways.append(name)

    page.goto(live_server(f"/c/{OPEN_SLUG}"))
    with page.expect_navigation():
        page.click("form[action$='/sign'] button[type=submit]")
    screenshot(page, f"campaign-errors-{language}-{width}")
    if scrolls_sideways(page):
        sideways.append("campaign-errors")

    sign_with_browser(page, live_server, f"layout-{language}-{width}@example.org")
    screenshot(page, f"thanks-{language}-{width}")
    if scrolls_sideways(page):
        sideways.append("thanks")

    log_in(page, live_server)
    page.goto(live_server(f"/organizer/c/{OPEN_SLUG}/"))
    screenshot(page, f"organizer-dashboard-{language}-{width}")
    if scrolls_sideways(page):
        sideways.append("organizer-dashboard")
    assert sideways == []
    # The chart's labels stay page text, not text scaled down with the SVG.
    label_sizes = page.eval_on_selector_all(
        ".chart__scale span, .chart__days span",
        "spans => spans.map(s => parseFloat(getComputedStyle(s).fontSize))",
    )
    assert label_sizes and min(label_sizes) >= 12


@pytest.mark.parametrize("width", WIDTHS)
def test_korean_text_breaks_between_words_never_inside_them(new_page, live_server, width):
    page = new_page(width=width, language="ko")
    page.goto(live_server(f"/c/{OPEN_SLUG}"))
    word_break = page.eval_on_selector(".hero__lead .lead", "p => getComputedStyle(p).wordBreak")
    assert word_break == "keep-all"
    # Each line of the summary ends at a space: no word is cut in two.
    broken = page.evaluate(
        """() => {
          const p = document.querySelector('.hero__lead .lead');
          const text = p.firstChild, range = document.createRange(), cuts = [];
          let lastTop = null;
          for (let i = 0; i < text.length; i++) {
            range.setStart(text, i); range.setEnd(text, i + 1);
            const top = range.getBoundingClientRect().top;
            if (lastTop !== null && top > lastTop + 2 && text.data[i - 1] !== ' ') {
              cuts.push(text.data.slice(Math.max(0, i - 4), i + 2));
            }
            lastTop = top;
          }
          return cuts;
        }"""
    )
    assert broken == []
