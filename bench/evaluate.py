"""Evaluate benchmark: how fast a facility-year is checked against every requirement.

A synthetic facility-year is built in memory, typed exactly as the workbook parser types it
(no file is read): 200,000 admissions, 2,000,000 observation checks over realistic hold-room,
segregation and suicide-watch placements, 100,000 food-temperature readings, and small
Housing, Activities, SafetyLog, Staff, Grievances, UseOfForce and Checklist sheets.

1. Total: `evaluate(inspection, PBNDS-2011)` — every requirement, evidence, summary, rating.
2. Five representative rules — a deadline (MC-INTAKE-SCREEN), max_gap (HR-CHECKS), value_limit
   (FS-COLD-HOLD), weekly_minimum (REC-DAILY) and a working-day deadline (MC-ACUTE-EVAL) — timed
   in turn, in the same process, as
     engine        the rule kind's evaluate(): population, violations, the violating rows and
                   the reason of each (the evidence text every deficient result must carry);
     pandas        a hand-written pandas version of the same decision: population, violations,
                   violating rows (asserted equal to the engine's) and the undecided count;
     pandas+why    the hand-written version also wording each violation, the plain pandas way;
     engine+cells  evaluate_requirement(): the rule plus the Result with every violating row's
                   masked cells (what reports and results JSON read).
   Goal: engine ≤ 1.5× the hand-written version doing the same work (pandas+why).

Run: `make bench` or `.venv/bin/python bench/evaluate.py [--reps N] [--admissions N] [--checks N]`.
Figures are medians of --reps runs (at least 3). Nothing here is asserted on time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import statistics
import sys
import time
from collections.abc import Callable
from functools import cache, partial
from pathlib import Path
from typing import Any

import holidays
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from readme import Timing, load_average, machine, markdown_table, ratio, turns, write_section  # noqa: E402

from auditor.contracts.inspection import Inspection  # noqa: E402
from auditor.engine.context import Context  # noqa: E402
from auditor.engine.evaluate import evaluate, evaluate_requirement  # noqa: E402
from auditor.engine.kinds import KINDS  # noqa: E402
from auditor.standards.load import load_edition  # noqa: E402

YEAR_START = np.datetime64("2025-01-01T00:00", "m")
YEAR_MINUTES = 365 * 24 * 60
MINUTE = np.timedelta64(1, "m")
NAT = np.datetime64("NaT", "m")
UNITS = [f"{block}-{n}" for block in "ABCDE" for n in (1, 2, 3, 4)]  # 20 housing units
FACILITY: dict[str, Any] = {
    "facility_id": "BENCH-SPC-001",
    "facility_name": "Benchmark Service Processing Center (fictional)",
    "facility_type": "SPC",
    "aor": "ATL",
    "state": "GA",
    "detention_standard": "PBNDS-2011",
    "rated_capacity": 3000,
    "inspection_id": "BENCH-2026-EVAL",
    "inspection_type": "full",
    "inspection_start": pd.Timestamp("2026-01-12").date(),
    "inspection_end": pd.Timestamp("2026-01-16").date(),
    "review_period_start": pd.Timestamp("2025-01-01").date(),
    "review_period_end": pd.Timestamp("2025-12-31").date(),
    "lead_inspector": "Benchmark Inspector",
    "previous_inspection_id": None,
}
REVIEW_START = pd.Timestamp("2025-01-01")
REVIEW_END = pd.Timestamp("2026-01-01") - pd.Timedelta(microseconds=1)


# ---------------------------------------------------------------------------- typed columns
# The dtypes of auditor.workbook.parse: datetime64[us], string, boolean, Int64, Float64.


def stamps(values: np.ndarray) -> pd.Series:
    return pd.Series(values.astype("datetime64[us]"))


def text(values: np.ndarray | list[str]) -> pd.Series:
    return pd.Series(values, dtype=object).astype("string")


def flags(values: np.ndarray, known: np.ndarray | None = None) -> pd.Series:
    out = pd.Series(pd.array(values.astype(bool), dtype="boolean"))
    if known is not None:
        out[~known] = pd.NA
    return out


def ints(values: np.ndarray, known: np.ndarray | None = None) -> pd.Series:
    out = pd.Series(pd.array(values.astype("int64"), dtype="Int64"))
    if known is not None:
        out[~known] = pd.NA
    return out


def ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    return np.char.add(prefix, np.char.zfill(numbers.astype(str), width))


def excel_rows(frame: pd.DataFrame) -> pd.DataFrame:
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    return frame


# ---------------------------------------------------------------------------- the facility-year


def intake(n: int, rng: np.random.Generator) -> pd.DataFrame:
    arrival = YEAR_START + rng.integers(0, YEAR_MINUTES, n) * MINUTE

    def after(low_h: float, high_h: float, share: float = 1.0, base: np.ndarray = arrival) -> np.ndarray:
        values = base + (rng.uniform(low_h, high_h, n) * 60).astype("int64") * MINUTE
        return np.where(rng.random(n) < share, values, NAT)

    def mostly(on_time_h: float, late_h: float, late: float, missing: float) -> np.ndarray:
        """Within on_time_h, except a share `late` up to late_h and a share `missing` never done."""
        draw = rng.random(n)
        on_time = arrival + (rng.uniform(0.1, on_time_h, n) * 60).astype("int64") * MINUTE
        overdue = arrival + (rng.uniform(on_time_h, late_h, n) * 60).astype("int64") * MINUTE
        return np.where(draw < missing, NAT, np.where(draw < missing + late, overdue, on_time))

    sex = rng.choice(np.array(["M", "F", "X"]), n, p=[0.85, 0.14, 0.01])
    birth = np.datetime64("1956-01-01") + rng.integers(0, 365 * 50, n).astype("timedelta64[D]")
    odd = rng.random(n)  # a few juveniles and people over 70
    birth = np.where(odd < 0.002, np.datetime64("2009-06-01"), birth)
    birth = np.where(odd > 0.998, np.datetime64("1950-06-01"), birth)
    stay_days = rng.exponential(45, n)
    release = arrival + (stay_days * 1440).astype("int64") * MINUTE
    release = np.where(release > np.datetime64("2025-12-31T23:59"), NAT, release)
    classified = after(0.5, 10)
    acute = rng.random(n) < 0.08
    referral = np.where(rng.random(n) < 0.05, after(12, 24 * 30), NAT)
    frame = pd.DataFrame(
        {
            "detainee_id": text(ids("A", rng.permutation(n) + 100_000_000, 9)),
            "arrival": stamps(arrival),
            "sex": text(sex),
            "date_of_birth": stamps(birth.astype("datetime64[m]")),
            "housing_unit": text(rng.choice(np.array(UNITS), n)),
            "classification_level": text(rng.choice(np.array(["1", "2", "3"]), n)),
            "classified": stamps(classified),
            "reclassified": stamps(after(60 * 24, 91 * 24, 0.9, classified)),
            "general_population": stamps(after(6, 30)),
            "medical_screening": stamps(mostly(12, 20, 0.03, 0.01)),
            "mental_health_screening": stamps(mostly(12, 20, 0.02, 0.01)),
            "tb_screening": stamps(mostly(4, 96, 0.03, 0.01)),  # before general population (6–30 h)
            "health_assessment": stamps(mostly(14 * 24, 20 * 24, 0.04, 0.02)),
            "dental_screening": stamps(mostly(14 * 24, 20 * 24, 0.06, 0.03)),
            "pregnancy_test": stamps(np.where(sex == "F", mostly(12, 30, 0.05, 0.03), NAT)),
            "acute_condition": flags(acute),
            "acute_evaluation": stamps(np.where(acute, mostly(40, 120, 0.06, 0.02), NAT)),
            "mental_health_referral": stamps(referral),
            "mental_health_evaluation": stamps(
                np.where(
                    np.isnat(referral), NAT, referral + (rng.uniform(1, 30, n) * 60).astype("int64") * MINUTE
                )
            ),
            "handbook_issued": stamps(mostly(24, 48, 0.02, 0.01)),
            "release": stamps(release),
        }
    )
    return excel_rows(frame)


PLACEMENT_KINDS = {  # kind: (share of placements, mean hours, check interval in minutes)
    "hold-room": (0.80, 5.0, 11.0),
    "administrative-segregation": (0.06, 60.0, 26.0),
    "disciplinary-segregation": (0.04, 80.0, 26.0),
    "suicide-watch-close": (0.06, 30.0, 11.0),
    "suicide-watch-constant": (0.04, 24.0, 11.0),
}


def placements_and_checks(
    admissions: pd.DataFrame, checks: int, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Placements with a jittered round every few minutes (1 in 400 skipped), until `checks` rounds."""
    n = 100_000
    kinds = list(PLACEMENT_KINDS)
    code = rng.choice(len(kinds), n, p=[v[0] for v in PLACEMENT_KINDS.values()])
    mean_h = np.array([v[1] for v in PLACEMENT_KINDS.values()])[code]
    interval = np.array([v[2] for v in PLACEMENT_KINDS.values()]).astype("int64")[code]
    minutes = np.maximum(20, rng.exponential(mean_h * 60)).astype("int64")
    per = minutes // interval
    enough = int(np.searchsorted(np.cumsum(per), int(checks * 1.01))) + 1  # placements drawn
    if enough > n:
        raise SystemExit(f"{checks:,} checks need more than {n:,} placements")
    owner = np.repeat(np.arange(enough), per[:enough])
    step = np.arange(len(owner)) - np.repeat(np.cumsum(per[:enough]) - per[:enough], per[:enough]) + 1
    order = np.flatnonzero(rng.random(len(owner)) >= 1 / 400)[:checks]
    owner, step = owner[order], step[order]
    keep = int(owner[-1]) + 1  # the last placement may be cut short: a gap at its end
    kind = np.array(kinds)[code[:keep]]
    interval, minutes = interval[:keep], minutes[:keep]
    who = rng.integers(0, len(admissions), keep)
    arrival = admissions["arrival"].to_numpy().astype("datetime64[m]")[who]
    start = arrival + (rng.uniform(0, 48, keep) * 60).astype("int64") * MINUTE
    start = np.minimum(start, np.datetime64("2025-12-31T23:00"))  # placements of the review period
    end = start + minutes * MINUTE
    end = np.where(end > np.datetime64("2025-12-31T23:59"), NAT, end)  # still open at the period end
    at = start[owner] + (step * interval[owner] + rng.integers(-2, 3, len(owner))) * MINUTE
    at = np.minimum(at, start[owner] + minutes[owner] * MINUTE)
    vulnerable = rng.random((4, keep)) < 0.05
    segregation = np.isin(kind, ["administrative-segregation", "disciplinary-segregation"])
    notified = start + (rng.uniform(1, 100, keep) * 60).astype("int64") * MINUTE
    placement_ids = ids("P", np.arange(keep), 7)
    frame = pd.DataFrame(
        {
            "placement_id": text(placement_ids),
            "detainee_id": admissions["detainee_id"].iloc[who].reset_index(drop=True),
            "kind": text(kind),
            "start": stamps(start),
            "end": stamps(end),
            "unit_id": text(rng.choice(np.array(UNITS), keep)),
            "date_of_birth": stamps(np.full(keep, NAT)),  # taken from Intake
            "sex": text(rng.choice(np.array(["M", "F"]), keep)),
            "with_children": flags(rng.random(keep) < 0.002),
            "mental_illness": flags(vulnerable[0]),
            "serious_medical_illness": flags(vulnerable[1]),
            "serious_disability": flags(vulnerable[2]),
            "suicide_risk": flags(vulnerable[3]),
            "field_office_notified": stamps(np.where(segregation & (rng.random(keep) < 0.9), notified, NAT)),
            "sanction_days": ints(rng.integers(1, 40, keep), kind == "disciplinary-segregation"),
        }
    )
    checks_frame = pd.DataFrame({"placement_id": text(placement_ids[owner]), "checked": stamps(at)})
    return excel_rows(frame), excel_rows(checks_frame)


