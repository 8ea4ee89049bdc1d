"""Signatures per day as an SVG bar chart, drawn by the server.

No script and no styles: presentation attributes only, so the page's
Content-Security-Policy (style-src 'self') needs no exception. The chart has
a title and a description for screen readers; the page also gives the numbers
as a table.
"""

from datetime import date

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 220
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 48, 8, 12, 28
BAR_COLOUR = "#0b5c8c"
AXIS_COLOUR = "#505a66"


def signatures_per_day_svg(by_day: list[tuple[date, int]], *, title: str, desc: str) -> Markup:
    """One bar per day with signatures, oldest on the left."""
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    baseline = MARGIN_TOP + plot_height
    highest = max((count for _, count in by_day), default=0)
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        'role="img" aria-labelledby="chart-title chart-desc">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(desc)}</desc>',
        f'<line x1="{MARGIN_LEFT}" y1="{baseline}" x2="{WIDTH - MARGIN_RIGHT}" y2="{baseline}" '
        f'stroke="{AXIS_COLOUR}"/>',
        _text(MARGIN_LEFT - 6, MARGIN_TOP + 10, f"{highest:,}", anchor="end"),
        _text(MARGIN_LEFT - 6, baseline, "0", anchor="end"),
    ]
    if by_day:
        slot = plot_width / len(by_day)
        bar_width = max(slot * 0.8, 1.0)
        for index, (day, count) in enumerate(by_day):
            bar_height = plot_height * count / highest
            x = MARGIN_LEFT + index * slot + (slot - bar_width) / 2
            parts.append(
                f'<rect x="{x:.2f}" y="{baseline - bar_height:.2f}" width="{bar_width:.2f}" '
                f'height="{bar_height:.2f}" fill="{BAR_COLOUR}">'
                f"<title>{day.isoformat()}: {count:,}</title></rect>"
            )
        parts.append(_text(MARGIN_LEFT, HEIGHT - 8, by_day[0][0].isoformat(), anchor="start"))
        if len(by_day) > 1:
            parts.append(
                _text(WIDTH - MARGIN_RIGHT, HEIGHT - 8, by_day[-1][0].isoformat(), anchor="end")
            )
    parts.append("</svg>")
    # Every label above went through escape(); the rest are numbers.
    return Markup("".join(parts))  # noqa: S704


def _text(x: float, y: float, label: str, *, anchor: str) -> str:
    return (
        f'<text x="{x}" y="{y}" text-anchor="{anchor}" font-size="12" '
        f'fill="{AXIS_COLOUR}">{escape(label)}</text>'
    )
