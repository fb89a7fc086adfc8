"""The generator's sick call, medication brought in, medical grievances, detainee requests,
restraints, strip searches and deaths and significant incidents (issue 18).

They draw from a random stream of their own (`stream`), so adding them left every row the rest of
the generator makes as it was. Compliant values sit safely inside each limit, whatever weekends and
holidays do to a working-day deadline; a planted deficiency sits clearly outside it, on
`rate × population` rows (at least one when the rate is above zero), with a deadline that has
passed by the end of the review period.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from auditor.generate.inspection import DAY, HOUR, MINUTE, Draw, _ids, _nat, _stamp
from auditor.generate.profile import Profile

NAT = np.datetime64("NaT")
CHECKED = ("four-point", "five-point", "restraint-chair")  # UOF-RESTRAINT-MEDICAL-CHECK's kinds


def stream(profile: Profile) -> Draw:
    """The seeded source of these records, apart from the main one and from protection.py's."""
    return Draw(profile.seed * 7919 + 36)


def add(profile: Profile, sheets: dict[str, pd.DataFrame], start: np.datetime64, end: np.datetime64) -> None:
    """Add the SickCall, Requests, Restraints, Searches and Incidents sheets, the medical
    grievances' routing (Grievances.medical_received and their answers) and the review of
    medication brought in (Intake)."""
    draw = stream(profile)
    sheets["Intake"] = _medication(draw, profile, sheets["Intake"], start, end)
    sheets["SickCall"] = _sick_call(draw, profile, start)
    sheets["Grievances"] = _medical_grievances(draw, profile, sheets["Grievances"])
    sheets["Requests"] = _requests(draw, profile, start)
    sheets["Restraints"] = _restraints(draw, profile, start)
    sheets["Searches"] = _searches(draw, profile, start)
    sheets["Incidents"] = _incidents(draw, profile, start)


def _times(draw: Draw, p: Profile, start: np.datetime64, n: int, margin_days: int) -> np.ndarray:
    """n sorted instants of the review period, none in its last `margin_days` days."""
    return np.sort(start + draw.minutes(0, (p.review_days - margin_days) * DAY, n))


def _later(draw: Draw, at: np.ndarray, low: float, high: float) -> np.ndarray:
    return at + draw.minutes(low, high, len(at))


def _working_days_on(at: np.ndarray, days: int, draw: Draw) -> np.ndarray:
    """An instant during the day `days` weekdays after each one's day: past any deadline of fewer
    working days, US holidays (which only push a deadline later) included."""
    day = np.busday_offset(at.astype("datetime64[D]"), days, roll="forward")
    return day.astype("datetime64[m]") + draw.minutes(8 * HOUR, 17 * HOUR, len(at))


def _medication(
    draw: Draw, p: Profile, intake: pd.DataFrame, start: np.datetime64, end: np.datetime64
) -> pd.DataFrame:
    """About a quarter arrive with medication, reviewed 1 to 20 h after book-in; a late review (30 to
    60 h) is planted only on admissions of the period whose 24-hour deadline falls inside it (every
    stay lasts over a day, so none is released before the deadline)."""
    frame = intake.copy()
    n = len(frame)
    arrival = frame["arrival"].to_numpy().astype("datetime64[m]")
    brought = draw.share(n, 0.25, minimum=3)
    reviewed = _nat(n)
    reviewed[brought] = _later(draw, arrival[brought], 60, 20 * HOUR)
    due_in_period = brought & (arrival >= start) & (arrival + 24 * HOUR * MINUTE <= end)
    late = draw.pick(due_in_period, p.rate("MC-MEDICATION-CONTINUITY"))
    reviewed[late] = _later(draw, arrival[late], 30 * HOUR, 60 * HOUR)
    frame["arrived_with_medication"] = pd.array(brought, dtype="boolean")
    frame["medication_reviewed"] = _stamp(reviewed)
    return frame