def food_temps(n: int, rng: np.random.Generator) -> pd.DataFrame:
    coolers = [f"Cooler {i}" for i in range(1, 7)] + [f"Freezer {i}" for i in range(1, 5)]
    daily = [(name, day) for name in coolers for day in range(365) if rng.random() > 0.01]  # ~1 % missed
    rest = n - len(daily)
    kind_rest = rng.choice(
        np.array(["hot-holding", "cold-holding", "tray-delivery-hot"]), rest, p=[0.4, 0.4, 0.2]
    )
    mean = {"hot-holding": 150.0, "cold-holding": 37.0, "tray-delivery-hot": 140.0}
    temp_rest = np.array([mean[k] for k in kind_rest]) + rng.normal(0, 2.2, rest)
    day_codes = np.array([d for _, d in daily])
    recorded = np.concatenate(
        [
            YEAR_START + day_codes * 1440 * MINUTE + 6 * 60 * MINUTE,
            YEAR_START + rng.integers(0, YEAR_MINUTES, rest) * MINUTE,
        ]
    )
    location = np.concatenate(
        [np.array([c for c, _ in daily]), rng.choice(np.array(["Kitchen", "Line 1", "Line 2"]), rest)]
    )
    kind = np.concatenate(
        [
            np.where(
                np.char.startswith(np.array([c for c, _ in daily]), "Cooler"), "refrigerator", "freezer"
            ),
            kind_rest,
        ]
    )
    temp = np.concatenate(
        [np.where(kind[: len(daily)] == "refrigerator", 36.0, -4.0) + rng.normal(0, 2, len(daily)), temp_rest]
    )
    frame = pd.DataFrame(
        {
            "recorded": stamps(recorded),
            "location": text(location),
            "item": text(np.full(n, "probe")),
            "kind": text(kind),
            "temp_f": pd.Series(pd.array(np.round(temp, 1), dtype="Float64")),
        }
    ).sort_values("recorded", kind="stable", ignore_index=True)
    return excel_rows(frame)


