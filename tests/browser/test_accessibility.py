"""axe-core (WCAG 2.1 A and AA) finds nothing on any page, in English and Korean.

Every public page, in the states a signer meets them (a form with errors, and
again after switching its language, the thank-you page, the letter page,
confirm, withdraw, an expired link, a 404), and every
organizer page, including the login after a failed attempt.
"""

import pytest

from tests.browser.conftest import (
    CLOSED_SLUG,
    OPEN_SLUG,
    ORGANIZER,
    ORGANIZER_PASSWORD,
    mail_links,
    run_axe,
    sign_with_browser,
)

LANGUAGES = ("en", "ko")


def audit(page, name: str, found: dict) -> None:
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    violations = run_axe(page)
    if violations:
        found[name] = violations


def submit_sign_form(page):
    with page.expect_navigation():
        page.click("form[action$='/sign'] button[type=submit]")


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_public_page_has_an_accessibility_violation(new_page, live_server, language):
    page = new_page(language=language)
    found = {}
    for name, path in [
        ("home", "/"),
        ("open campaign", f"/c/{OPEN_SLUG}"),
        ("closed campaign", f"/c/{CLOSED_SLUG}"),
        ("404", "/c/no-such-campaign"),
        ("expired link", "/s/not-a-real-token/confirm"),
    ]:
        page.goto(live_server(path))
        audit(page, name, found)

    page.goto(live_server(f"/c/{OPEN_SLUG}"))
    submit_sign_form(page)
    audit(page, "sign form with every error", found)
    page.fill("#name", "Kim")
    page.fill("#email", "not an address")
    submit_sign_form(page)
    audit(page, "sign form with one error", found)
    other = "en" if language == "ko" else "ko"
    with page.expect_navigation():
        page.click(f".language-switcher button[value={other}]")
    audit(page, f"sign form with one error, switched to {other}", found)
    with page.expect_navigation():
        page.click(f".language-switcher button[value={language}]")

    email = f"axe-{language}@example.org"
    sign_with_browser(page, live_server, email)
    audit(page, "thank-you", found)
    page.goto(live_server(f"/c/{OPEN_SLUG}/letter"))
    audit(page, "letter page", found)
    links = mail_links(live_server, email)
    page.goto(live_server(links["confirm"]))
    audit(page, "confirm", found)
    page.goto(live_server(links["letter"].removesuffix(".pdf")))
    audit(page, "letter page from the emailed link", found)
    page.goto(live_server(links["confirm"]))
    with page.expect_navigation():
        page.click("form button[type=submit]")
    audit(page, "confirmed", found)
    page.goto(live_server(links["withdraw"]))
    audit(page, "withdraw", found)

    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(live_server(f"/c/{OPEN_SLUG}"))
    audit(page, "open campaign at 320 px", found)
    page.goto(live_server(f"/c/{OPEN_SLUG}/letter"))
    audit(page, "letter page at 320 px", found)
    assert found == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_organizer_page_has_an_accessibility_violation(new_page, live_server, language):
    page = new_page(language=language)
    found = {}
    page.goto(live_server("/organizer/login"))
    audit(page, "login", found)
    page.fill("#email", ORGANIZER)
    page.fill("#password", "not the password")
    with page.expect_navigation():
        page.click("form button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    audit(page, "login after a failed attempt", found)
    page.fill("#email", ORGANIZER)
    page.fill("#password", ORGANIZER_PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    audit(page, "campaigns", found)
    page.goto(live_server(f"/organizer/c/{OPEN_SLUG}/"))
    audit(page, "dashboard", found)
    with page.expect_navigation():
        page.click(".delivery-form button[type=submit]")
    audit(page, "delivery pack", found)
    page.goto(live_server(f"/organizer/c/{OPEN_SLUG}/"))
    audit(page, "dashboard with its pack builds", found)
    page.goto(live_server("/organizer/c/no-such-campaign/"))
    audit(page, "organizer 404", found)
    assert found == {}


def test_the_audit_reports_what_the_old_sign_form_did_wrong(new_page):
    # The sign form's fields once carried aria-invalid="None": axe must catch it,
    # or a clean report above would mean nothing.
    page = new_page()
    page.set_content(
        '<!doctype html><html lang="en"><head><title>t</title></head><body><main><h1>t</h1>'
        '<label for="n">Name</label><input id="n" aria-invalid="None" aria-describedby="None">'
        "</main></body></html>"
    )
    assert "aria-valid-attr-value" in {violation["id"] for violation in run_axe(page)}
