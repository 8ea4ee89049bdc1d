"""Switching language on a refused sign form keeps what was typed.

Without JavaScript and with the keyboard alone: the switcher's button sends
the form itself, so the page comes back in Korean with the same values, the
edits made since, and the errors in Korean; nothing typed appears in any
address the browser asked for.
"""

from tests.browser.conftest import OPEN_SLUG


def press_tab_until(page, selector: str, key: str = "Tab", limit: int = 20) -> None:
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_the_refused_form_comes_back_in_korean_with_what_was_typed(new_page, live_server, watch):
    page = new_page(java_script_enabled=False)
    page.goto(live_server(f"/c/{OPEN_SLUG}"))
    page.fill("#name", "Choi Typed-Name")
    page.fill("#email", "typed-address@example.org")
    page.fill("#city", "Daegu")
    page.select_option("#country", "GB")
    page.select_option("#language", "zh")
    page.fill("#message", "Let them go.")
    with page.expect_navigation():
        page.click("form[action$='/sign'] button[type=submit]")  # consent left out
    assert page.title().startswith("Error:")
    page.fill("#city", "Incheon")  # changed after the refusal, before switching

    press_tab_until(page, ".language-switcher button[value=ko]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.evaluate("document.documentElement.lang") == "ko"
    assert page.title().startswith("오류:")
    assert "입력 내용을 확인해 주세요" in page.inner_text(".error-summary")
    assert page.locator(".error-summary a").all_inner_texts() == [
        page.inner_text("#consent-error").removeprefix("오류:").strip()
    ]
    assert page.input_value("#name") == "Choi Typed-Name"
    assert page.input_value("#email") == "typed-address@example.org"
    assert page.input_value("#city") == "Incheon"
    assert page.input_value("#country") == "GB"
    assert page.input_value("#language") == "zh"
    assert page.input_value("#message") == "Let them go."
    assert page.get_attribute("#consent", "aria-invalid") == "true"

    assert page.url == live_server(f"/c/{OPEN_SLUG}/sign/language")
    typed = ("typed", "choi", "incheon", "daegu")
    assert [url for url in watch.requests if any(word in url.lower() for word in typed)] == []
    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    assert cookies["lang"] == "ko"

    # And back to English, the same way (back up from the focused error summary).
    assert page.evaluate("document.activeElement.matches('.error-summary')")
    press_tab_until(page, ".language-switcher button[value=en]", key="Shift+Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith("Error:")
    assert page.input_value("#name") == "Choi Typed-Name"


def test_after_switching_language_focus_is_on_the_error_summary(new_page, live_server):
    page = new_page(width=320, height=700)
    page.goto(live_server(f"/c/{OPEN_SLUG}"))
    page.fill("#name", "Seo Focus")
    with page.expect_navigation():
        page.click("form[action$='/sign'] button[type=submit]")
    with page.expect_navigation():
        page.click(".language-switcher button[value=ko]")
    assert page.evaluate("document.activeElement.matches('.error-summary')")
    assert page.input_value("#name") == "Seo Focus"
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
