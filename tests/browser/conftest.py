"""The browser suite: Debian's Chromium driven by Playwright, against a real server.

One server and one browser for the whole run: the app on a werkzeug server in
a thread, on a free port, with a migrated and seeded SQLite file, real CSRF
checks, and mail sent through a real SMTP server (aiosmtpd) on another port.
Each test gets a fresh browser context (its own cookies), whose every request,
console error and Content-Security-Policy violation is recorded and checked
when the test ends.

Chromium, Playwright or axe-core missing: the tests are skipped with the
reason, except in CI (CI=true), where they fail.
"""

import os
import shutil
import socket
import threading
import time
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message as MessageHandler
from werkzeug.serving import make_server

from app.database import transaction
from app.extensions import db
from app.organizer import service as organizers
from app.seeding.service import seed
from tests.browser.screenshots import SCREENSHOTS
from tests.conftest import SEEDS_DIR, make_app, migrate

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
ROOT = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

OPEN_SLUG = "stop-forced-returns"
CLOSED_SLUG = "save-my-friend-2012"
ORGANIZER = "organizer@example.org"
ORGANIZER_PASSWORD = "a long organizer passphrase"


def missing_tools() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (make setup installs it)"
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (scripts/install-system-packages installs it)"
    if not AXE.exists():
        return f"axe-core not found at {AXE} (make setup runs npm ci in tests/browser)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = missing_tools()
    if reason is None or IN_CI:
        return  # in CI, tools_present fails the run instead
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(item.fspath).resolve().parents:
            item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {reason}"))


@pytest.fixture(scope="session", autouse=True)
def tools_present():
    reason = missing_tools()
    if reason and IN_CI:
        pytest.fail(f"The browser tests are required in CI: {reason}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox(MessageHandler):
    """Every message the app sends, as the SMTP server received it."""

    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)

    def wait_for(self, address: str, seconds: float = 15.0):
        """The newest message to `address`, waiting for the app's mail thread."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for message in reversed(self.messages):
                if message["To"] == address:
                    return message
            time.sleep(0.05)
        raise AssertionError(f"No mail to {address} arrived")


def subject_of(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def body_of(message) -> str:
    if isinstance(message, bytes):
        message = message_from_bytes(message)
    return message.get_payload(decode=True).decode("utf-8")


class LiveServer:
    def __init__(self, url, app, inbox):
        self.url, self.app, self.inbox = url, app, inbox
        self.origin = url

    def __call__(self, path: str) -> str:
        return self.url + path


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    smtp = Controller(Inbox(), hostname="127.0.0.1", port=free_port())
    smtp.start()
    database = tmp_path_factory.mktemp("browser") / "site.sqlite3"
    database_url = f"sqlite:///{database}"
    migrate(database_url)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app = make_app(
        database_url,
        WTF_CSRF_ENABLED=True,
        MAIL_BACKEND="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp.port,
        OUTBOX_SEND_IN_BACKGROUND=True,
        PUBLIC_BASE_URL=url,
        # Each test logs in with a wrong password at most once or twice.
        ORGANIZER_LOGIN_RATE_LIMIT="100 per minute",
        # Every browser test comes from 127.0.0.1 and several open letters:
        # within a minute, a fast run would be refused by the visitor's limit
        # (10 per minute, tested in tests/campaigns/test_letter_limits.py).
        LETTER_RATE_LIMIT="1000 per minute",
    )
    with app.app_context():
        with transaction(db.session):
            seed(db.session, SEEDS_DIR)
            organizers.create_organizer(db.session, ORGANIZER, ORGANIZER_PASSWORD)
            organizers.grant(db.session, ORGANIZER, OPEN_SLUG, can_export_signatures=True)
        db.session.remove()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(url, app, smtp.handler)
    server.shutdown()
    thread.join(timeout=10)
    smtp.stop()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class Watch:
    """What a browser context did: requests, console errors, CSP violations."""

    def __init__(self):
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.failed_documents: set[str] = set()
        self.page_errors: list[str] = []

    def attach(self, page) -> None:
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("response", self._on_response)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def _on_response(self, response):
        if response.request.resource_type == "document" and response.status >= 400:
            self.failed_documents.add(response.url)

    def _on_console(self, message):
        if message.type != "error":
            return
        text = message.text
        location = (message.location or {}).get("url", "")
        # A page that answers 404 or 422 on purpose (the 404 page, a form shown
        # again with its errors) is reported by Chrome as a failed load of that
        # document; any other failed load is an error.
        if text.startswith("Failed to load resource") and location in self.failed_documents:
            return
        self.console_errors.append(f"{text} ({location})")


# Records Content-Security-Policy violations; an init script runs outside
# the page's CSP.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""


@pytest.fixture
def watch():
    return Watch()


@pytest.fixture
def new_page(browser, live_server, watch):
    """Makes pages in fresh contexts: new_page(width=320, language="ko")."""
    contexts = []
    csp_violations = []

    def make(width: int = 1280, height: int = 800, language: str = "en", **options):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale="ko-KR" if language == "ko" else "en-GB",
            accept_downloads=True,
            **options,
        )
        context.add_cookies([{"name": "lang", "value": language, "url": live_server.url}])
        context.add_init_script(RECORD_CSP_VIOLATIONS)
        context.set_default_timeout(15_000)
        page = context.new_page()
        watch.attach(page)
        contexts.append((context, page))
        return page

    yield make
    for context, page in contexts:
        try:
            if not page.is_closed():
                csp_violations.extend(page.evaluate("window.__cspViolations || []"))
        finally:
            context.close()
    origin = live_server.origin
    outside = [url for url in watch.requests if not same_origin(url, origin)]
    assert outside == [], f"requests left the app's origin: {outside}"
    assert watch.console_errors == [], f"console errors: {watch.console_errors}"
    assert watch.page_errors == [], f"script errors: {watch.page_errors}"
    assert csp_violations == [], f"Content-Security-Policy violations: {csp_violations}"


def same_origin(url: str, origin: str) -> bool:
    if url.startswith(("data:", "blob:", "about:")):
        return url.startswith("data:") or url == "about:blank"
    parts, expected = urlsplit(url), urlsplit(origin)
    return (parts.scheme, parts.netloc) == (expected.scheme, expected.netloc)


def run_axe(page) -> list[dict]:
    """axe-core's WCAG 2.1 A and AA violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Through the DevTools protocol, which the page's CSP does not govern.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async () => {
          const result = await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            resultTypes: ['violations'],
          });
          return result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary),
          }));
        }"""
    )


def sign_with_browser(
    page,
    live_server,
    email: str,
    *,
    name: str = "Kim Min-ji",
    slug=OPEN_SLUG,
    named=False,
    goto=True,
):
    """Fills in and sends the sign form; the page ends on the thank-you page.
    `named`: the signer's name goes into the delivered list; `goto=False`:
    on the form already open, with what the test filled in."""
    if goto:
        page.goto(live_server(f"/c/{slug}"))
    page.fill("#name", name)
    page.fill("#email", email)
    page.fill("#city", "Seoul")
    page.select_option("#country", "KR")
    if named:
        page.check("#include_in_delivery")
    page.check("#consent")
    with page.expect_navigation():
        page.click("form[action$='/sign'] button[type=submit]")
    assert "/thanks" in page.url, page.url


def mail_links(live_server, email: str) -> dict[str, str]:
    from tests.signing import links_in

    return links_in(body_of(live_server.inbox.wait_for(email)))


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
