"""A signer and an organizer, end to end, as they would do it in a browser.

The signer signs, downloads the letter from the thank-you page and reads it,
follows the confirmation mail that the real local SMTP server received,
confirms, and sees the count rise. The organizer logs in and downloads the
exports, builds the delivery pack and downloads it.
"""

import csv
import json
import subprocess

from tests.browser.conftest import (
    OPEN_SLUG,
    ORGANIZER,
    ORGANIZER_PASSWORD,
    mail_links,
    sign_with_browser,
)


def pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def confirmed_count(page) -> int:
    return int(page.inner_text(".progress__figures strong").replace(",", ""))


def download(page, click, tmp_path, name: str):
    with page.expect_download() as info:
        click()
    path = tmp_path / name
    info.value.save_as(path)
    return path


def test_a_signer_signs_downloads_the_letter_confirms_and_is_counted(
    new_page, live_server, tmp_path
):
    page = new_page()
    page.goto(live_server(f"/c/{OPEN_SLUG}"))
    before = confirmed_count(page)

    email = "end-to-end@example.org"
    page.goto(live_server(f"/c/{OPEN_SLUG}"))
    page.fill("#name", "Park End-to-End")
    page.fill("#email", email)
    page.fill("#city", "Incheon")
    page.select_option("#country", "KR")
    page.check("#include_in_delivery")
    page.check("#consent")
    with page.expect_navigation():
        page.click("form[action$='/sign'] button[type=submit]")
    assert page.url.endswith("/thanks")

    # The letter is the page's main action, and it says where the letter goes.
    letter = download(page, lambda: page.click(".letter-action a"), tmp_path, "letter.pdf")
    text = pdf_text(letter)
    assert "Park End-to-End" in text and "Incheon" in text
    assert "Embassy" in page.inner_text(".postal-address")

    mail = mail_links(live_server, email)
    page.goto(live_server(mail["confirm"]))
    with page.expect_navigation():
        page.click("form button[type=submit]")
    assert page.url.endswith(f"/c/{OPEN_SLUG}")
    assert page.locator(".notice--success").is_visible()
    assert confirmed_count(page) == before + 1


def test_an_organizer_logs_in_and_downloads_the_exports_and_the_delivery_pack(
    new_page, live_server, tmp_path
):
    signer = new_page()
    sign_with_browser(
        signer, live_server, "named-signer@example.org", name="Choi Named", named=True
    )
    signer.goto(live_server(mail_links(live_server, "named-signer@example.org")["confirm"]))
    with signer.expect_navigation():
        signer.click("form button[type=submit]")

    page = new_page()
    page.goto(live_server(f"/organizer/c/{OPEN_SLUG}/"))
    assert "/organizer/login" in page.url
    page.fill("#email", ORGANIZER)
    page.fill("#password", ORGANIZER_PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    assert page.url.endswith(f"/organizer/c/{OPEN_SLUG}/")

    counts_csv = download(page, lambda: page.click("text=counts.csv"), tmp_path, "counts.csv")
    assert next(csv.reader(counts_csv.open()))[:3] == ["breakdown", "key", "signatures"]
    counts_json = download(page, lambda: page.click("text=counts.json"), tmp_path, "c.json")
    assert json.loads(counts_json.read_text())["confirmed"] >= 1
    signatures = download(
        page, lambda: page.click("text=signatures.csv"), tmp_path, "signatures.csv"
    )
    assert "Choi Named" in signatures.read_text()

    page.select_option("#recipient", "cn-embassy-kr")
    with page.expect_navigation():
        page.click(".delivery-form button[type=submit]")  # the build starts in the background
    assert "/delivery-packs/" in page.url
    pack = download(
        page, lambda: page.click("text=Download the delivery pack (PDF)"), tmp_path, "pack.pdf"
    )
    assert pack.read_bytes().startswith(b"%PDF")
    assert "Choi Named" in pdf_text(pack)
