"""Small made-up ICE rosters ("Detention Statistics" workbooks), laid out like the real ones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook

HEADER = [
    "Name",
    "Address",
    "City",
    "State",
    "Zip",
    "AOR",
    "Type Detailed",
    "Guaranteed Minimum",
    "Last Inspection Type",
    "Last Inspection End Date",
    "Last Inspection Standard",
    "Last Final Rating",
]

# Name, address, city, state, ZIP, AOR, type, minimum, inspection type, end date, standard, rating.
NORTH = ["NORTH JAIL", "1 MAIN ST", "PORTLAND", "ME", 4101, "BOS", "USMS IGA", 40, "ODO",
         dt.datetime(2026, 3, 5), "NDS 2019", "Meets Standard"]  # fmt: skip
SOUTH = ["SOUTH PROCESSING CENTER", "2 BORDER RD", "LAREDO", "TX", "78041", "HLG", "SPC", 500, "ODO",
         dt.datetime(2025, 11, 20), "PBNDS 2011 - 2016 Revised", "Pass"]  # fmt: skip
FAMILY = ["DILLEY FAMILY CENTER", "300 EL RANCHO WAY", "DILLEY", "TX", 78017, "SNA", "FAMILY", "N/A",
          "ODO", dt.datetime(2025, 6, 12), "FRS", "Pass"]  # fmt: skip
FEDERAL = ["FEDERAL PRISON", "80 29TH ST", "BROOKLYN", "NY", 11232, "NYC", "BOP", "N/A", "N/A", "N/A",
           "N/A", "N/A"]  # fmt: skip
# ICE's text as found: markup and a formula must stay text wherever the auditor shows or writes it.
TRICKY = ['=HYPERLINK("http://example.com") <b>JAIL</b>', "9 ELM ST", "FRESNO", "CA", 93721, "SFR",
          "CDF", 100, "ODO", dt.datetime(2025, 1, 9), "NDS 2025", "Fail"]  # fmt: skip

NORTH_ID = "ICE-ME-04101-NORTH-JAIL"
SOUTH_ID = "ICE-TX-78041-SOUTH-PROCESSING-CENTER"
FAMILY_ID = "ICE-TX-78017-DILLEY-FAMILY-CENTER"
FEDERAL_ID = "ICE-NY-11232-FEDERAL-PRISON"
TRICKY_ID = "ICE-CA-93721-HYPERLINK-HTTP-EXAMPLE-COM-B-JAIL-B"


def write_roster(
    path: Path, rows: list[list[Any]], *, year: str = "FY27", data_date: str = "01/02/2027"
) -> Path:
    """A Facilities sheet under the banners ICE puts above it (title, data source with its date)."""
    book = Workbook()
    book.active.title = "Header"
    sheet = book.create_sheet(f"Facilities {year}")
    sheet["A1"] = f"ICE Facilities Data, {year}"
    sheet["A5"] = f"Data Source: ICE Integrated Decision Support (IIDS), {data_date}"
    for column, name in enumerate(HEADER, start=1):  # the header on row 10, as in FY26
        sheet.cell(row=10, column=column, value=name)
    for index, row in enumerate(rows, start=11):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=index, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, even when it starts with "=" (openpyxl would write a formula)
    sheet.cell(
        row=12 + len(rows), column=1, value="[1] A footnote that is not a facility."
    )  # after a blank row
    book.save(path)
    return path


def changed(row: list[Any], **cells: Any) -> list[Any]:
    """A copy of a roster row with some columns (by header, spaces as underscores) replaced."""
    copy = list(row)
    for name, value in cells.items():
        copy[HEADER.index(name.replace("_", " "))] = value
    return copy
