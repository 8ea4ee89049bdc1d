import re
import subprocess
import unicodedata
from datetime import date

import pytest

from app.letters.service import build_letter_html
from app.letters.signer import Signer
from tests.letters.seed_objects import seed_world

LETTER_DAY = date(2026, 11, 5)


@pytest.fixture
def world():
    """(campaigns, recipients) from the real seeds, as unsaved objects."""
    return seed_world()


def letter_html(world, slug="stop-forced-returns", recipient="unhcr", **signer) -> str:
    campaigns, recipients = world
    fields = {"name": "Jane Doe", "city": "Leeds", "country": "GB", "language": "en"} | signer
    return build_letter_html(
        campaigns[slug], recipients[recipient], Signer(**fields), today=LETTER_DAY
    )


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")


def squashed(text: str) -> str:
    """Text without whitespace, in compatibility form: line breaks fall anywhere in
    Chinese and Korean, and a PDF may store ligatures as one glyph."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pdf_tool(tool: str, pdf: bytes, tmp_path, *options: str) -> str:
    """The output of a poppler tool (pdfinfo, pdffonts, pdfdetach) run on `pdf`."""
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    command = [tool, *options, str(path)]
    return subprocess.run(command, capture_output=True, check=True, text=True).stdout
