"""What a visitor sees at desktop and phone widths, in English and Korean.

Screenshots of every public and organizer page go to artifacts/screenshots/
(kept by CI, ignored by git; tests/browser/screenshots.py lists them and
reports on them); at 320 px no page may scroll sideways.
"""

import pytest

from tests.browser.conftest import (
    CLOSED_SLUG,
    OPEN_SLUG,
    ORGANIZER,
    ORGANIZER_PASSWORD,
    mail_links,
    screenshot,
    sign_with_browser,
)
from tests.browser.screenshots import LANGUAGES, PAGES, WIDTHS, file_name


def scrolls_sideways(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def submit(page, selector: str = "form button[type=submit]") -> None:
    with page.expect_navigation():
        page.click(selector)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_fits_the_screen_and_is_photographed(new_page, live_server, language, width):
    page = new_page(width=width, height=900, language=language)
    taken, sideways = [], []

    def shoot(name: str, shown_in: str = language) -> None:
        screenshot(page, file_name(name, shown_in, width).removesuffix(".png"))
        taken.append(name)
        if scrolls_sideways(page):
            sideways.append(name)

    for name, path in [
        ("home", "/"),
        ("campaign", f"/c/{OPEN_SLUG}"),
        ("closed-campaign", f"/c/{CLOSED_SLUG}"),
        ("not-found", "/no-such-page"),
        ("expired-link", "/s/not-a-real-token/confirm"),
    ]:
        page.goto(live_server(path))
        shoot(name)

    page.goto(live_server(f"/c/{OPEN_SLUG}"))
    page.fill("#name", "Han Layout")
    submit(page, "form[action$='/sign'] button[type=submit]")
    shoot("campaign-errors")
    other = "en" if language == "ko" else "ko"
    submit(page, f".language-switcher button[value={other}]")
    shoot("campaign-errors-switched", shown_in=other)
    submit(page, f".language-switcher button[value={language}]")

    email = f"layout-{language}-{width}@example.org"
    sign_with_browser(page, live_server, email)
    shoot("thanks")
    page.goto(live_server(f"/c/{OPEN_SLUG}/letter"))
    shoot("letter")
    links = mail_links(live_server, email)
    page.goto(live_server(links["confirm"]))
    shoot("confirm")
    submit(page)
    shoot("confirmed")
    page.goto(live_server(links["withdraw"]))
    shoot("withdraw")

    page.goto(live_server("/organizer/login"))
    shoot("organizer-login")
    page.fill("#email", ORGANIZER)
    page.fill("#password", "not the password")
    submit(page)
    shoot("organizer-login-failed")
    page.fill("#email", ORGANIZER)
    page.fill("#password", ORGANIZER_PASSWORD)
    submit(page)
    shoot("organizer-campaigns")
    page.goto(live_server(f"/organizer/c/{OPEN_SLUG}/"))
    shoot("organizer-dashboard")
    # The chart's labels stay page text, not text scaled down with the SVG.
    label_sizes = page.eval_on_selector_all(
        ".chart__scale span, .chart__days span",
        "spans => spans.map(s => parseFloat(getComputedStyle(s).fontSize))",
    )
    submit(page, ".delivery-form button[type=submit]")
    shoot("organizer-delivery-pack")

    assert sideways == []
    assert label_sizes and min(label_sizes) >= 12
    # Every page of the site is photographed (the list CI's report checks).
    assert sorted(taken) == sorted(PAGES)


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
