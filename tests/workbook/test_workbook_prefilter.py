"""The one-pass prefilter in front of the sheet checks: whatever the exact regexes find, it finds.

extent.FastCells and xlsx_scan run their Python regexes only on windows Arrow's RE2 says may hold
something. A window the prefilter passes and the exact check would flag would let a far cell
reach calamine unchecked, so every test here compares the two on the same bytes.
"""

from __future__ import annotations

import random

import pytest

from auditor.workbook import extent
from auditor.workbook.cells import column_letter
from auditor.workbook.prefilter import may_hold_odd_cell, may_match
from auditor.workbook.xlsx_scan import scan_sheet

LIMITS = [1, 2, 25, 26, 27, 51, 52, 53, 85, 100, 701, 702, 703, 16_384]


def exact(data: bytes, limit: int) -> bool:
    """What FastCells' own regexes say of a window: True when it is odd."""
    return bool(extent.odd_cell(limit).search(data) or extent._PREFIXED_CELL.search(data))


def fast(data: bytes, limit: int) -> bool:
    return may_hold_odd_cell(data, 0, len(data), limit)


@pytest.mark.parametrize("limit", LIMITS)
def test_every_reference_either_side_of_the_limit(limit: int) -> None:
    odd = 0
    for column in range(min(limit, 702) + 30):
        for row in (1, 9, 10, 999_999, 1_000_000, 1_048_576):
            for tail in ('">', '" s="3">', '"/>'):
                cell = f'<c r="{column_letter(column)}{row}{tail}<v>1</v></c>'.encode()
                if exact(cell, limit):
                    odd += 1
                    assert fast(cell, limit), cell
                elif tail != '"/>':  # a normal cell: the prefilter lets it pass, no exact check
                    assert not fast(cell, limit), cell
    assert odd  # columns past the limit (or rows past 999,999) were odd: the test saw both kinds


def test_a_sheet_as_excel_writes_it_passes_without_the_exact_check() -> None:
    row = "".join(f'<c r="{column_letter(c)}7" s="1" t="s"><v>{c}</v></c>' for c in range(21))
    xml = f'<sheetData><row r="7">{row}</row><c r="XFC9" s="55"/></sheetData>'.encode()
    assert not exact(xml, 85) and fast(xml, 85) is True  # the far empty cell: exact check decides
    assert not fast(xml.replace(b'<c r="XFC9" s="55"/>', b""), 85)


# the pieces tag soup is made of, `|` between them
SOUP = (
    '<c r="|<c| |r="|A|Z|CG|CH|ZZ|AAA|a|1|999999|1234567|"|>|/>|/|\t|\n|\x0b|s="1"| t="e"|<v>1</v></c>|'
    '</c>|:c |<x:c r="A1">|\xe9|<col |<cols>|r|=|<c r="XFC9" s="55"/>|<row r="5">'
)
PIECES = SOUP.split("|")


def test_tag_soup_the_exact_check_flags_is_never_passed() -> None:
    rng = random.Random(12)
    flagged = 0
    for _ in range(20_000):
        limit = rng.choice(LIMITS)
        data = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 12))).encode("latin-1")
        if exact(data, limit):
            flagged += 1
            assert fast(data, limit), (limit, data)
    assert flagged > 5_000


def test_a_tag_cut_by_the_window_is_flagged() -> None:
    assert fast(b'<c r="A1"><v>1</v></c><c r="B1', 85)
    assert fast(b"<c", 85)
    assert not fast(b'<c r="A1"><v>1</v></c><row r="2">', 85)


def test_windows_are_searched_in_place() -> None:
    data = b'xx<c r="A1" s="1"><v>1</v></c>mergeCell yy<c>'
    assert may_match("mergeCell", data, 0, len(data))
    assert not may_match("mergeCell", data, 0, 20) and not may_match("mergeCell", data, 5, 5)
    assert not may_hold_odd_cell(data, 2, data.index(b"mergeCell"), 85)
    assert may_hold_odd_cell(data, 2, len(data), 85)  # the `<c>` with no reference
    # any byte is one character (Latin-1), UTF-8 or not: a negated class matches it
    assert may_match("caf[^r]$", b"caf\xe9") and may_match("<c [^r]", b"<c \x80\x80")


def test_the_scan_still_finds_formulas_errors_and_merges() -> None:
    xml = (
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
        b'<row r="2"><c r="A2"><f>B2*2</f></c><c r="B2" t="e"><v>#N/A</v></c></row></sheetData>'
        b'<mergeCells count="1"><mergeCell ref="C3:D4"/></mergeCells>'
    )
    scan = scan_sheet([xml])
    assert scan.formulas_without_value == ["A2"]
    assert scan.errors == {"B2": "#N/A"}
    assert scan.merged == ["C3:D4"]
    plain = scan_sheet([b'<sheetData><row r="3"><c r="A3"><v>1</v></c></row></sheetData>'])
    assert (plain.first_row, plain.formulas_without_value, plain.errors, plain.merged) == (3, [], {}, [])
