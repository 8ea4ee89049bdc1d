"""Signatures per day as an SVG bar chart, drawn by the server.

No script and no styles: presentation attributes only, so the page's
Content-Security-Policy (style-src 'self') needs no exception. The chart has
a title and a description for screen readers; the page also gives the numbers
as a table.

The SVG scales to the width of the page, so text inside it would shrink with
it (to about 5 px on a phone). The bars are drawn in the SVG; the labels of
the axes are HTML beside it, in the page's own type size.
"""

from datetime import date

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 200
BAR_COLOUR = "#0a4f7a"
AXIS_COLOUR = "#4a5563"


def signatures_per_day_svg(by_day: list[tuple[date, int]], *, title: str, desc: str) -> Markup:
    """One bar per day with signatures, oldest on the left, in a <figure> whose
    axis labels (the highest count, zero, the first and last day) are text."""
    highest = max((count for _, count in by_day), default=0)
    parts = [
        '<figure class="chart">',
        '<div class="chart__plot">',
        f'<p class="chart__scale" aria-hidden="true"><span>{highest:,}</span><span>0</span></p>',
        f'<svg class="chart__svg" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" preserveAspectRatio="none" '
        'role="img" aria-labelledby="chart-title chart-desc">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(desc)}</desc>',
        f'<line x1="0" y1="{HEIGHT - 1}" x2="{WIDTH}" y2="{HEIGHT - 1}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="2" vector-effect="non-scaling-stroke"/>',
    ]
    if by_day:
        slot = WIDTH / len(by_day)
        bar_width = max(slot * 0.8, 1.0)
        for index, (day, count) in enumerate(by_day):
            bar_height = (HEIGHT - 20) * count / highest
            x = index * slot + (slot - bar_width) / 2
            parts.append(
                f'<rect x="{x:.2f}" y="{HEIGHT - bar_height:.2f}" width="{bar_width:.2f}" '
                f'height="{bar_height:.2f}" fill="{BAR_COLOUR}">'
                f"<title>{day.isoformat()}: {count:,}</title></rect>"
            )
    parts.append("</svg></div>")
    if by_day:
        last = f"<span>{by_day[-1][0].isoformat()}</span>" if len(by_day) > 1 else ""
        parts.append(
            '<p class="chart__days" aria-hidden="true">'
            f"<span>{by_day[0][0].isoformat()}</span>{last}</p>"
        )
    parts.append("</figure>")
    # Every label above went through escape(); the rest are numbers and dates.
    return Markup("".join(parts))  # noqa: S704
