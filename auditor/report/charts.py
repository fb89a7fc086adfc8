"""Charts drawn as inline SVG: crisp in print, searchable, and nothing to fetch.

Two shapes cover every report: horizontal stacked bars (one row per label, segments by
status) and plain horizontal bars. Each chart comes with a table of its figures right after it,
its text alternative (WCAG 1.1.1) and the exact numbers for every reader. Labels are escaped like
any other text.

Colour is never the only code (WCAG 1.4.1): each meaning has a fill and a pattern (stripes, dots,
lines, cross-hatching), the legend shows both, and figures are written on the bars. Every fill
has at least 4.5:1 against white, so the bars stand out from the page (3:1 is needed) and the
white figures on them are legible text (tests/report/test_palette_contrast.py computes both).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from markupsafe import Markup, escape

ROW = 20
BAR = 13
LABEL_WIDTH = 190
WIDE_LABEL = 270  # bars labelled by standard ("6.3 Law Libraries and Legal Material")
CHAR_WIDTH = 5.4  # DejaVu Sans at font-size 9: average advance, in viewBox units
WIDTH = 640
PAGE = "#ffffff"  # the background every chart is drawn on (report pages and web cards)
FIGURE = "#ffffff"  # the figures written on the bars
INK = "#1d2939"  # labels and totals
LEGEND_INK = "#475467"
# Colours by meaning, shared with the stylesheet's badges (WeasyPrint draws SVG with its own
# renderer, so the chart carries its colours as attributes rather than relying on page CSS).
COLOURS = {
    "ok": "#2f7d4f",
    "bad": "#b42318",
    "waived": "#6541d8",
    "na": "#667085",
    "unassessed": "#344054",
    "undecided": "#b54708",  # indeterminate: dark amber
    "meets": "#2f7d4f",
    "fails": "#b42318",
    "incomplete": "#b54708",
    "neutral": "#34557a",
    "priority": "#7a271a",  # the trend's priority deficiencies: darker than every deficiency's red
    "repeat": "#6b4e16",  # the trend's repeat deficiencies: dark brown
}
# The pattern drawn over each fill, in white: what tells the meanings apart without colour
# (in grayscale, in print, for a reader who does not see red from green). A good meaning is solid.
PATTERNS = {
    "ok": "solid",
    "meets": "solid",
    "neutral": "solid",
    "bad": "stripes",
    "fails": "stripes",
    "undecided": "dots",
    "incomplete": "dots",
    "waived": "lines",
    "na": "sparse",
    "unassessed": "cross",
    "priority": "cross",
    "repeat": "lines",
}
_TILES = {  # one 6×6 tile of each pattern, in white over the fill
    "stripes": '<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="#ffffff" stroke-width="1.6"/>',
    "dots": '<circle cx="3" cy="3" r="1.3" fill="#ffffff"/>',
    "lines": '<path d="M0,3 h6" stroke="#ffffff" stroke-width="1.4"/>',
    "sparse": '<path d="M-1,5 l2,2 M0,0 l6,6 M5,-1 l2,2" stroke="#ffffff" stroke-width="0.9"/>',
    "cross": '<path d="M0,0 l6,6 M6,0 l-6,6" stroke="#ffffff" stroke-width="1"/>',
}
FONT = 'font-family="DejaVu Sans, sans-serif" font-size="9"'


@dataclass(frozen=True)
class Segment:
    value: float
    css: str  # a class of the report stylesheet: ok, bad, waived, na, unassessed, …
    title: str = ""


def stacked_bars(
    rows: list[tuple[str, list[Segment]]],
    legend: list[tuple[str, str]],
    caption: str,
    label_width: int = LABEL_WIDTH,
    heading: str | None = None,
) -> Markup:
    """One bar per row, segments side by side, scaled to the largest total; the total at the end.

    Followed by its table: a row per label, a column per legend entry and the total. `heading`
    names the label column (by default from the caption: "Ratings by facility type" → "Facility type").
    """
    columns = [*legend, ("", "Total")] if legend else [("", "Value")]
    return Markup(_chart(rows, legend, caption, label_width) + _table(rows, columns, caption, heading))


def bars(
    rows: list[tuple[str, float]],
    css: str,
    caption: str,
    unit: str = "",
    label_width: int = WIDE_LABEL,
    heading: str | None = None,
) -> Markup:
    """Plain horizontal bars with their value; long labels (standard names) get a wider column."""
    segments = [(label, [Segment(value, css, f"{value:g} {unit}".strip())]) for label, value in rows]
    column = unit[:1].upper() + unit[1:] if unit else "Value"
    return Markup(
        _chart(segments, [], caption, label_width) + _table(segments, [(css, column)], caption, heading)
    )


def grouped_bars(
    groups: list[tuple[str, list[Segment]]],
    series: list[tuple[str, str]],
    caption: str,
    label_width: int = LABEL_WIDTH,
    heading: str | None = None,
) -> Markup:
    """A group of bars per label (one per series, under each other, each a Segment whose css names
    its series), for counts that are not parts of one whole (priority deficiencies are also
    deficiencies); each bar is labelled directly with its figure and series, a zero too.

    Followed by its table: a row per group, a column per series."""
    ids = _ids(caption, groups)
    names = dict(series)
    biggest = max((s.value for _, segments in groups for s in segments), default=0) or 1
    span = WIDTH - label_width - 110  # room after the longest bar for "12 deficiencies"
    line = BAR + 3
    parts, y = [], 0
    for label, segments in groups:
        parts.append(_label(label, y, label_width))
        for segment in segments:
            width = span * segment.value / biggest
            if width > 0:
                title = f"<title>{escape(segment.title)}</title>" if segment.title else ""
                parts.append(_swatch(segment.css, label_width, y + 3, width, BAR, ids, title))
            text = escape(f"{segment.value:g} {_singular(names.get(segment.css, ''), segment.value)}".strip())
            x = _n(label_width + width + 5)
            parts.append(f'<text {FONT} fill="{INK}" x="{x}" y="{y + 13}">{text}</text>')
            y += line
        y += ROW - line + 4  # a gap between groups
    rows = max(1, -(-y // ROW))  # whole rows, so the legend starts below the last bar
    svg = _svg(parts, rows, series, caption, label_width, ids)
    return Markup(svg + _table(groups, series, caption, heading))


def _singular(name: str, value: float) -> str:
    """A series name as a bar's label says it: lower case, singular for one ("1 deficiency")."""
    name = name.lower()
    if value == 1 and name.endswith("ies"):
        return name[:-3] + "y"
    return name[:-1] if value == 1 and name.endswith("s") else name


