"""The delivery pack's list of names, laid out in lines and pages before WeasyPrint sees it.

Why the builder breaks the list itself: WeasyPrint's cost is per line box
(about a millisecond each, to lay out and to draw), so a million signers' list
of 300,000 names, one a line, takes many minutes. Here names are put side by
side in columns (tab stops, so one text line holds up to `columns` names:
a third of the lines and of the paper), and every list page gets exactly as
many lines as fit on it. Since the builder then knows every page before it is
rendered, it knows the page count up front: each part of the list is numbered
"page N of M" as it is rendered, and parts can be rendered independently, in
several processes at once.

A name wider than its column takes the next columns too; one wider than the
whole line goes on lines of its own. Widths are measured with Pango, in the
font WeasyPrint lays the list out in, glyph by glyph (with a margin for
kerning and shaping, which glyph sums leave out).
"""

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from weasyprint.text.ffi import ffi, gobject, pango, pangoft2

# Kerning and shaping can make a name a little wider than the sum of its
# glyphs (measured: at most 0.3% on Latin names); a name is taken as this
# much wider, so that it never runs into the next column.
WIDTH_MARGIN = 1.03
# Continuation lines of a name longer than a whole line start indented.
CONTINUATION = "\u2003\u2003"


@dataclass(frozen=True)
class ListGeometry:
    """What WeasyPrint makes of the list's stylesheet; measured, not assumed."""

    lines_per_page: int
    line_width: float  # CSS px
    font_size: float  # CSS px
    font_family: str
    columns: int = 3

    @property
    def column_width(self) -> int:
        # Whole pixels: WeasyPrint passes tab stops to Pango in whole pixels.
        return math.floor(self.line_width / self.columns)

    @property
    def gap(self) -> float:
        """The least space between a name and the next column."""
        return self.font_size


@dataclass(frozen=True)
class ListLine:
    text: str
    names: int  # the names that end on this line


def entry_text(number: int, name: str, country: str) -> str:
    """'12. Jane Smith · GB'; the name's own spacing collapsed, so no tab or
    line break in a name can shift the columns."""
    return f"{number}. {' '.join(name.split())} · {country}"


class GlyphWidths:
    """Widths of text in a font family, in CSS px at `font_size`, from Pango."""

    SIZE = 1000.0  # measured large and scaled: no rounding to small sizes

    def __init__(self, font_family: str, font_size: float):
        self.font_size = font_size
        font_map = ffi.gc(pangoft2.pango_ft2_font_map_new(), gobject.g_object_unref)
        context = ffi.gc(pango.pango_font_map_create_context(font_map), gobject.g_object_unref)
        pango.pango_context_set_round_glyph_positions(context, False)
        self._layout = ffi.gc(pango.pango_layout_new(context), gobject.g_object_unref)
        self._keep = font_map, context
        description = ffi.gc(
            pango.pango_font_description_new(), pango.pango_font_description_free
        )
        pango.pango_font_description_set_family(description, font_family.encode())
        pango.pango_font_description_set_absolute_size(
            description, pango.pango_units_from_double(self.SIZE)
        )
        pango.pango_layout_set_font_description(self._layout, description)
        self._rectangle = ffi.new("PangoRectangle *")
        self._em: dict[str, float] = {}

    def _measure_em(self, character: str) -> float:
        text = character.encode()
        pango.pango_layout_set_text(self._layout, text, len(text))
        line = pango.pango_layout_get_line_readonly(self._layout, 0)
        pango.pango_layout_line_get_extents(line, ffi.NULL, self._rectangle)
        return pango.pango_units_to_double(self._rectangle.width) / self.SIZE

    def __call__(self, text: str) -> float:
        em = self._em
        total = 0.0
        for character in text:
            width = em.get(character)
            if width is None:
                width = em[character] = self._measure_em(character)
            total += width
        return total * self.font_size * WIDTH_MARGIN


def lay_out_lines(
    entries: Iterable[str], width: Callable[[str], float], geometry: ListGeometry
) -> Iterator[ListLine]:
    """The list's lines: entries side by side in columns, in reading order."""
    column, columns = geometry.column_width, geometry.columns
    cells: list[str] = []
    used = 0
    for entry in entries:
        span = math.ceil((width(entry) + geometry.gap) / column)
        if span > columns:
            if cells:
                yield ListLine("\t".join(cells), len(cells))
                cells, used = [], 0
            yield from long_entry_lines(entry, width, columns * column - geometry.gap)
            continue
        if used + span > columns:
            yield ListLine("\t".join(cells), len(cells))
            cells, used = [], 0
        cells.append(entry)
        used += span
    if cells:
        yield ListLine("\t".join(cells), len(cells))


def long_entry_lines(entry: str, width: Callable[[str], float], limit: float):
    """A name wider than a line, on as many lines as it needs: broken at a space
    where that fills at least half a line, else between two characters."""
    rest, prefix = entry, ""
    while rest:
        end = len(rest)
        while end > 1 and width(prefix + rest[:end]) > limit:
            end -= 1
        if end < len(rest):
            space = rest.rfind(" ", 0, end + 1)
            if space > 0 and width(prefix + rest[:space]) >= limit / 2:
                end = space
        piece, rest = rest[:end].rstrip(), rest[end:].lstrip()
        yield ListLine(prefix + piece, 0 if rest else 1)
        prefix = CONTINUATION


def paginate(lines: list[ListLine], first_page_lines: int, lines_per_page: int):
    """The lines after the cover's, in pages of `lines_per_page` at most; the
    lines of one long name stay on one page."""
    pages: list[list[ListLine]] = []
    page: list[ListLine] = []
    name: list[ListLine] = []  # the lines of the name being read
    for line in lines[first_page_lines:]:
        name.append(line)
        if not line.names:
            continue
        if page and len(page) + len(name) > lines_per_page:
            pages.append(page)
            page = []
        page.extend(name)
        name = []
    if page:
        pages.append(page)
    return pages


def group_pages(pages: list[list[ListLine]], names_per_part: int) -> Iterator[list]:
    """Consecutive pages holding at least `names_per_part` names each (the last: the rest)."""
    part: list[list[ListLine]] = []
    names = 0
    for page in pages:
        part.append(page)
        names += sum(line.names for line in page)
        if names >= names_per_part:
            yield part
            part, names = [], 0
    if part:
        yield part


def names_on(lines: Iterable[ListLine]) -> int:
    return sum(line.names for line in lines)
