"""Charts drawn as inline SVG: crisp in print, searchable, and nothing to fetch.

Two shapes cover every report: horizontal stacked bars (one row per label, segments by
status) and plain horizontal bars. Labels are escaped like any other text.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

ROW = 20
BAR = 13
LABEL_WIDTH = 190
WIDE_LABEL = 270  # bars labelled by standard ("6.3 Law Libraries and Legal Material")
CHAR_WIDTH = 5.4  # DejaVu Sans at font-size 9: average advance, in viewBox units
WIDTH = 640
# Colours by meaning, shared with the stylesheet's badges (WeasyPrint draws SVG with its own
# renderer, so the chart carries its colours as attributes rather than relying on page CSS).
COLOURS = {
    "ok": "#2f7d4f",
    "bad": "#b42318",
    "waived": "#7a5af8",
    "na": "#c8ced6",
    "unassessed": "#8a94a3",
    "undecided": "#b54708",  # indeterminate: dark amber, legible under white figures
    "meets": "#2f7d4f",
    "fails": "#b42318",
    "incomplete": "#d68a00",
    "neutral": "#34557a",
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
) -> Markup:
    """One bar per row, segments side by side, scaled to the largest total; the total at the end."""
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
            parts.append(
                f'<rect fill="{COLOURS[segment.css]}" x="{x:.1f}" y="{y + 3}" width="{width:.1f}" '
                f'height="{BAR}">{title}</rect>'
            )
            if width >= 16:
                parts.append(
                    f'<text {FONT} fill="#ffffff" x="{x + width / 2:.1f}" y="{y + 13}" '
                    f'text-anchor="middle">{segment.value:g}</text>'
                )
            x += width
        total = sum(s.value for s in segments)
        parts.append(f'<text {FONT} fill="#1d2939" x="{x + 5:.1f}" y="{y + 13}">{total:g}</text>')
    return _svg(parts, len(rows), legend, caption, label_width)


def bars(
    rows: list[tuple[str, float]], css: str, caption: str, unit: str = "", label_width: int = WIDE_LABEL
) -> Markup:
    """Plain horizontal bars with their value; long labels (standard names) get a wider column."""
    return stacked_bars(
        [(label, [Segment(value, css, f"{value:g} {unit}".strip())]) for label, value in rows],
        [],
        caption,
        label_width,
    )


def _label(text: str, y: int, label_width: int = LABEL_WIDTH) -> str:
    room = int((label_width - 10) / CHAR_WIDTH)  # characters that fit left of the bars
    short = text if len(text) <= room else text[: room - 1].rstrip() + "…"
    return (
        f'<text {FONT} fill="#1d2939" x="{label_width - 6}" y="{y + 13}" text-anchor="end">'
        f"<title>{escape(text)}</title>{escape(short)}</text>"
    )


def _svg(
    parts: list[str], count: int, legend: list[tuple[str, str]], caption: str, label_width: int = LABEL_WIDTH
) -> Markup:
    height = count * ROW + (24 if legend else 4)
    items = []
    room = sum(24 + 6.2 * len(text) for _, text in legend)
    x = min(label_width, max(0, WIDTH - room))
    for css, text in legend:
        items.append(
            f'<rect fill="{COLOURS[css]}" x="{x}" y="{count * ROW + 8}" width="10" height="10"></rect>'
        )
        items.append(f'<text {FONT} fill="#475467" x="{x + 14}" y="{count * ROW + 17}">{escape(text)}</text>')
        x += 24 + 6.2 * len(text)
    body = "".join(parts + items)
    return Markup(
        f'<svg class="chart" role="img" aria-label="{escape(caption)}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}">'
        f"<title>{escape(caption)}</title>{body}</svg>"
    )
