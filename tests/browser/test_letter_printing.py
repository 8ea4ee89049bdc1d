"""The letter page prints as a clean letter: Chromium's own print (page.pdf
uses the print styles and the page's @page rules) gives the letter alone, on
A4 with the PDF's margins, or on US Letter for a signer in the US, without
the site's header, buttons or footer.
"""

import re
import subprocess

from tests.browser.conftest import OPEN_SLUG, mail_links, sign_with_browser

MM = 72 / 25.4  # PDF points in a millimetre


def printed(page, tmp_path, name: str):
    path = tmp_path / f"{name}.pdf"
    page.pdf(path=str(path), prefer_css_page_size=True, print_background=True)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info.stdout)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
    return (float(size.group(1)), float(size.group(2))), pages, text, path


def left_margin_mm(path) -> float:
    """Where the leftmost word of the first page starts, in mm from the edge."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return min(float(x) for x in re.findall(r'<word xMin="([\d.]+)"', html)) / MM


def pdf_pages(data: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True)
    return int(re.search(rb"Pages:\s+(\d+)", info.stdout).group(1))


def test_the_letter_page_prints_as_the_letter_alone_on_a4(new_page, live_server, tmp_path):
    page = new_page()
    page.goto(live_server(f"/c/{OPEN_SLUG}"))
    page.fill("#message", "I ask you to let them go. " * 23)  # near the 600 allowed
    sign_with_browser(page, live_server, "printing@example.org", name="Yoon Printed", goto=False)
    with page.expect_navigation():
        page.click("a:text('See and print your letter')")
    assert page.url == live_server(f"/c/{OPEN_SLUG}/letter")
    assert page.is_visible("button[data-print-button]")  # the script shows it

    (width, height), pages, text, path = printed(page, tmp_path, "a4")
    assert (round(width / MM), round(height / MM)) == (210, 297)
    assert pages == 1
    pdf = page.request.get(live_server(f"/c/{OPEN_SLUG}/letter.pdf")).body()
    assert pdf_pages(pdf) == 1  # the same letter, on as many pages
    assert "Yoon Printed" in text and "Seoul" in text and "let them go" in text
    for chrome in (
        "Letters for North Korean refugees",
        "Print your letter",
        "Download your letter",
        "Back to the next steps",
        "This site loads nothing",
    ):
        assert chrome not in text
    assert round(left_margin_mm(path)) == 18


def test_the_emailed_link_prints_on_us_letter_for_a_signer_in_the_us(
    new_page, live_server, tmp_path
):
    page = new_page(language="ko")
    email = "printing-us@example.org"
    page.goto(live_server(f"/c/{OPEN_SLUG}"))
    page.fill("#name", "Lee Letter-Size")
    page.fill("#email", email)
    page.fill("#city", "Los Angeles")
    page.select_option("#country", "US")
    page.select_option("#language", "ko")
    page.check("#consent")
    with page.expect_navigation():
        page.click("form[action$='/sign'] button[type=submit]")

    other = new_page(language="ko")  # another browser: only the link opens the letter
    other.goto(live_server(mail_links(live_server, email)["confirm"]))
    with other.expect_navigation():
        other.click("a:text('편지 보고 인쇄하기')")
    assert re.search(r"/s/[^/]+/letter$", other.url)
    (width, height), pages, text, _ = printed(other, tmp_path, "us")
    assert (round(width / MM), round(height / MM)) == (216, 279)
    assert pages == 1
    assert "Lee Letter-Size" in text
    assert "편지 인쇄하기" not in text


def test_without_javascript_no_button_that_needs_it_is_shown(new_page, live_server):
    page = new_page(java_script_enabled=False)
    sign_with_browser(page, live_server, "printing-no-js@example.org")
    assert not page.is_visible("button[data-copy-button]")
    page.goto(live_server(f"/c/{OPEN_SLUG}/letter"))
    assert not page.is_visible("button[data-print-button]")
    assert page.is_visible("a[href$='/letter.pdf']")
