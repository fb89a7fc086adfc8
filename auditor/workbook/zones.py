"""The facility's time zone: the Facility sheet's `time_zone` (an IANA name), or its state's.

A state whose territory lies in more than one zone gives no zone: the facility must name its own
(El Paso keeps Mountain time, the rest of Texas Central). Arizona is read as America/Phoenix
(no daylight time, the state's law); a facility on the Navajo Nation, which keeps daylight time,
writes America/Denver. With neither a zone nor a state, times are read as written (a warning).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from auditor.contracts.facility_time import canonical_zone
from auditor.contracts.problems import problem

EASTERN, CENTRAL, MOUNTAIN, PACIFIC = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
)

STATE_ZONES: dict[str, str] = {
    **dict.fromkeys(
        (
            "CT",
            "DC",
            "DE",
            "GA",
            "MA",
            "MD",
            "ME",
            "NC",
            "NH",
            "NJ",
            "NY",
            "OH",
            "PA",
            "RI",
            "SC",
            "VA",
            "VT",
            "WV",
        ),
        EASTERN,
    ),
    **dict.fromkeys(("AL", "AR", "IA", "IL", "LA", "MN", "MO", "MS", "OK", "WI"), CENTRAL),
    **dict.fromkeys(("CO", "MT", "NM", "UT", "WY"), MOUNTAIN),
    **dict.fromkeys(("CA", "WA"), PACIFIC),
    "AZ": "America/Phoenix",
    "HI": "Pacific/Honolulu",
    "PR": "America/Puerto_Rico",
    "VI": "America/St_Thomas",
    "GU": "Pacific/Guam",
    "MP": "Pacific/Saipan",
    "AS": "Pacific/Pago_Pago",
}

# States that span zones: the facility's `time_zone` is required (the zones are named in the error).
SPLIT_STATES: dict[str, tuple[str, ...]] = {
    "AK": ("America/Anchorage", "America/Adak"),
    "FL": (EASTERN, CENTRAL),
    "ID": ("America/Boise", PACIFIC),
    "IN": ("America/Indiana/Indianapolis", CENTRAL),
    "KS": (CENTRAL, MOUNTAIN),
    "KY": ("America/Kentucky/Louisville", CENTRAL),
    "MI": ("America/Detroit", "America/Menominee"),
    "ND": (CENTRAL, MOUNTAIN),
    "NE": (CENTRAL, MOUNTAIN),
    "NV": (PACIFIC, MOUNTAIN),
    "OR": (PACIFIC, "America/Boise"),
    "SD": (CENTRAL, MOUNTAIN),
    "TN": (CENTRAL, EASTERN),
    "TX": (CENTRAL, MOUNTAIN),
}

EXPECTED = "an IANA time zone name, e.g. America/Chicago"


def facility_zone(
    facility: dict[str, Any], rows: dict[str, int], has_times: bool = True
) -> tuple[str | None, list[pd.DataFrame]]:
    """The zone the facility's times are read in, and the problems that stop (or qualify) it.

    Without a zone or a state, a warning only when there are times to read (`has_times`)."""
    given, state = _text(facility.get("time_zone")), _text(facility.get("state"))
    if given:
        zone = canonical_zone(given)
        if zone is None:
            return None, [
                _problem("unknown_time_zone", f"{given!r} is not an IANA time zone name", rows, given)
            ]
        return zone, []
    code = state.upper()
    if code in STATE_ZONES:
        return STATE_ZONES[code], []
    if code in SPLIT_STATES:
        zones = " or ".join(SPLIT_STATES[code])
        message = f"{code} spans more than one time zone ({zones}, …): write the facility's time_zone"
        return None, [_problem("time_zone_required", message, rows, "")]
    if state:
        message = f"no time zone is known for the state {state!r}: write the facility's time_zone"
        return None, [_problem("time_zone_required", message, rows, "")]
    if not has_times:
        return None, []
    message = (
        "neither time_zone nor state is given: times are read as written, so a clock change "
        "(daylight saving) inside the review period may read an hour off"
    )
    return None, [_problem("time_zone_unknown", message, rows, "", severity="warning")]


def _text(value: Any) -> str:
    return "" if value is None or value is pd.NA else str(value).strip()


def _problem(
    code: str, message: str, rows: dict[str, int], value: str, severity: str = "error"
) -> pd.DataFrame:
    """Named at the time_zone cell; at the state's when the sheet has no time_zone row."""
    if "time_zone" in rows:
        column, row = "time_zone", rows["time_zone"]
    else:
        column, row = "state", rows.get("state")
        message += "; add a row time_zone (column A) with the zone in column B"
    return problem(
        code,
        message,
        sheet="Facility",
        column=column,
        cell=f"B{row}" if row is not None else None,
        row=row,
        value=value,
        expected=EXPECTED,
        severity=severity,
    )
