"""The delivery pack: one PDF per campaign and recipient, in a language it reads.

A cover letter signed by the campaign's organizer, the campaign's verified
facts with their quotes and sources, the count of signatures by country, then
the signatories who chose to be named. Those who did not are only counted.
Every page is numbered "page N of M".

How a list of hundreds of thousands of names is built in minutes: the names
are broken into lines and pages here, before WeasyPrint sees them
(app/organizer/pack_layout.py), several a line in columns. Knowing every page
up front, the builder knows the page count, so the list is cut into parts of
whole pages, each numbered as it is rendered, rendered on several cores at
once (app/organizer/pack_render.py), written to scratch files, and the files
joined with pypdf. WeasyPrint keeps a whole document's layout in memory until
it is written; a part of a few thousand names is small.
"""


from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

import yaml
from babel.dates import format_date
from pypdf import PdfWriter
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session
from weasyprint.formatting_structure.boxes import BlockBox, LineBox, TextBox

from app.campaigns.models import Campaign
from app.countries import country_name
from app.facts.models import Fact
from app.facts.service import only_verified
from app.letters.korean import keep_korean_words_whole
from app.letters.models import Recipient
from app.letters.pdf import TemplateAssetFetcher
from app.letters.templates import template_environment
from app.organizer.pack_layout import (
    GlyphWidths,
    ListGeometry,
    ListLine,
    entry_text,
    group_pages,
    lay_out_lines,
    names_on,
    paginate,
)
from app.organizer.pack_render import PartRenderer, render_parts, scratch_folder
from app.signatures.counts import count_confirmed
from app.signatures.models import CONFIRMED, Signature

# About this many names per rendered part (DELIVERY_PACK_CHUNK_SIZE).
CHUNK_SIZE = 2000
# Signers read from the database this many at a time.
STREAM_BATCH = 2000
# Babel locales for the pack's date: "1 December 2026", "2026년 12월 1일", "2026年12月1日".
DATE_LOCALES = {"en": "en_GB", "ko": "ko", "zh": "zh"}


def pack_language(recipient: Recipient, requested: str | None = None) -> str:
    """The requested language if the recipient reads it, else its first language."""
    languages = list(recipient.languages or ["en"])
    return requested if requested is not None and requested in languages else languages[0]


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


def delivery_fetcher(folder: Path) -> TemplateAssetFetcher:
    """The pack loads its own template folder's files only, and a stray URL in a
    template fails the build rather than being skipped: the pack holds names."""
    return TemplateAssetFetcher(folder, fail_on_errors=True)


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


def signatory_entries(session: Session, campaign: Campaign, recipient: Recipient) -> Iterator[str]:
    """'12. Jane Smith · GB' for each signer who chose to be named, by country then name.

    Streamed from the database (`yield_per`): a million rows never sit in
    memory as ORM objects.
    """
    result = session.execute(
        select(Signature.name, Signature.country)
        .where(*addressed_to(campaign, recipient), Signature.include_in_delivery.is_(True))
        .order_by(Signature.country, Signature.name, Signature.id)
        .execution_options(yield_per=STREAM_BATCH)
    )
    for number, (name, country) in enumerate(result, start=1):
        yield entry_text(number, name or "", country or "")


class PackRenderer:
    """The pack's parts as HTML, and the measurements that break its list into pages."""

    def __init__(self, folder: Path, contents: PackContents):
        self.folder = folder
        self.contents = contents
        self.environment = template_environment(folder)
        self.parts = PartRenderer(folder, delivery_fetcher)
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

    def html(self, template: str, *, first_page: int, total_pages: int, **context) -> str:
        page_number = self.say("page", pages=total_pages)
        return self.environment.get_template(template).render(
            **self.context(), first_page=first_page, page_number=page_number, **context
        )

    def geometry(self) -> ListGeometry:
        """How many list lines a page holds, how wide they are and in which font:
        laid out once by WeasyPrint, from the stylesheet."""
        probe = "\n".join(["0"] * 200)
        html = self.html(
            "signatories.html", first_page=1, total_pages=1, pages=[probe], column_width=1
        )
        first = self.parts.render(html).pages[0]
        lines = list_line_boxes(first)
        text = next(box for box in lines[0].descendants() if isinstance(box, TextBox))
        block = next(box for box in first._page_box.descendants() if is_list_block(box))
        return ListGeometry(
            lines_per_page=len(lines),
            line_width=block.width,
            font_size=text.style["font_size"],
            font_family=", ".join(text.style["font_family"]),
        )

    def cover(self, lines: list[ListLine], geometry: ListGeometry, total_pages: int) -> str:
        """The cover letter, facts and counts, then the first lines of the list."""
        html = self.html(
            "cover.html",
            first_page=1,
            total_pages=total_pages,
            lines="\n".join(line.text for line in lines),
            column_width=geometry.column_width,
        )
        # The letter's Korean wraps between words; the list's lines never wrap.
        return keep_korean_words_whole(html) if self.contents.language == "ko" else html

    def fit_cover(self, lines: list[ListLine], geometry: ListGeometry) -> tuple[int, int]:
        """(pages, list lines) of the cover: it ends on the page where the list
        begins, holding as many of the list's lines as fit there, so a short list
        follows the counts rather than taking a page alone."""
        pages, on_cover = self._cover_fit(lines[: geometry.lines_per_page], geometry)
        whole = on_cover
        while whole and not lines[whole - 1].names:
            whole -= 1  # the lines of one long name stay on one page
        if whole != on_cover:
            pages, on_cover = self._cover_fit(lines[:whole], geometry)
        return pages, on_cover

    def _cover_fit(self, lines: list[ListLine], geometry: ListGeometry) -> tuple[int, int]:
        document = self.parts.render(self.cover(lines, geometry, 0))
        for number, page in enumerate(document.pages, start=1):
            on_page = len(list_line_boxes(page))
            if on_page:
                return number, on_page
        return len(document.pages), 0

    def signatories(self, pages: list[list[ListLine]], geometry, *, first_page, total_pages):
        return self.html(
            "signatories.html",
            first_page=first_page,
            total_pages=total_pages,
            pages=["\n".join(line.text for line in page) for page in pages],
            column_width=geometry.column_width,
        )