def _sick_call(draw: Draw, p: Profile, start: np.datetime64) -> pd.DataFrame:
    n = max(20, round(p.admissions * 0.5))
    requested = _times(draw, p, start, n, margin_days=7)
    symptom = draw.share(n, 0.6, minimum=3)
    triaged = _later(draw, requested, 10, 20 * HOUR)
    late = draw.pick(np.ones(n, bool), p.rate("MC-SICK-CALL-TRIAGE"))
    triaged[late] = _later(draw, requested[late], 26 * HOUR, 60 * HOUR)
    triaged[late & (draw.rng.random(n) < 0.2)] = NAT
    # seen within 72 h of the request, after its triage (a late triage is still before 61 h)
    seen = _later(draw, requested, 3 * HOUR, 70 * HOUR)
    seen = np.where(np.isnat(triaged), seen, np.maximum(seen, triaged + 30 * MINUTE))
    seen[~symptom & (draw.rng.random(n) < 0.7)] = NAT  # no symptom: often no encounter
    slow = draw.pick(symptom, p.rate("MC-SICK-CALL-SEEN"))
    seen[slow] = _later(draw, requested[slow], 80 * HOUR, 140 * HOUR)
    seen[slow & (draw.rng.random(n) < 0.2)] = NAT
    return pd.DataFrame(
        {
            "request_id": [f"SC-{i:05d}" for i in range(1, n + 1)],
            "detainee_id": _ids("FIC", n, 7_000_000 + p.seed % 1000),
            "requested": _stamp(requested),
            "clinical_symptom": pd.array(symptom, dtype="boolean"),
            "triaged": _stamp(triaged),
            "seen": _stamp(seen),
        }
    )


def _medical_grievances(draw: Draw, p: Profile, grievances: pd.DataFrame) -> pd.DataFrame:
    """Medical grievances reach medical staff within 20 h (always by the end of the next working
    day) and are answered within 5.5 days of that (5 working days always span 7 calendar days)."""
    frame = grievances.copy()
    medical = (frame["kind"] == "medical").to_numpy()
    received = frame["received"].to_numpy().astype("datetime64[m]")
    n = len(frame)
    forwarded = _nat(n)
    forwarded[medical] = _later(draw, received[medical], 10, 20 * HOUR)
    # planted only where both deadlines fall well inside the review period
    room = medical & (received <= np.datetime64(p.review_end, "m") - 20 * DAY * MINUTE)
    late = draw.pick(room, p.rate("GS-MEDICAL-FORWARD"))
    forwarded[late] = _working_days_on(received[late], 4, draw)
    forwarded[late & (draw.rng.random(n) < 0.2)] = NAT
    answered = frame["answered"].to_numpy().astype("datetime64[m]")
    answered[medical] = _later(draw, forwarded[medical], 4 * HOUR, 5.5 * DAY)
    never = medical & np.isnat(forwarded)
    answered[never] = _later(draw, received[never], 10 * DAY, 12 * DAY)
    slow = draw.pick(room & ~np.isnat(forwarded), p.rate("GS-MEDICAL-RESPONSE"))
    answered[slow] = _working_days_on(forwarded[slow], 9, draw)
    frame["answered"] = _stamp(answered)
    frame["medical_received"] = _stamp(forwarded)
    return frame


def _requests(draw: Draw, p: Profile, start: np.datetime64) -> pd.DataFrame:
    n = max(15, round(p.admissions * 0.3))
    received = _times(draw, p, start, n, margin_days=14)
    answered = _later(draw, received, 60, 2.8 * DAY)  # 3 working days always span 4 calendar days
    late = draw.pick(np.ones(n, bool), p.rate("SDC-REQUEST-RESPONSE"))
    answered[late] = _working_days_on(received[late], 7, draw)
    answered[late & (draw.rng.random(n) < 0.2)] = NAT
    return pd.DataFrame(
        {
            "request_id": [f"REQ-{i:05d}" for i in range(1, n + 1)],
            "detainee_id": _ids("FIC", n, 6_000_000 + p.seed % 1000),
            "received": _stamp(received),
            "answered": _stamp(answered),
        }
    )


