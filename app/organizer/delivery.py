"""The delivery pack: one PDF per campaign and recipient, in a language it reads.

A cover letter signed by the campaign's organizer, the campaign's verified
facts with their quotes and sources, the count of signatures by country, then
the signatories who chose to be named. Those who did not are only counted.
Every page is numbered "page N of M".

Why the list is built in chunks: WeasyPrint lays out a whole document before
writing it, and keeps every page's layout in memory until then; one HTML
document with tens of thousands of names takes minutes and gigabytes. So each
chunk of CHUNK_SIZE names is its own small document, rendered and written to
PDF bytes at once (its layout freed), and the PDFs are joined with pypdf.
Signatories stream from the database in batches of the same size. One
FontConfiguration serves every chunk: a new one per render would load the
fonts again each time and hold on to them.

Why a chunk may hand names on: a chunk ending a page after a few lines would
leave a near-empty page in the middle of the list. So a chunk that is not the
last writes only its full pages, and the names of its short last page open the
next chunk. The page numbers are laid over the joined pages at the end, since
no chunk knows the total.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit
from urllib.request import url2pathname

import yaml
from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pypdf import PdfReader, PdfWriter
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session
from weasyprint import HTML
from weasyprint.formatting_structure.boxes import LineBox
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from app.campaigns.models import Campaign
from app.countries import country_name
from app.facts.models import Fact
from app.facts.service import only_verified
from app.letters.korean import keep_korean_words_whole
from app.letters.models import Recipient
from app.signatures.counts import count_confirmed
from app.signatures.models import CONFIRMED, Signature

CHUNK_SIZE = 500
# A chunk's last page with fewer lines than this share of a full page is handed
# on to the next chunk rather than left near-empty in the middle of the list.
SHORT_PAGE_SHARE = 0.75
# Babel locales for the pack's date: "1 December 2026", "2026년 12월 1일", "2026年12月1日".
DATE_LOCALES = {"en": "en_GB", "ko": "ko", "zh": "zh"}


def pack_language(recipient: Recipient, requested: str | None = None) -> str:
    """The requested language if the recipient reads it, else its first language."""
    languages = list(recipient.languages or ["en"])
    return requested if requested in languages else languages[0]


class Wording:
    """The pack's words in one language, from letter_templates/delivery/wording.yaml."""

    def __init__(self, entries: dict, language: str):
        self.entries, self.language = entries, language

    def number(self, n: int) -> str:
        return f"{n:,}"

    def __call__(self, key: str, n: int | None = None, **values) -> str:
        entry = self.entries[key]
        if isinstance(entry, dict):
            # English inflects for one; Korean and Chinese have one form.
            entry = entry.get("one") if n == 1 and "one" in entry else entry["other"]
        if n is not None:
            values["n"] = self.number(n)
        return entry.format(**values) if values else entry


def load_wording(folder: Path, language: str) -> Wording:
    entries = yaml.safe_load((folder / "wording.yaml").read_text(encoding="utf-8"))
    return Wording(entries[language], language)


@dataclass(frozen=True)
class CountryCount:
    code: str
    name: str
    signatures: int
    named: int

    @property
    def counted_only(self) -> int:
        return self.signatures - self.named


@dataclass(frozen=True)
class Signatory:
    # Name and country only: the signer agreed to their name being delivered,
    # and a name with a town can identify a family.
    number: int
    name: str
    country: str


@dataclass(frozen=True)
class PackContents:
    campaign: Campaign
    recipient: Recipient
    facts: list[Fact]
    by_country: list[CountryCount]
    campaign_total: int
    on: date
    language: str = "en"

    @property
    def total(self) -> int:
        return sum(row.signatures for row in self.by_country)

    @property
    def named(self) -> int:
        return sum(row.named for row in self.by_country)

    @property
    def counted_only(self) -> int:
        return self.total - self.named


