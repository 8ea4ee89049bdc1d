"""The letter as a web page, to read and print from the browser.

The preview is the body of the very HTML the PDF is made from
(build_letter_html), so both say the same; the site's stylesheet for it
(app/static/css/letter.css) lays it out like the PDF when printed. No Flask
imports.
"""

import re
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from app.letters.context import letter_language
from app.letters.service import build_letter_html
from app.letters.signer import Signer, page_size_for

_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class LetterPreview:
    language: str  # the letter's, which may differ from the page's
    page_size: str  # "A4" or "letter", as the PDF's
    body: Markup  # escaped by the letter templates, which autoescape everything


def letter_body(html: str) -> Markup:
    """What is inside the letter's <body>: its text without the document's
    head, whose inline stylesheet a site page would neither allow nor want."""
    match = _BODY.search(html)
    if match is None:
        raise ValueError("The letter's HTML has no body.")
    # Safe: every value in it was escaped by the letter templates' autoescape.
    return Markup(match.group(1).strip())  # noqa: S704


def letter_preview(campaign, recipient, signer: Signer, *, today: date | None = None):
    """The letter for the browser. Raises what build_letter_html raises."""
    html = build_letter_html(campaign, recipient, signer, today=today)
    return LetterPreview(
        language=letter_language(recipient, signer.language),
        page_size=page_size_for(signer.country),
        body=letter_body(html),
    )
