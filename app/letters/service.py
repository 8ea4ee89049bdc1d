"""The letter service the routes, the CLI and the benchmark call. No Flask imports.

html = build_letter_html(campaign, recipient, signer)
pdf = render_letter_pdf(html)
headers = download_headers(letter_file_name(campaign))
"""

import re
from datetime import date

from app.letters.context import letter_context
from app.letters.korean import is_korean_document, keep_korean_words_whole
from app.letters.pdf import render_pdf
from app.letters.signer import Signer
from app.letters.templates import render_template

PDF_MIME_TYPE = "application/pdf"


def build_letter_html(campaign, recipient, signer: Signer, *, today: date | None = None) -> str:
    """The letter's HTML. Raises a LetterError subclass when a declared fact is missing
    or unverified, the template does not exist, or the campaign offers no such letter."""
    context = letter_context(campaign, recipient, signer, today=today or date.today())
    return render_template(recipient.kind, context["language"], context)


def render_letter_pdf(html: str) -> bytes:
    """The PDF for a letter's HTML; RenderTimeoutError past the time limit."""
    if is_korean_document(html):
        html = keep_korean_words_whole(html)
    return render_pdf(html)


def letter_pdf(campaign, recipient, signer: Signer, *, today: date | None = None) -> bytes:
    return render_letter_pdf(build_letter_html(campaign, recipient, signer, today=today))


def letter_file_name(campaign) -> str:
    """An ASCII file name from the campaign slug only: never the signer's name or email."""
    slug = re.sub(r"[^a-z0-9-]+", "-", campaign.slug.lower()).strip("-") or "campaign"
    return f"letter-{slug}.pdf"


def download_headers(file_name: str) -> dict[str, str]:
    """Headers for the letter download: an attachment, never stored by caches."""
    safe_name = re.sub(r"[^A-Za-z0-9._-]+", "-", file_name) or "letter.pdf"
    return {
        "Content-Type": PDF_MIME_TYPE,
        "Content-Disposition": f'attachment; filename="{safe_name}"',
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
