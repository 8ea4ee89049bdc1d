"""The delivery pack: one PDF per campaign and recipient.

A cover letter, the campaign's verified facts with their sources, the count
of signatures by country, then the signatories who chose to be named. Those
who did not are only counted.

Why the list is built in chunks: WeasyPrint lays out a whole document before
writing it, and keeps every page's layout in memory until then; one HTML
document with tens of thousands of names takes minutes and gigabytes. So each
chunk of CHUNK_SIZE names is its own small document, rendered and written to
PDF bytes at once (its layout freed), and the PDFs are joined with pypdf.
Signatories stream from the database in batches of the same size. One
FontConfiguration serves every chunk: a new one per render would load the
fonts again each time and hold on to them.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit
from urllib.request import url2pathname

from jinja2 import Environment, FileSystemLoader, select_autoescape
from pypdf import PdfReader, PdfWriter
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session
from weasyprint.urls import URLFetcher

from app.campaigns.models import Campaign
from app.countries import country_name
from app.facts.models import Fact
from app.facts.service import only_verified
from app.letters.models import Recipient
from app.organizer.pack_render import render_parts, scratch_folder
from app.signatures.counts import count_confirmed
from app.signatures.models import CONFIRMED, Signature

CHUNK_SIZE = 500
LANGUAGE = "en"


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


def pack_contents(session: Session, campaign: Campaign, recipient: Recipient, on: date):
    return PackContents(
        campaign=campaign,
        recipient=recipient,
        facts=only_verified(campaign.facts),
        by_country=counts_by_country(session, campaign, recipient),
        campaign_total=count_confirmed(session, campaign.id),
        on=on,
    )


def counts_by_country(
    session: Session, campaign: Campaign, recipient: Recipient
) -> list[CountryCount]:
    """Confirmed signatures addressed to the recipient, by country, largest first."""
    named = func.sum(case((Signature.include_in_delivery.is_(True), 1), else_=0))
    rows = session.execute(
        select(Signature.country, func.count(), named)
        .where(*addressed_to(campaign, recipient))
        .group_by(Signature.country)
    ).all()
    counts = [
        CountryCount(code or "", country_name(code, LANGUAGE), total, int(n or 0))
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
    return session.scalar(
        select(func.count())
        .select_from(Signature)
        .where(*addressed_to(campaign, recipient), Signature.include_in_delivery.is_(True))
    )


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
    processes: int = 1,
    scratch_dir: Path | None = None,
) -> PackContents:
    """Write the pack's PDF to `output`; `on_progress(n)` after each n names.

    Each part is rendered to a file in a scratch folder (under `scratch_dir`
    when given), `processes` parts at a time, and the files are joined at the
    end: memory holds one part's layout per process, never the whole list.
    """
    folder = templates_dir / "delivery"
    environment = template_environment(folder)
    contents = pack_contents(session, campaign, recipient, on)

    def html(template: str, **context) -> str:
        return environment.get_template(template).render(pack=contents, **context)

    def parts():
        yield html("cover.html"), 0
        for batch in signatory_batches(session, campaign, recipient, chunk_size):
            yield html("signatories.html", signatories=batch), len(batch)

    writer = PdfWriter()
    with scratch_folder(scratch_dir) as scratch:
        for path, names in render_parts(
            parts(),
            folder=folder,
            fetcher_class=DeliveryTemplateFetcher,
            scratch=Path(scratch),
            processes=processes,
        ):
            writer.append(PdfReader(BytesIO(path.read_bytes())), import_outline=False)
            path.unlink()
            if names and on_progress is not None:
                on_progress(names)
        writer.add_metadata({"/Title": f"{campaign.title}: delivery to {recipient.organization}"})
        writer.write(output)
    return contents
