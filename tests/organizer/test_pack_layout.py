"""The delivery pack's list broken into lines and pages before it is rendered."""

from app.organizer.pack_layout import (
    GlyphWidths,
    ListGeometry,
    entry_text,
    group_pages,
    lay_out_lines,
    paginate,
)

# Three columns of 100 px, a 10 px gap; every character 10 px wide.
GEOMETRY = ListGeometry(lines_per_page=4, line_width=300, font_size=10, font_family="sans-serif")


def width(text: str) -> float:
    return 10.0 * len(text)


def lines_of(entries):
    return list(lay_out_lines(entries, width, GEOMETRY))


def test_names_sit_side_by_side_three_a_line_in_reading_order():
    lines = lines_of([f"{n}. Ann" for n in range(1, 8)])
    assert [line.text for line in lines] == [
        "1. Ann\t2. Ann\t3. Ann",
        "4. Ann\t5. Ann\t6. Ann",
        "7. Ann",
    ]
    assert [line.names for line in lines] == [3, 3, 1]


def test_a_name_wider_than_its_column_takes_the_next_one_too():
    lines = lines_of(["1. Ann", "2. Maximiliana Ono", "3. Bo"])
    assert [line.text for line in lines] == ["1. Ann\t2. Maximiliana Ono", "3. Bo"]


def test_a_name_wider_than_a_line_goes_on_lines_of_its_own_and_loses_nothing():
    long = "2. " + "가" * 70 + " · KR"
    lines = lines_of(["1. Ann", long, "3. Bo"])
    assert lines[0].text == "1. Ann"
    pieces = [line.text.lstrip("\u2003") for line in lines[1:-1]]
    assert "".join(pieces).replace(" ", "") == long.replace(" ", "")
    assert all(width(line.text) <= 290 for line in lines)
    assert [line.names for line in lines] == [1, 0, 0, 1, 1]
    assert lines[-1].text == "3. Bo"


def test_a_long_name_is_broken_at_a_space_when_that_fills_half_a_line():
    lines = lines_of(["1. Maria Anna Sophia Theresia von Habsburg · AT"])
    assert lines[0].text == "1. Maria Anna Sophia Theresia"
    assert lines[1].text == "\u2003\u2003von Habsburg · AT"


def test_a_name_with_tabs_or_line_breaks_cannot_shift_the_columns():
    assert entry_text(7, "Jane\tQ.\nSmith ", "GB") == "7. Jane Q. Smith · GB"


def test_the_list_after_the_cover_is_cut_into_full_pages_then_parts_of_whole_pages():
    lines = lines_of([f"{n}. Ann" for n in range(1, 31)])  # 10 lines
    pages = paginate(lines, first_page_lines=2, lines_per_page=GEOMETRY.lines_per_page)
    assert [len(page) for page in pages] == [4, 4]
    parts = list(group_pages(pages, names_per_part=12))
    assert [len(part) for part in parts] == [1, 1]


def test_the_lines_of_one_long_name_are_never_split_between_pages():
    entries = ["1. Ann", "2. Bo", "3. Cy", "4. Di", "5. Ed", "6. Flo", "7. " + "가" * 60, "8. Gus"]
    lines = lines_of(entries)  # two lines of three names, three lines for 7., one for 8.
    pages = paginate(lines, first_page_lines=1, lines_per_page=3)
    assert [[line.names for line in page] for page in pages] == [[3], [0, 0, 1], [1]]


def test_widths_come_from_the_font_a_wide_letter_wider_than_a_narrow_one():
    measure = GlyphWidths("Noto Sans CJK KR", 12)
    assert measure("W") > measure("i") > 0
    assert measure("김") > measure("i")
    assert measure("ii") > measure("i")
