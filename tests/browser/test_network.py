"""Every page loads only from the app's own origin, with no console error and
no Content-Security-Policy violation. (The `new_page` fixture checks this for
every browser test; this one walks every page and checks the checks work.)"""

from tests.browser.conftest import (
    CLOSED_SLUG,
    OPEN_SLUG,
    mail_links,
    same_origin,
    sign_with_browser,
)


def test_every_page_requests_only_the_apps_own_origin(new_page, live_server, watch):
    page = new_page(language="ko")
    for path in ("/", f"/c/{OPEN_SLUG}", f"/c/{CLOSED_SLUG}", "/nowhere", "/organizer/login"):
        page.goto(live_server(path))
    sign_with_browser(page, live_server, "network@example.org")
    links = mail_links(live_server, "network@example.org")
    page.goto(live_server(links["confirm"]))
    page.goto(live_server(links["withdraw"]))

    assert len(watch.requests) >= 10
    assert any("/static/css/site.css?v=" in url for url in watch.requests)
    assert all(same_origin(url, live_server.origin) for url in watch.requests)
    assert page.evaluate("window.__cspViolations") == []


def test_a_script_the_policy_forbids_is_reported_as_a_violation(new_page, live_server, watch):
    page = new_page()
    page.goto(live_server("/"))
    # Through the DevTools protocol, the way an injected ad or extension would.
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = '1';"
        " document.body.append(s); }"
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    violations = page.evaluate("window.__cspViolations")
    assert violations and violations[0].startswith("script-src")
    assert any("Content Security Policy" in error for error in watch.console_errors)
    # Seen, and expected here: the fixture's own check is for every other test.
    page.evaluate("window.__cspViolations = []")
    watch.console_errors.clear()