class DeliveryTemplateFetcher(URLFetcher):
    """Serves files from the delivery template folder and nothing else.

    No network, no other file on the server: a pack holds people's names, and
    a stray URL in a template must fail the build, not fetch.
    """

    def __init__(self, folder: Path):
        super().__init__(allowed_protocols={"file"}, fail_on_errors=True)
        self.folder = folder.resolve()

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"The delivery pack loads no {url!r}.")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_file() or not path.is_relative_to(self.folder):
            raise ValueError(f"The delivery pack loads only its own files, not {url!r}.")
        return super().fetch(path.as_uri(), headers)


def campaign_recipient(campaign: Campaign, key: str) -> Recipient | None:
    """The campaign's recipient with this key; a pack goes only to those it names."""
    return next((recipient for recipient in campaign.recipients if recipient.key == key), None)


def pack_contents(
    session: Session, campaign: Campaign, recipient: Recipient, on: date, language: str = "en"
):
    return PackContents(
        campaign=campaign,
        recipient=recipient,
        facts=only_verified(campaign.facts),
        by_country=counts_by_country(session, campaign, recipient, language),
        campaign_total=count_confirmed(session, campaign.id),
        on=on,
        language=language,
    )


def counts_by_country(
    session: Session, campaign: Campaign, recipient: Recipient, language: str = "en"
) -> list[CountryCount]:
    """Confirmed signatures addressed to the recipient, by country, largest first."""
    named = func.sum(case((Signature.include_in_delivery.is_(True), 1), else_=0))
    rows = session.execute(
        select(Signature.country, func.count(), named)
        .where(*addressed_to(campaign, recipient))
        .group_by(Signature.country)
    ).all()
    counts = [
        CountryCount(code or "", country_name(code, language), total, int(n or 0))
        for code, total, n in rows
    ]
    return sorted(counts, key=lambda row: (-row.signatures, row.code))


def addressed_to(campaign: Campaign, recipient: Recipient) -> tuple:
    return (
        Signature.campaign_id == campaign.id,
        Signature.status == CONFIRMED,
        Signature.recipient_id == recipient.id,
    )


def named_signatory_count(session: Session, campaign: Campaign, recipient: Recipient) -> int:
    return session.execute(
        select(func.count())
        .select_from(Signature)
        .where(*addressed_to(campaign, recipient), Signature.include_in_delivery.is_(True))
    ).scalar_one()


def signatory_batches(
    session: Session, campaign: Campaign, recipient: Recipient, size: int = CHUNK_SIZE
) -> Iterator[list[Signatory]]:
    """The signers who chose to be named, by country then name, `size` at a time."""
    result = session.execute(
        select(Signature.name, Signature.country)
        .where(*addressed_to(campaign, recipient), Signature.include_in_delivery.is_(True))
        .order_by(Signature.country, Signature.name, Signature.id)
        .execution_options(yield_per=size)
    )
    number = 0
    for rows in result.partitions(size):
        batch = []
        for name, country in rows:
            number += 1
            batch.append(Signatory(number, name or "", country or ""))
        yield batch


def template_environment(folder: Path) -> Environment:
    return Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


