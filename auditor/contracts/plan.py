"""The corrective-action plan workbook's contract: what the auditor writes and what it reads back.

The plan goes out (auditor/report/ucap.py) with one row per deficiency and blank response
columns; the facility fills those in and the plan comes back (auditor/imports/cap.py). Both sides
name the sheet, the columns and the statuses from here, so they cannot drift apart.
"""

from __future__ import annotations

PLAN_SHEET = "Corrective actions"
ABOUT_SHEET = "About"
ABOUT_FACILITY_ID = "Facility ID"  # the About sheet's rows the import reads to find the inspection
ABOUT_INSPECTION_ID = "Inspection"

REQUIREMENT = "Requirement"
ACTION = "Action taken"
RESPONSIBLE = "Responsible person"
TARGET = "Target date"
COMPLETED_ON = "Completion date"
STATUS = "Status"
EVIDENCE = "Evidence reference"
# The columns the facility fills in, in the plan's order, with their widths.
RESPONSE_COLUMNS = (
    (ACTION, 50),
    (RESPONSIBLE, 24),
    (TARGET, 13),
    (COMPLETED_ON, 15),
    (STATUS, 12),
    (EVIDENCE, 36),
)
# What the facility may say; `verified` is not among them: only a later inspection closes an item.
RESPONSE_STATUSES = ("open", "planned", "completed")
TEXT_LIMIT = 2000  # characters in one response cell