def _chart(
    rows: list[tuple[str, list[Segment]]], legend: list[tuple[str, str]], caption: str, label_width: int
) -> str:
    ids = _ids(caption, rows)
    biggest = max((sum(s.value for s in segments) for _, segments in rows), default=0) or 1
    span = WIDTH - label_width - 60
    parts = []
    for i, (label, segments) in enumerate(rows):
        y = i * ROW
        parts.append(_label(label, y, label_width))
        x = label_width
        for segment in segments:
            if segment.value <= 0:
                continue
            width = span * segment.value / biggest
            title = f"<title>{escape(segment.title)}</title>" if segment.title else ""
            parts.append(_swatch(segment.css, x, y + 3, width, BAR, ids, title))
            if width >= 16:
                parts.append(_figure(f"{segment.value:g}", segment.css, x + width / 2, y))
            x += width
        total = sum(s.value for s in segments)
        parts.append(f'<text {FONT} fill="{INK}" x="{x + 5:.1f}" y="{y + 13}">{total:g}</text>')
    return _svg(parts, len(rows), legend, caption, label_width, ids)


def _ids(caption: str, rows: object) -> str:
    """A prefix for the pattern ids, the same for the same chart: two charts on one web page
    must not share ids (the first definition would serve both)."""
    return "p" + hashlib.sha256(f"{caption}\n{rows!r}".encode()).hexdigest()[:8]


