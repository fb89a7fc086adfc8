"""Contrast of the charts' palette and of the stylesheets' colours, by WCAG 2.2's own formula.

Relative luminance L = 0.2126 R + 0.7152 G + 0.0722 B of the linearised sRGB channels, and the
contrast ratio (L1 + 0.05) / (L2 + 0.05) with L1 the lighter. Text needs 4.5:1 against what is
behind it (1.4.3), a chart's bars and legend swatches 3:1 against the page (1.4.11). The figures
on the bars are text on the bar's colour, so every fill needs 4.5:1 with white.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from auditor.report import charts

REPO = Path(__file__).resolve().parents[2]
REPORT_CSS = REPO / "reports" / "styles" / "report.css"
APP_CSS = REPO / "auditor" / "web" / "static" / "app.css"
WHITE = "#ffffff"


def luminance(colour: str) -> float:
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(c * 2 for c in hex_digits)
    channels = [int(hex_digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_formula_gives_wcags_known_answers() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the famous near miss
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast("#d68a00", "#ffffff") == pytest.approx(2.8, abs=0.05)  # the old Incomplete banner


@pytest.mark.parametrize("meaning", sorted(charts.COLOURS))
def test_every_chart_colour_stands_out_and_carries_white_figures(meaning: str) -> None:
    fill = charts.COLOURS[meaning]
    assert contrast(fill, charts.PAGE) >= 3.0, f"{meaning} {fill}: a bar must stand out from the page"
    assert contrast(fill, charts.FIGURE) >= 4.5, f"{meaning} {fill}: the figure written on it"


def test_chart_text_is_legible_on_the_page() -> None:
    for name in ("INK", "LEGEND_INK"):
        assert contrast(getattr(charts, name), charts.PAGE) >= 4.5, name


def test_every_meaning_has_a_pattern_and_the_bad_ones_differ_from_the_good() -> None:
    """Colour is never the only code: what differs in hue differs in pattern too."""
    assert set(charts.PATTERNS) == set(charts.COLOURS)
    good = {charts.PATTERNS[m] for m in ("ok", "meets")}
    for meaning in ("bad", "fails", "undecided", "incomplete", "waived", "na", "unassessed"):
        assert charts.PATTERNS[meaning] not in good, meaning
    statuses = ("ok", "bad", "undecided", "waived", "na", "unassessed")  # the facility report's chart
    assert len({charts.PATTERNS[m] for m in statuses}) == len(statuses)


def test_a_chart_draws_its_patterns_and_its_table() -> None:
    legend = [("ok", "Compliant"), ("bad", "Deficient"), ("undecided", "Indeterminate")]
    rows = [
        ("Care", [charts.Segment(18, "ok"), charts.Segment(6, "bad"), charts.Segment(1, "undecided")]),
        ("Safety", [charts.Segment(7, "ok"), charts.Segment(1, "bad")]),
    ]
    html = str(charts.stacked_bars(rows, legend, "Requirements by functional area and status"))
    ids = re.findall(r'<pattern id="(p[0-9a-f]{8})-(\w+)"', html)
    assert {name for _, name in ids} == {"stripes", "dots", "lines", "sparse", "cross"}
    prefix = ids[0][0]
    assert html.count(f'fill="url(#{prefix}-stripes)"') == 3  # two deficient bars and the legend swatch
    assert html.count(f'fill="url(#{prefix}-dots)"') == 2
    table = html.split("<table", 1)[1]
    assert "<caption>Requirements by functional area and status: the figures</caption>" in table
    assert '<th scope="col">Functional area</th>' in table
    assert [re.sub(r"<[^>]+>", " ", row).split() for row in re.findall(r"<tr>(.*?)</tr>", table)] == [
        ["Functional", "area", "Compliant", "Deficient", "Indeterminate", "Total"],
        ["Care", "18", "6", "1", "25"],
        ["Safety", "7", "1", "0", "8"],
    ]


def test_two_charts_on_one_page_do_not_share_pattern_ids() -> None:
    first = str(charts.bars([("A", 1)], "bad", "Ratings by facility type"))
    second = str(charts.bars([("A", 1)], "bad", "Ratings by area of responsibility"))
    ids = re.compile(r'<pattern id="([^"]+)"')
    assert not set(ids.findall(first)) & set(ids.findall(second))
    assert '<th scope="col">Area of responsibility</th>' in second


def _rules(path: Path) -> list[tuple[str, dict[str, str]]]:
    """(selector, declarations) of a stylesheet's plain rules, var(--x) resolved from :root."""
    text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
    text = re.sub(r"@page[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", text)  # margin boxes: checked below
    text = re.sub(r"@media[^{]*\{((?:[^{}]*\{[^{}]*\})*)[^{}]*\}", r"\1", text)
    rules = []
    variables: dict[str, str] = {}
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        declarations = {}
        for name, value in re.findall(r"([\w-]+)\s*:\s*([^;]+)", body):
            declarations[name.strip()] = value.strip()
        if selector.strip() == ":root":
            variables.update({k: v for k, v in declarations.items() if k.startswith("--")})
        rules.append((selector.strip(), declarations))
    resolved = []
    for selector, declarations in rules:
        for name, value in declarations.items():
            declarations[name] = re.sub(r"var\((--[\w-]+)\)", lambda m: variables[m.group(1)], value)
        resolved.append((selector, declarations))
    return resolved


def _colour(value: str | None) -> str | None:
    match = re.search(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b", value or "")
    return match.group(0).lower() if match else None


def _white(colour: str | None) -> bool:
    return colour in ("#fff", "#ffffff")


@pytest.mark.parametrize("path", [REPORT_CSS, APP_CSS], ids=["report.css", "app.css"])
def test_every_text_colour_of_the_stylesheets_reaches_4_5(path: Path) -> None:
    """Each rule's text colour against its own background, else against the page (white, and the
    web app's grey page); white text against the background of each variant of its rule
    (`.rating` is white, `.rating.fails` gives the red)."""
    rules = _rules(path)
    pages = [WHITE, "#f4f6f9"] if path == APP_CSS else [WHITE]
    white_text = [s for s, d in rules if _white(_colour(d.get("color")))]
    failures = []
    checked = 0
    for selector, declarations in rules:
        text = _colour(declarations.get("color"))
        background = _colour(declarations.get("background") or declarations.get("background-color"))
        if text and background:
            pairs = [(text, background)]
        elif text and not _white(text):
            pairs = [(text, page) for page in pages]
        elif (
            background
            and not text
            and any(
                part.strip().startswith(base + ".") for base in white_text for part in selector.split(",")
            )
        ):
            pairs = [(WHITE, background)]
        else:
            continue
        for fg, bg in pairs:
            checked += 1
            if contrast(fg, bg) < 4.5:
                failures.append(f"{selector}: {fg} on {bg} is {contrast(fg, bg):.2f}:1")
    assert checked >= 25  # the parser found the stylesheet's colours
    assert not failures, "\n".join(failures)


def test_the_incomplete_banner_and_the_page_margins_of_the_report() -> None:
    rules = dict(_rules(REPORT_CSS))
    for rating in ("meets", "fails", "incomplete"):
        assert contrast(WHITE, _colour(rules[f".rating.{rating}"]["background"])) >= 4.5, rating
    page_rules = REPORT_CSS.read_text(encoding="utf-8").split("html {")[0]  # @page: header and footer
    margins = re.findall(r"color:\s*(#[0-9a-fA-F]{6})", page_rules)
    assert margins and all(contrast(colour, WHITE) >= 4.5 for colour in margins)