class PackRenderer:
    """Renders the pack's parts (cover, signatory chunks, page numbers) as PDFs."""

    def __init__(self, folder: Path, contents: PackContents):
        self.folder = folder
        self.contents = contents
        self.environment = template_environment(folder)
        self.fetcher = DeliveryTemplateFetcher(folder)
        self.fonts = FontConfiguration()
        self.say = load_wording(folder, contents.language)

    def context(self) -> dict:
        pack, language = self.contents, self.contents.language
        campaign = pack.campaign
        return {
            "pack": pack,
            "say": self.say,
            "number": self.say.number,
            "title": campaign.title_in(language),
            "organizer": campaign.organizer_name_in(language),
            # A summary only in the pack's language: no English paragraphs in a
            # Chinese pack (the facts that follow are translated).
            "summary": campaign.translations.get(language, {}).get("summary")
            or (campaign.summary if language == "en" else ""),
            "reported": campaign.time_frame_in("page", language),
            "date": format_date(pack.on, format="long", locale=DATE_LOCALES[language]),
        }

    def document(self, template: str, **context):
        html = self.environment.get_template(template).render(**self.context(), **context)
        if self.contents.language == "ko":
            html = keep_korean_words_whole(html)
        document = HTML(string=html, base_url=str(self.folder) + "/", url_fetcher=self.fetcher)
        return document.render(font_config=self.fonts)

    def cover(self, names: list[Signatory], *, last: bool) -> tuple[PdfReader, list]:
        """The cover letter, facts and counts, then the first names of the list."""
        return self.part("cover.html", names, last=last)

    def signatories(self, names: list[Signatory], *, last: bool) -> tuple[PdfReader, list]:
        return self.part("signatories.html", names, last=last)

    def part(self, template: str, names: list[Signatory], *, last: bool):
        """The part's PDF and the names it hands on to the next part (see above)."""
        document = self.document(template, signatories=names)
        pages = document.pages
        if last or len(pages) < 2:
            return as_pdf(document), []
        short = list_lines(pages[-1])
        if short >= SHORT_PAGE_SHARE * list_lines(pages[-2]):
            return as_pdf(document), []
        return as_pdf(document.copy(pages[:-1])), names[len(names) - short :]

    def page_numbers(self, pages: int) -> PdfReader:
        html = self.environment.get_template("page_numbers.html").render(
            language=self.contents.language, pages=pages, page_content=self.say("page")
        )
        document = HTML(string=html, base_url=str(self.folder) + "/", url_fetcher=self.fetcher)
        return as_pdf(document.render(font_config=self.fonts))


def as_pdf(document) -> PdfReader:
    return PdfReader(BytesIO(document.write_pdf()))


def list_lines(page) -> int:
    """How many names of the signatory list a laid-out page holds (one a line)."""
    count, stack = 0, [page._page_box]
    while stack:
        box = stack.pop()
        if isinstance(box, LineBox):
            element = getattr(box, "element", None)
            if element is not None and "signatories" in (element.get("class") or ""):
                count += 1
            continue
        stack.extend(getattr(box, "children", ()))
    return count


def lookahead(batches: Iterator[list]) -> Iterator[tuple[list, bool]]:
    """Each batch with whether it is the last."""
    previous = None
    for batch in batches:
        if previous is not None:
            yield previous, False
        previous = batch
    if previous is not None:
        yield previous, True


def number_pages(writer: PdfWriter, renderer: PackRenderer) -> None:
    """Lay "page N of M" over every page of the joined pack."""
    numbers = renderer.page_numbers(len(writer.pages))
    for page, number in zip(writer.pages, numbers.pages, strict=True):
        page.merge_page(number)


def build_delivery_pack(
    session: Session,
    campaign: Campaign,
    recipient: Recipient,
    output: BinaryIO,
    *,
    templates_dir: Path,
    on: date,
    on_progress: Callable[[int], None] | None = None,
    chunk_size: int = CHUNK_SIZE,
    language: str | None = None,
) -> PackContents:
    """Write the pack's PDF to `output`; `on_progress(n)` after each n names.
    `language`: one the recipient reads (else its first)."""
    contents = pack_contents(session, campaign, recipient, on, pack_language(recipient, language))
    renderer = PackRenderer(templates_dir / "delivery", contents)

    writer = PdfWriter()
    batches = lookahead(signatory_batches(session, campaign, recipient, chunk_size))
    batch, last = next(batches, ([], True))
    pdf, handed_on = renderer.cover(batch, last=last)
    writer.append(pdf, import_outline=False)
    if batch and on_progress is not None:
        on_progress(len(batch))
    for batch, last in batches:
        pdf, handed_on = renderer.signatories(handed_on + batch, last=last)
        writer.append(pdf, import_outline=False)
        if on_progress is not None:
            on_progress(len(batch))
    number_pages(writer, renderer)
    writer.add_metadata(
        {
            "/Title": renderer.say(
                "title",
                campaign=campaign.title_in(contents.language),
                recipient=recipient.organization,
            )
        }
    )
    writer.write(output)
    return contents