def _swatch(css: str, x: float, y: float, width: float, height: float, ids: str, title: str = "") -> str:
    """A filled rectangle, its pattern over it, and a white edge that parts it from its neighbours."""
    rect = (
        f'<rect fill="{COLOURS[css]}" x="{_n(x)}" y="{y}" width="{_n(width)}" height="{height}" '
        f'stroke="{PAGE}" stroke-width="0.8">{title}</rect>'
    )
    if PATTERNS[css] == "solid":
        return rect
    return rect + (
        f'<rect x="{_n(x)}" y="{y}" width="{_n(width)}" height="{height}" '
        f'fill="url(#{ids}-{PATTERNS[css]})" stroke="{PAGE}" stroke-width="0.8"></rect>'
    )


def _n(value: float) -> str:
    """A coordinate to a tenth, without a trailing ".0"."""
    return f"{value:.1f}".removesuffix(".0")


def _figure(text: str, css: str, middle: float, y: int) -> str:
    """A figure on a bar, on a plate of the bar's plain colour so the pattern never crosses it."""
    plate = len(text) * CHAR_WIDTH + 6
    return (
        f'<rect fill="{COLOURS[css]}" x="{_n(middle - plate / 2)}" y="{y + 3}" width="{_n(plate)}" '
        f'height="{BAR}"></rect>'
        f'<text {FONT} fill="{FIGURE}" x="{middle:.1f}" y="{y + 13}" text-anchor="middle">{text}</text>'
    )


def _label(text: str, y: int, label_width: int = LABEL_WIDTH) -> str:
    room = int((label_width - 10) / CHAR_WIDTH)  # characters that fit left of the bars
    short = text if len(text) <= room else text[: room - 1].rstrip() + "…"
    return (
        f'<text {FONT} fill="{INK}" x="{label_width - 6}" y="{y + 13}" text-anchor="end">'
        f"<title>{escape(text)}</title>{escape(short)}</text>"
    )


def _defs(ids: str) -> str:
    tiles = "".join(
        f'<pattern id="{ids}-{name}" patternUnits="userSpaceOnUse" width="6" height="6">{tile}</pattern>'
        for name, tile in _TILES.items()
    )
    return f"<defs>{tiles}</defs>"


def _svg(
    parts: list[str],
    count: int,
    legend: list[tuple[str, str]],
    caption: str,
    label_width: int = LABEL_WIDTH,
    ids: str = "p",
) -> str:
    height = count * ROW + (24 if legend else 4)
    items = []
    room = sum(24 + 6.2 * len(text) for _, text in legend)
    x = min(label_width, max(0, WIDTH - room))
    for css, text in legend:
        items.append(_swatch(css, x, count * ROW + 8, 10, 10, ids))
        items.append(
            f'<text {FONT} fill="{LEGEND_INK}" x="{x + 14}" y="{count * ROW + 17}">{escape(text)}</text>'
        )
        x += 24 + 6.2 * len(text)
    body = "".join(parts + items)
    return (
        f'<svg class="chart" role="img" aria-label="{escape(caption)}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}">'
        f"<title>{escape(caption)}</title>{_defs(ids)}{body}</svg>"
    )


def _table(
    rows: list[tuple[str, list[Segment]]],
    columns: list[tuple[str, str]],
    caption: str,
    heading: str | None,
) -> str:
    """The chart's figures as a table: a row per bar, a column per meaning (css "" is the total)."""
    head = "".join(f'<th scope="col" class="num">{escape(text)}</th>' for _, text in columns)
    body = []
    for label, segments in rows:
        cells = []
        for css, _ in columns:
            value = sum(s.value for s in segments if not css or s.css == css)
            cells.append(f'<td class="num">{value:g}</td>')
        body.append(f'<tr><th scope="row">{escape(label)}</th>{"".join(cells)}</tr>')
    return (
        f'<table class="chart-table"><caption>{escape(caption)}: the figures</caption>'
        f'<thead><tr><th scope="col">{escape(heading or _heading(caption))}</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _heading(caption: str) -> str:
    """The label column's name from the caption: what the chart is "by", else its first noun."""
    if " by " in caption:
        words = caption.rsplit(" by ", 1)[1].removesuffix(" and status")
    else:
        words = caption.split()[0].removesuffix("s") if caption.split() else ""
    return words[:1].upper() + words[1:]