def _restraints(draw: Draw, p: Profile, start: np.datetime64) -> pd.DataFrame:
    n = max(6, round(p.admissions * 0.012))
    applied = _times(draw, p, start, n, margin_days=2)
    kind = draw.rng.choice(np.array([*CHECKED, "other"], dtype=object), n)
    kind[:3] = ["four-point", "restraint-chair", "other"]
    checked = np.isin(kind, CHECKED)
    hours = draw.rng.uniform(1, 10, n)
    removed = applied + np.round(hours * HOUR).astype("int64") * MINUTE
    # the first check inside the placement and within 3.5 h of it starting
    medical_check = (
        applied
        + np.round(np.minimum(hours, 3.5) * HOUR * draw.rng.uniform(0.1, 1, n)).astype("int64") * MINUTE
    )
    late = draw.pick(checked, p.rate("UOF-RESTRAINT-MEDICAL-CHECK"))
    removed[late] = _later(draw, applied[late], 7 * HOUR, 10 * HOUR)
    medical_check[late] = _later(draw, applied[late], 4.5 * HOUR, 6.5 * HOUR)
    medical_check[late & (draw.rng.random(n) < 0.2)] = NAT
    return pd.DataFrame(
        {
            "restraint_id": [f"RST-{i:05d}" for i in range(1, n + 1)],
            "detainee_id": _ids("FIC", n, 5_000_000 + p.seed % 1000),
            "kind": kind,
            "applied": _stamp(applied),
            "removed": _stamp(removed),
            "medical_check": _stamp(medical_check),
        }
    )


def _searches(draw: Draw, p: Profile, start: np.datetime64) -> pd.DataFrame:
    n = max(6, round(p.admissions * 0.03))
    conducted = _times(draw, p, start, n, margin_days=0)
    kind = np.where(draw.rng.random(n) < 0.1, "body-cavity", "strip").astype(object)
    suspicion = pd.array(np.ones(n, bool), dtype="boolean")
    approved = pd.array(np.ones(n, bool), dtype="boolean")
    bad = np.flatnonzero(draw.pick(np.ones(n, bool), p.rate("SOD-STRIP-SEARCH")))
    lacking = draw.rng.integers(0, 3, len(bad))  # 0: no suspicion, 1: not approved, 2: approval not recorded
    suspicion[bad[lacking == 0]] = False
    approved[bad[lacking == 1]] = False
    approved[bad[lacking == 2]] = pd.NA
    return pd.DataFrame(
        {
            "search_id": [f"SRCH-{i:05d}" for i in range(1, n + 1)],
            "detainee_id": _ids("FIC", n, 4_000_000 + p.seed % 1000),
            "kind": kind,
            "conducted": _stamp(conducted),
            "reasonable_suspicion": suspicion,
            "supervisor_approved": approved,
        }
    )


def _incidents(draw: Draw, p: Profile, start: np.datetime64) -> pd.DataFrame:
    n = max(5, round(p.admissions * 0.02))
    occurred = _times(draw, p, start, n, margin_days=3)
    kinds = np.array(["serious-injury", "suicide-attempt", "assault", "escape", "other"], dtype=object)
    kind = draw.rng.choice(kinds, n, p=[0.35, 0.15, 0.3, 0.05, 0.15])
    kind[n // 2] = "death"  # one death in the review period, so the notification can be judged
    notified = _later(draw, occurred, 15, 6 * HOUR)
    late = draw.pick(kind == "death", p.rate("TIAD-DEATH-NOTIFY"))
    notified[late] = _later(draw, occurred[late], 30 * HOUR, 60 * HOUR)
    return pd.DataFrame(
        {
            "incident_id": [f"INC-{i:05d}" for i in range(1, n + 1)],
            "kind": kind,
            "occurred": _stamp(occurred),
            "detainee_id": _ids("FIC", n, 3_000_000 + p.seed % 1000),
            "ice_notified": _stamp(notified),
        }
    )