def is_list_block(box) -> bool:
    element = getattr(box, "element", None)
    return (
        isinstance(box, BlockBox)
        and element is not None
        and "signatories" in (element.get("class") or "").split()
    )


def list_line_boxes(page) -> list:
    """The lines of the signatory list that a laid-out page holds."""
    found, stack = [], [page._page_box]
    while stack:
        box = stack.pop()
        if isinstance(box, LineBox):
            element = getattr(box, "element", None)
            if element is not None and "signatories" in (element.get("class") or "").split():
                found.append(box)
            continue
        stack.extend(reversed(getattr(box, "children", ())))
    return found


def build_delivery_pack(
    session: Session,
    campaign: Campaign,
    recipient: Recipient,
    output: IO[bytes],
    *,
    templates_dir: Path,
    on: date,
    on_progress: Callable[[int], None] | None = None,
    chunk_size: int = CHUNK_SIZE,
    language: str | None = None,
    processes: int = 1,
    scratch_near: Path | None = None,
) -> PackContents:
    """Write the pack's PDF to `output`.

    `on_progress(n)` after each part, with the n names it laid out; parts hold
    about `chunk_size` names, rendered in `processes` processes at once, their
    files in a scratch folder made in `scratch_near` (default: the system's).
    `language`: one the recipient reads (else its first)."""
    contents = pack_contents(session, campaign, recipient, on, pack_language(recipient, language))
    renderer = PackRenderer(templates_dir / "delivery", contents)
    geometry = renderer.geometry()
    width = GlyphWidths(geometry.font_family, geometry.font_size)
    # The list's lines, in memory as text (about 200 bytes a line): the page
    # count must be known before the first page is rendered.
    lines = list(lay_out_lines(signatory_entries(session, campaign, recipient), width, geometry))
    cover_pages, cover_lines = renderer.fit_cover(lines, geometry)
    pages = paginate(lines, cover_lines, geometry.lines_per_page)
    total = cover_pages + len(pages)

    def parts() -> Iterator[tuple[str, int, int]]:
        """(html, pages, names) of each part: the cover, then the list."""
        yield (
            renderer.cover(lines[:cover_lines], geometry, total),
            cover_pages,
            names_on(lines[:cover_lines]),
        )
        first_page = cover_pages + 1
        for part in group_pages(pages, chunk_size):
            html = renderer.signatories(
                part, geometry, first_page=first_page, total_pages=total
            )
            yield html, len(part), sum(names_on(page) for page in part)
            first_page += len(part)

    writer = PdfWriter()
    with scratch_folder(scratch_near) as scratch:
        planned: deque[tuple[int, int]] = deque()  # (pages, names) of each part

        def htmls():
            for html, expected, names in parts():
                planned.append((expected, names))
                yield html

        for path, rendered in render_parts(
            htmls(), renderer=renderer.parts, scratch=Path(scratch), processes=processes
        ):
            expected, names = planned.popleft()
            if rendered != expected:
                # A page held fewer lines than measured: the numbering would be wrong.
                raise PackLayoutError(f"A part of the pack took {rendered} pages, not {expected}.")
            writer.append(str(path), import_outline=False)
            if names and on_progress is not None:
                on_progress(names)
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


class PackLayoutError(RuntimeError):
    """WeasyPrint laid out a part on more pages than the builder planned."""