def small_sheets(rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    days = pd.date_range("2025-01-01", "2025-12-31", freq="D")
    unit_day = pd.MultiIndex.from_product([UNITS, days])
    n = len(unit_day)
    weekday = unit_day.get_level_values(1).day_of_week.to_numpy() < 5
    activities = pd.DataFrame(
        {
            "unit_id": text(unit_day.get_level_values(0).to_numpy()),
            "date": stamps(unit_day.get_level_values(1).to_numpy()),
            "recreation_minutes": ints(
                np.where(weekday & (rng.random(n) > 0.03), 60, rng.integers(0, 60, n))
            ),
            "outdoor": flags(rng.random(n) < 0.7),
            "law_library_minutes": ints(np.where(weekday, rng.integers(50, 90, n), 0)),
        }
    )
    housing = pd.DataFrame(
        {
            "unit_id": text(UNITS),
            "unit_type": text(["general"] * len(UNITS)),
            "sex": text(rng.choice(np.array(["M", "F"]), len(UNITS), p=[0.8, 0.2])),
            "rated_capacity": ints(np.full(len(UNITS), 120)),
            "population": ints(rng.integers(60, 126, len(UNITS))),
            "classification_levels": text(rng.choice(np.array(["1,2", "2,3", "1", "3", "1,3"]), len(UNITS))),
            **{
                name: ints(rng.integers(low, high, len(UNITS)))
                for name, low, high in (
                    ("toilets", 8, 14),
                    ("urinals", 0, 4),
                    ("showers", 8, 12),
                    ("washbasins", 8, 12),
                    ("phones", 4, 6),
                )
            },
        }
    )
    events = []
    for event, every in (("pest-control", 28), ("first-aid-kit-check", 30), ("generator-test", 7)):
        events += [(day, None, event) for day in pd.date_range("2025-01-03", "2025-12-31", freq=f"{every}D")]
    for unit in UNITS:
        events += [(day, unit, "fire-drill") for day in pd.date_range("2025-01-10", "2025-12-31", freq="30D")]
    safety = pd.DataFrame(events, columns=["date", "area", "event"])
    safety = pd.DataFrame(
        {
            "date": stamps(safety["date"].to_numpy()),
            "area": text(safety["area"].to_numpy()),
            "event": text(safety["event"].to_numpy()),
        }
    )
    staff_n = 600
    trained = np.datetime64("2025-01-01") + rng.integers(-60, 360, (3, staff_n)).astype("timedelta64[D]")
    staff = pd.DataFrame(
        {
            "staff_id": text(ids("S", np.arange(staff_n) + 10_000, 6)),
            "role": text(
                rng.choice(
                    np.array(["custody", "medical", "mental-health", "food-service"]),
                    staff_n,
                    p=[0.7, 0.15, 0.05, 0.1],
                )
            ),
            "supervises_detainees": flags(rng.random(staff_n) < 0.85),
            "suicide_prevention_training": stamps(trained[0]),
            "hunger_strike_training": stamps(trained[1]),
            "saapi_training": stamps(trained[2]),
            "cpr_expires": stamps(
                np.datetime64("2026-06-01") + rng.integers(-200, 600, staff_n).astype("timedelta64[D]")
            ),
            "license_expires": stamps(
                np.datetime64("2026-06-01") + rng.integers(-100, 900, staff_n).astype("timedelta64[D]")
            ),
        }
    )
    g = 6000
    received = YEAR_START + rng.integers(0, YEAR_MINUTES, g) * MINUTE
    grievance_kind = rng.choice(np.array(["informal", "formal", "emergency", "medical"]), g)
    emergency = grievance_kind == "emergency"
    grievances = pd.DataFrame(
        {
            "grievance_id": text(ids("G", np.arange(g), 6)),
            "kind": text(grievance_kind),
            "received": stamps(received),
            "answered": stamps(
                received + (rng.exponential(np.where(emergency, 8, 40)) * 60).astype("int64") * MINUTE
            ),
        }
    )
    u = 1200
    occurred = YEAR_START + rng.integers(0, YEAR_MINUTES, u) * MINUTE
    calculated = rng.random(u) < 0.3
    force = pd.DataFrame(
        {
            "incident_id": text(ids("U", np.arange(u), 5)),
            "occurred": stamps(occurred),
            "kind": text(np.where(calculated, "calculated", "immediate")),
            "chemical_agent": flags(rng.random(u) < 0.4),
            "medical_consulted": stamps(occurred - (rng.uniform(-0.2, 2, u) * 60).astype("int64") * MINUTE),
            "medical_exam": stamps(occurred + (rng.uniform(0.2, 26, u) * 60).astype("int64") * MINUTE),
            "video_recorded": flags(rng.random(u) < 0.95),
            "after_action_review": stamps(
                (occurred + (rng.integers(0, 3, u) * 1440) * MINUTE).astype("datetime64[D]")
            ),
        }
    )
    observations = sorted(load_edition("PBNDS-2011").observation_ids())
    findings = rng.choice(
        np.array(["compliant", "deficient", "not-observed"]), len(observations), p=[0.8, 0.15, 0.05]
    )
    checklist = pd.DataFrame(
        {
            "requirement_id": text(observations),
            "finding": text(findings),
            "remarks": text(np.where(findings == "deficient", "Seen on the walk-through.", None)),
        }
    )
    sheets = {
        "Activities": activities,
        "Housing": housing,
        "SafetyLog": safety,
        "Staff": staff,
        "Grievances": grievances,
        "UseOfForce": force,
        "Checklist": checklist,
    }
    return {name: excel_rows(frame) for name, frame in sheets.items()}


def facility_year(admissions: int, checks: int, readings: int, seed: int = 2026) -> Inspection:
    rng = np.random.default_rng(seed)
    intake_frame = intake(admissions, rng)
    placements, checks_frame = placements_and_checks(intake_frame, checks, rng)
    sheets = {
        "Intake": intake_frame,
        "Placements": placements,
        "Checks": checks_frame,
        "FoodTemps": food_temps(readings, rng),
        **small_sheets(rng),
    }
    letters = {
        name: {c: chr(65 + i) if i < 26 else "A" + chr(65 + i - 26) for i, c in enumerate(f.columns)}
        for name, f in sheets.items()
    }
    return Inspection(
        source=ROOT / "bench" / "in-memory.xlsx",
        format="xlsx",
        facility=FACILITY,
        facility_rows={name: row for row, name in enumerate(FACILITY, start=2)},
        sheets=sheets,
        letters=letters,
        inputs=[("in-memory.xlsx", "0" * 64)],
    )


# ---------------------------------------------------------------------------- hand-written rules
# Each returns (population, violations, indeterminate, violating Excel rows, reasons): with
# reasons=True it also words each violation and undecided record the plain pandas way, as the
# engine's evidence does. They follow docs/verdicts.md for what this data holds: no date-only value
# and no blank that decides membership, so the deadlines and REC-DAILY have nothing undecided here.

Found = tuple[int, int, int, np.ndarray, pd.Series | None]


def hand_deadline_hours(
    frame: pd.DataFrame, start: str, end: str, hours: float, reasons: bool = False
) -> Found:
    due = frame[start] + pd.Timedelta(hours=hours)
    missing = frame[end].isna()
    # out: due before the period, released before it without the action, pending after the period
    left = (frame["release"] < due) & (missing | (frame[end] > frame["release"]))
    pending = (due > REVIEW_END) & (missing | (frame[end] > REVIEW_END))
    keep = frame[start].notna() & (due >= REVIEW_START) & ~left & ~pending
    bad = keep & (missing | (frame[end] > due))
    words = None
    if reasons:
        late, unseen = bad & ~missing, bad & missing
        took = ((frame[end] - frame[start])[late].dt.total_seconds() / 3600).round(2).astype(str)
        words = pd.concat(
            [
                f"{end} " + took + f" h after {start} (limit {hours:g} h)",
                f"no {end} recorded; due by " + due[unseen].dt.strftime("%Y-%m-%d %H:%M"),
            ]
        ).sort_index()
    return int(keep.sum()), int(bad.sum()), 0, frame.index[bad.to_numpy()].to_numpy(), words


@cache
def federal_holidays() -> np.ndarray:
    """US federal holidays, built once and kept, as the engine's calendar is."""
    return np.array(sorted(holidays.country_holidays("US", years=range(2024, 2028))), dtype="datetime64[D]")


def hand_working_day_deadline(frame: pd.DataFrame, reasons: bool = False) -> Found:
    """MC-ACUTE-EVAL: acute_evaluation by the end of the 2nd working day after arrival."""
    acute = frame["acute_condition"].fillna(False).to_numpy(dtype=bool) & frame["arrival"].notna().to_numpy()
    arrival = frame["arrival"].to_numpy()[acute]
    day = np.busday_offset(arrival.astype("datetime64[D]"), 2, roll="backward", holidays=federal_holidays())
    due = (day + np.timedelta64(1, "D")).astype("datetime64[us]") - np.timedelta64(1, "us")
    evaluated = frame["acute_evaluation"].to_numpy()[acute]
    missing = np.isnat(evaluated)
    release = frame["release"].to_numpy()[acute]
    left = (release < due) & (missing | (evaluated > release))
    pending = (due > REVIEW_END.to_datetime64()) & (missing | (evaluated > REVIEW_END.to_datetime64()))
    keep = (due >= REVIEW_START.to_datetime64()) & ~left & ~pending
    bad = keep & (missing | (evaluated > due))
    rows = frame.index.to_numpy()[acute][bad]
    words = None
    if reasons:
        took = pd.Series((evaluated[bad] - arrival[bad]) / np.timedelta64(1, "D"), index=rows).round(2)
        words = ("acute_evaluation " + took.astype(str) + " days after arrival (limit 2 working days)").where(
            ~missing[bad],
            "no acute_evaluation recorded; due by " + pd.Series(due[bad], index=rows).dt.strftime("%Y-%m-%d"),
        )
    return int(keep.sum()), int(bad.sum()), 0, rows, words


def hand_max_gap(
    placements: pd.DataFrame,
    checks: pd.DataFrame,
    intake: pd.DataFrame,
    kind: str,
    minutes: int,
    reasons: bool = False,
) -> Found:
    """HR-CHECKS: checks at most `minutes` apart over the part of each placement inside the review
    period and its detainee's stay (the release of the Intake stay with the latest arrival at or
    before the start). A placement starting after that release contradicts Intake: it is measured
    on its own dates and a long gap there is undecided, not cited (docs/verdicts.md, max_gap)."""
    chosen = placements[(placements["kind"] == kind).fillna(False) & placements["start"].notna()]
    spans = pd.DataFrame(
        {
            "placement_id": chosen["placement_id"],
            "detainee_id": chosen["detainee_id"],
            "start": chosen["start"],
            "end": chosen["end"],
            "row": chosen.index,
        }
    ).sort_values("start")
    stays = intake[["detainee_id", "arrival", "release"]].dropna(subset=["detainee_id", "arrival"])
    spans = pd.merge_asof(
        spans, stays.sort_values("arrival"), left_on="start", right_on="arrival", by="detainee_id"
    )
    astray = (spans["release"] < spans["start"]).fillna(False)
    release = spans["release"].where(~astray).fillna(REVIEW_END)
    spans["end"] = spans["end"].fillna(REVIEW_END).clip(upper=release).clip(upper=REVIEW_END)
    spans["start"] = spans["start"].clip(lower=REVIEW_START)
    scope = (spans["start"] <= REVIEW_END) & (spans["end"] >= REVIEW_START)  # overlaps the period
    spans, astray = spans[scope], astray[scope]
    inside = checks.merge(spans[["placement_id", "start", "end"]], on="placement_id")
    inside = inside[(inside["checked"] >= inside["start"]) & (inside["checked"] <= inside["end"])]
    times = pd.concat(
        [
            spans[["placement_id", "start"]].set_axis(["placement_id", "at"], axis=1),
            inside[["placement_id", "checked"]].set_axis(["placement_id", "at"], axis=1),
            spans[["placement_id", "end"]].set_axis(["placement_id", "at"], axis=1),
        ],
        ignore_index=True,
    ).sort_values(["placement_id", "at"])
    longest = times.groupby("placement_id")["at"].diff().groupby(times["placement_id"]).max()
    over = spans["placement_id"].map(longest) > pd.Timedelta(minutes=minutes)
    bad, undecided = spans[over & ~astray].sort_values("row"), spans[over & astray].sort_values("row")
    words = None
    if reasons:
        shown = pd.concat([bad, undecided])
        gap = (shown["placement_id"].map(longest).dt.total_seconds() / 60).round().astype(int).astype(str)
        why = np.where(shown["row"].isin(undecided["row"]), "; starts after its detainee's release", "")
        words = pd.Series(
            ("longest gap " + gap + f" min (limit {minutes} minutes)" + why).to_numpy(), index=shown["row"]
        )
    return len(spans), len(bad), len(undecided), bad["row"].to_numpy(), words


def hand_value_max(frame: pd.DataFrame, kind: str, maximum: float, reasons: bool = False) -> Found:
    """FS-COLD-HOLD: readings of the review period over `maximum`; a blank reading is undecided."""
    keep = (frame["kind"] == kind).fillna(False) & frame["recorded"].between(REVIEW_START, REVIEW_END)
    bad = keep & (frame["temp_f"] > maximum).fillna(False)
    blank = keep & frame["temp_f"].isna()
    words = None
    if reasons:
        said = frame["temp_f"][bad].astype(str) + f" °F (maximum {maximum:g} °F)"
        words = pd.concat([said, pd.Series("temp_f is blank", index=frame.index[blank])]).sort_index()
    return int(keep.sum()), int(bad.sum()), int(blank.sum()), frame.index[bad.to_numpy()].to_numpy(), words


def hand_weekly_days(
    frame: pd.DataFrame, housing: pd.DataFrame, minimum: int, days: int, reasons: bool = False
) -> Found:
    """REC-DAILY: per unit and whole ISO week, days with at least `minimum` minutes. A blank minutes
    cell might qualify; a unit people live in (Housing) that the sheet never names is undecided."""
    first, last = pd.Timestamp("2025-01-01"), pd.Timestamp("2025-12-31")
    monday = first + pd.Timedelta(days=(7 - first.weekday()) % 7)
    weeks = pd.date_range(monday, last - pd.Timedelta(days=6), freq="7D")
    week = frame["date"] - pd.to_timedelta(frame["date"].dt.day_of_week, unit="D")
    good = (frame["recreation_minutes"] >= minimum).fillna(False)
    maybe = good | frame["recreation_minutes"].isna()
    lived_in = housing["unit_type"].isin(["general", "special-management", "medical"]).fillna(True)
    logged = set(frame["unit_id"].dropna())
    units = sorted(logged | set(housing["unit_id"][lived_in].dropna()))
    grid = pd.MultiIndex.from_product([units, weeks])
    counted = good.groupby([frame["unit_id"], week]).sum().reindex(grid, fill_value=0)
    could = maybe.groupby([frame["unit_id"], week]).sum().reindex(grid, fill_value=0)
    unnamed = ~grid.get_level_values(0).isin(list(logged))
    bad = counted[(could < days) & ~unnamed]
    undecided = int(((counted < days) & ((could >= days) | unnamed)).sum())
    first_rows = frame.index.to_series().groupby([frame["unit_id"], week]).min()
    rows = first_rows.reindex(bad.index).dropna().astype(int)
    words = None
    if reasons:
        label = (
            bad.index.get_level_values(0) + ", week of " + bad.index.get_level_values(1).strftime("%Y-%m-%d")
        )
        words = pd.Series(
            label + ": " + bad.astype(str).to_numpy() + f" day(s) with {minimum} min", index=rows
        )
    return len(grid), len(bad), undecided, np.sort(rows.to_numpy()), words


# ---------------------------------------------------------------------------- timing


def median_time(fn: Callable[[], object], reps: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(reps):
        gc.collect()
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def interleaved(fns: dict[str, Callable[[], object]], reps: int) -> dict[str, tuple[float, object]]:
    """Median time and last result of each function, run in turn (so a busy machine slows all alike)."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    results: dict[str, object] = {}
    for _ in range(reps):
        for name, fn in fns.items():
            gc.collect()
            started = time.perf_counter()
            results[name] = fn()
            times[name].append(time.perf_counter() - started)
    return {name: (statistics.median(times[name]), results[name]) for name in fns}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--reps", type=int, default=5, help="counted rounds per figure (median, min; at least 5)"
    )
    parser.add_argument("--admissions", type=int, default=200_000)
    parser.add_argument("--checks", type=int, default=2_000_000)
    parser.add_argument("--readings", type=int, default=100_000)
    parser.add_argument("--readme", action="store_true", help="write the figures to bench/README.md")
    args = parser.parse_args()
    reps = max(5, args.reps)
    before = load_average()
    print(f"machine: {machine()}, pandas {pd.__version__}, numpy {np.__version__}")

    from shuffled import reordered  # bench/shuffled.py imports this module: imported when needed

    started = time.perf_counter()
    generated = facility_year(args.admissions, args.checks, args.readings)
    orders = {"sorted": generated, "shuffled": reordered(generated, "shuffled")[0]}
    sizes = ", ".join(f"{name} {len(frame):,}" for name, frame in generated.sheets.items())
    print(f"facility-year built in memory in {time.perf_counter() - started:.1f} s: {sizes}")
    edition = load_edition("PBNDS-2011")

    totals = turns({order: partial(evaluate, data, edition) for order, data in orders.items()}, reps)
    for order, timing in totals.items():
        summary = timing.result.summary  # type: ignore[attr-defined]
        assert summary.error == 0, order
        print(
            f"evaluate(), {order}: {timing.median:.2f} s (min {timing.min:.2f}; "
            f"CPU {timing.cpu_median:.2f}); "
            f"{summary.compliant} compliant, "
            f"{summary.deficient} deficient, {summary.indeterminate} indeterminate, "
            f"{summary.not_assessed} not assessed"
        )
    rows: list[tuple[str, ...]] = [
        (
            "rule",
            "requirement",
            "data",
            "population",
            "violations",
            "undecided",
            "engine ms (min)",
            "bare pandas ms",
            "engine / bare",
            "pandas + reasons ms",
            "engine / pandas + reasons",
            "engine + cells ms",
        )
    ]
    for order, inspection in orders.items():
        for label, rid, hand in cases(inspection):
            rows.append(rule_row(order, label, rid, hand, inspection, edition, reps))
            print(" | ".join(rows[-1]), flush=True)
    after = load_average()
    print("\n".join(markdown_table(rows)))
    if args.readme:
        write_section(readme_section(rows, totals, reps, (before, after), generated))


def cases(inspection: Inspection) -> list[tuple[str, str, Callable[..., Found]]]:
    sheets = inspection.sheets
    return [
        (
            "deadline",
            "MC-INTAKE-SCREEN",
            partial(hand_deadline_hours, sheets["Intake"], "arrival", "medical_screening", 12),
        ),
        (
            "max_gap",
            "HR-CHECKS",
            partial(hand_max_gap, sheets["Placements"], sheets["Checks"], sheets["Intake"], "hold-room", 15),
        ),
        ("value_limit", "FS-COLD-HOLD", partial(hand_value_max, sheets["FoodTemps"], "cold-holding", 41)),
        (
            "weekly_minimum",
            "REC-DAILY",
            partial(hand_weekly_days, sheets["Activities"], sheets["Housing"], 60, 5),
        ),
        ("working-day deadline", "MC-ACUTE-EVAL", partial(hand_working_day_deadline, sheets["Intake"])),
    ]


def rule_row(
    order: str,
    label: str,
    rid: str,
    hand: Callable[..., Found],
    inspection: Inspection,
    edition: Any,
    reps: int,
) -> tuple[str, ...]:
    """One rule four ways, in turn: the engine's rule (population, violations, the violating rows and
    the reason of each), the bare hand-written decision, the hand-written one with reasons, and
    evaluate_requirement (the rule plus the Result with every row's masked cells). The counts and
    rows are asserted equal before any figure is kept."""
    requirement = edition.requirements[rid]
    kind = KINDS[requirement.kind]
    timed = turns(
        {
            "engine": lambda: kind.evaluate(requirement.check, Context(inspection)),
            "bare": hand,
            "why": partial(hand, reasons=True),
            "full": lambda: evaluate_requirement(requirement, Context(inspection), edition),
        },
        reps,
    )
    outcome, found, said, result = (timed[k].result for k in ("engine", "bare", "why", "full"))
    population, violations, undecided, rows, _ = found  # type: ignore[misc]
    expected_rows = sorted(int(r) for r in rows)
    counts = (population, violations, undecided)
    assert (outcome.population, outcome.violations, outcome.indeterminate) == counts, rid  # type: ignore[attr-defined]
    assert (result.population, result.violations, result.indeterminate) == counts, rid  # type: ignore[attr-defined]
    proven = outcome.evidence[outcome.evidence["verdict"] == "violation"]  # type: ignore[attr-defined]
    assert sorted(proven["row"].astype(int)) == expected_rows, rid
    assert sorted(e.row for e in result.evidence if e.verdict == "violation") == expected_rows, rid  # type: ignore[attr-defined]
    assert len(said[4]) == violations + undecided, rid  # type: ignore[index]
    engine, bare, why, full = (timed[k] for k in ("engine", "bare", "why", "full"))
    return (
        label,
        rid,
        order,
        f"{population:,}",
        f"{violations:,}",
        f"{undecided:,}",
        f"{engine.median * 1000:.1f} ({engine.min * 1000:.1f})",
        f"{bare.median * 1000:.1f}",
        f"**{ratio(engine, bare)}**",
        f"{why.median * 1000:.1f}",
        f"**{ratio(engine, why)}**",
        f"{full.median * 1000:.1f}",
    )


def readme_section(
    rows: list[tuple[str, ...]],
    totals: dict[str, Timing],
    reps: int,
    load: tuple[float, float],
    data: Inspection,
) -> str:
    sizes = ", ".join(f"{name} {len(frame):,}" for name, frame in data.sheets.items())
    summary = totals["sorted"].result.summary  # type: ignore[attr-defined]
    sorted_, shuffled = totals["sorted"], totals["shuffled"]
    lines = [
        "## Evaluate",
        "",
        "Evaluating a facility-year against every PBNDS-2011 requirement (`bench/evaluate.py`, part of "
        "`make bench`). Reproduce with `.venv/bin/python bench/evaluate.py --readme` (no file is read: "
        "the inspection is built in memory, typed as the workbook parser types it).",
        "",
        f"Data: {sizes}. **sorted**: as generated (the Checks placement by placement, each in time "
        "order, the order max_gap works in); **shuffled**: every sheet's rows in one random order, "
        "numbered again from Excel row 2 (bench/shuffled.py's `reordered`).",
        "",
        f"Machine: {machine()}, pandas {pd.__version__}, numpy {np.__version__}; "
        f"{dt.datetime.now(dt.UTC):%-d %B %Y, %H:%M} UTC. One warm-up round, "
        f"then {reps} rounds in which the versions compared take turns; medians (minimums); each ratio "
        f"is of the medians (of the minimums in brackets). Load average (1 min) before / after: "
        f"{load[0]:.1f} / {load[1]:.1f} (the 2 cores shared with other sessions: the CPU seconds of the "
        "total are the steadier figure).",
        "",
        f"**`evaluate()` of all {summary.total_requirements} requirements: sorted {sorted_.median:.2f} s "
        f"(min {sorted_.min:.2f}; CPU {sorted_.cpu_median:.2f}), shuffled {shuffled.median:.2f} s (min "
        f"{shuffled.min:.2f}; CPU {shuffled.cpu_median:.2f}): shuffled / sorted {ratio(shuffled, sorted_)}, "
        f"CPU {shuffled.cpu_median / sorted_.cpu_median:.2f}×** ({summary.compliant} compliant, "
        f"{summary.deficient} deficient, {summary.indeterminate} indeterminate, "
        f"{summary.not_assessed} not assessed), every "
        "violating and undecided row's evidence included. As whole processes (start-up, reading and "
        "validating included) the audit is timed in Scale.",
        "",
        *markdown_table(rows),
        "",
        "- **engine**: the rule kind's `evaluate()` — population, violations, the violating rows and the "
        "reason of each (`medical_screening 12 h 1 min after arrival (limit 12 hours)`), which every "
        "deficient result must carry, and the undecided records with why.",
        "- **bare pandas** (the first baseline): a hand-written vectorised pandas version of the same "
        "decision under the same definition (docs/verdicts.md): population, violations, undecided count "
        "and violating rows, asserted equal to the engine's row for row. It sorts what it needs itself "
        "(max_gap: `sort_values` of the placements' times) and keeps its holiday calendar built once, as "
        "the engine does. It words nothing, so engine / bare is the price of the evidence text.",
        "- **pandas + reasons** (the second baseline): the same, also wording each violation and "
        "undecided record the plain vectorised pandas way (string concatenation, `strftime`). This is "
        "the work the engine does.",
        "- **engine + cells**: `evaluate_requirement()`, the rule plus the `Result` with every evidence "
        "row's masked cells and A1 references (what reports and the results JSON read).",
        "- Before issue 19 the data was sorted only (max_gap skipped its sort), the headline ratios were "
        "against pandas + reasons alone, and the hand version rebuilt its holiday calendar per call.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
