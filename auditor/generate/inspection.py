"""A deterministic generator of valid inspections with planted deficiencies.

Every sheet is drawn with one seeded numpy generator, vectorised, in a fixed order, so the same
profile always gives the same rows. Compliant values sit safely inside each limit; a planted
deficiency sits clearly outside it, on `rate × population` rows (at least one when the rate is
above zero), so the audit of a generated inspection has a known answer.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from auditor.contracts import facility_time
from auditor.generate.profile import Profile
from auditor.workbook import declarations as decl
from auditor.workbook.zones import STATE_ZONES

MINUTE = np.timedelta64(1, "m")
HOUR = 60
DAY = 1440


class Draw:
    """The seeded random source and the helpers every sheet uses."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)

    def minutes(self, low: float, high: float, n: int) -> np.ndarray:
        """Uniform durations in minutes, as timedelta64[m]."""
        return np.round(self.rng.uniform(low, high, n)).astype("int64") * MINUTE

    def pick(self, eligible: np.ndarray, rate: float) -> np.ndarray:
        """A mask choosing ceil(rate × eligible) of the eligible rows (none when rate is 0)."""
        chosen = np.zeros(len(eligible), dtype=bool)
        where = np.flatnonzero(eligible)
        if rate <= 0 or not len(where):
            return chosen
        count = min(len(where), max(1, math.ceil(rate * len(where))))
        chosen[self.rng.choice(where, size=count, replace=False)] = True
        return chosen

    def share(self, n: int, p: float, minimum: int = 0) -> np.ndarray:
        """A mask of about p × n rows, at least `minimum`."""
        mask = self.rng.random(n) < p
        if mask.sum() < min(minimum, n):
            mask[self.rng.choice(n, size=min(minimum, n), replace=False)] = True
        return mask


def _nat(n: int) -> np.ndarray:
    return np.full(n, np.datetime64("NaT"), dtype="datetime64[m]")


def _ids(prefix: str, n: int, start: int = 1) -> np.ndarray:
    return np.array([f"{prefix}{i:07d}" for i in range(start, start + n)], dtype=object)


def generate(profile: Profile) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
    """The Facility fields and every sheet of one fictional inspection."""
    draw = Draw(profile.seed)
    start = np.datetime64(profile.review_start, "m")
    end = start + profile.review_days * DAY * MINUTE - MINUTE
    intake = _intake(draw, profile, start, end)
    # protection and segregation build on this module's Draw and helpers, hence imported here
    from auditor.generate import protection, segregation

    extra = protection.stream(profile)  # a stream of its own: the main draws stay as they were
    protection.add_saapi(extra, profile, intake, start, end)
    housing = _housing(draw, profile)
    placements, checks = _placements(draw, profile, intake, start, end)
    placements, checks = segregation.add_histories(profile, intake, placements, checks, start, end)
    placements = protection.with_watch_records(extra, profile, placements, end)
    sheets = {
        "Intake": intake,
        "Housing": housing,
        "Placements": placements,
        "Checks": checks,
        "HungerStrikes": protection.hunger_strikes(extra, profile, intake, start, end),
        "Allegations": protection.allegations(extra, profile, intake, start, end),
        "UseOfForce": _use_of_force(draw, profile, start, end),
        "Grievances": _grievances(draw, profile, start, end),
        "FoodTemps": _food_temps(draw, profile, housing),
        "Activities": _activities(draw, profile, housing),
        "SafetyLog": _safety_log(draw, profile, housing),
        "Staff": _staff(draw, profile),
        "Checklist": _checklist(draw, profile),
    }
    from auditor.generate import care_security  # sick call, requests, restraints, searches, deaths

    care_security.add(profile, sheets, start, end)  # a stream of its own, like protection's
    for name in profile.missing_sheets:
        sheets.pop(name, None)
    _on_the_clock(sheets, profile.time_zone or STATE_ZONES.get(profile.state))
    return profile.facility(), sheets


def _on_the_clock(sheets: dict[str, pd.DataFrame], zone: str | None) -> None:
    """Times are drawn without a zone: one inside the hour a spring-forward change skipped is
    written as the adjusted clock shows it (an hour on), since the reader refuses the skipped hour."""
    for name, frame in sheets.items():
        for column in decl.sheet(name).columns:
            if column.kind is decl.Kind.DATETIME and column.name in frame:
                values = facility_time.wall_clock(frame[column.name].to_numpy(dtype="datetime64[us]"), zone)
                frame[column.name] = values.astype(frame[column.name].dtype)


def _stamp(values: np.ndarray) -> pd.Series:
    return pd.Series(values.astype("datetime64[s]"))


# ---------------------------------------------------------------------------- Intake


def _intake(draw: Draw, p: Profile, start: np.datetime64, end: np.datetime64) -> pd.DataFrame:
    n = p.admissions
    rate = p.rate
    long_stay = draw.share(n, p.long_stay_share, minimum=3)
    arrival = start + draw.minutes(0, p.review_days * DAY - 1, n)
    arrival[long_stay] = start - draw.minutes(30 * DAY, 200 * DAY, int(long_stay.sum()))
    female = draw.share(n, 0.16, minimum=6)
    age_days = draw.rng.gamma(4.0, 2600, n).clip(0, 49 * 365) + 19 * 365
    juvenile = draw.pick(~long_stay, rate("AR-JUVENILE"))
    age_days[juvenile] = draw.rng.uniform(16.2, 17.8, int(juvenile.sum())) * 365.25
    elderly = draw.pick(~long_stay & ~juvenile, 0.01 if rate("HR-VULNERABLE") > 0 else 0)
    age_days[elderly] = draw.rng.uniform(71.5, 78, int(elderly.sum())) * 365.25
    birth = (arrival.astype("datetime64[D]") - np.round(age_days).astype("int64")).astype("datetime64[D]")

    units = _unit_names(p)
    female_units = units[: max(1, round(len(units) * 0.25))]
    male_units = units[len(female_units) :] or units
    housing_unit = np.where(female, draw.rng.choice(female_units, n), draw.rng.choice(male_units, n)).astype(
        object
    )

    classified = arrival + draw.minutes(1 * HOUR, 8 * HOUR, n)
    general_population = classified + draw.minutes(30, 6 * HOUR, n)
    early_gp = draw.pick(np.ones(n, bool), rate("CCS-CLASSIFY-BEFORE-GP"))
    general_population[early_gp] = arrival[early_gp] + draw.minutes(20, 50, int(early_gp.sum()))
    classified[early_gp] = general_population[early_gp] + draw.minutes(
        2 * HOUR, 10 * HOUR, int(early_gp.sum())
    )

    stay = np.round(draw.rng.exponential(34 * DAY, n) + DAY).astype("int64") * MINUTE
    release = arrival + stay
    release[long_stay] = np.where(
        draw.rng.random(int(long_stay.sum())) < 0.7,
        np.datetime64("NaT"),
        release[long_stay] + 120 * DAY * MINUTE,
    )
    release[release > end] = np.datetime64("NaT")
    held_until = np.where(np.isnat(release), end, release)

    def screened(rid: str, limit: int, low: float, high: float, late: tuple[float, float]) -> np.ndarray:
        done = arrival + draw.minutes(low, high, n)
        # Plant late screenings only where the deadline falls inside the review period (one before it
        # is out of scope, one after it pending: docs/verdicts.md); every stay lasts over a day, so
        # nobody planted here is released before the deadline.
        due_in_period = ~long_stay & (arrival + limit * MINUTE <= end)
        bad = draw.pick(due_in_period, rate(rid))
        done[bad] = arrival[bad] + draw.minutes(late[0], late[1], int(bad.sum()))
        gone = bad & (draw.rng.random(n) < 0.2)
        done[gone] = np.datetime64("NaT")
        return done

    medical = screened("MC-INTAKE-SCREEN", 12 * HOUR, 30, 11.5 * HOUR, (12.5 * HOUR, 36 * HOUR))
    mental = screened("MC-MH-SCREEN", 12 * HOUR, 30, 11.8 * HOUR, (12.5 * HOUR, 40 * HOUR))
    handbook = screened("DH-HANDBOOK", 24 * HOUR, 30, 20 * HOUR, (26 * HOUR, 72 * HOUR))

    tb = arrival + ((general_population - arrival) * draw.rng.uniform(0.3, 0.9, n)).astype("timedelta64[m]")
    late_tb = draw.pick(np.ones(n, bool), rate("MC-TB-SCREEN"))
    tb[late_tb] = general_population[late_tb] + draw.minutes(80 * HOUR, 120 * HOUR, int(late_tb.sum()))

    def assessed(rid: str) -> np.ndarray:
        done = arrival + draw.minutes(2 * DAY, 13.5 * DAY, n)
        done[done > held_until] = np.datetime64("NaT")
        still_held = held_until > arrival + 15 * DAY * MINUTE
        bad = draw.pick(still_held, rate(rid))
        done[bad] = arrival[bad] + draw.minutes(15 * DAY, 30 * DAY, int(bad.sum()))
        return done

    health = assessed("MC-HEALTH-ASSESS")
    dental = assessed("MC-DENTAL-SCREEN")

    age_years = (arrival.astype("datetime64[D]") - birth).astype("int64") / 365.25
    testable = female & (age_years >= 18) & (age_years < 57)
    pregnancy = _nat(n)
    pregnancy[testable] = arrival[testable] + draw.minutes(30, 11 * HOUR, int(testable.sum()))
    late_test = draw.pick(testable & ~long_stay, rate("MC-PREGNANCY-TEST"))
    pregnancy[late_test] = arrival[late_test] + draw.minutes(14 * HOUR, 48 * HOUR, int(late_test.sum()))

    acute = draw.share(n, 0.07, minimum=3)
    acute_eval = _nat(n)
    acute_eval[acute] = arrival[acute] + draw.minutes(60, 20 * HOUR, int(acute.sum()))
    late_eval = draw.pick(acute & ~long_stay, rate("MC-ACUTE-EVAL"))
    acute_eval[late_eval] = arrival[late_eval] + draw.minutes(5 * DAY, 9 * DAY, int(late_eval.sum()))

    referred = draw.share(n, 0.09, minimum=3)
    referral, evaluation = _nat(n), _nat(n)
    referral[referred] = mental[referred] + draw.minutes(10, 2 * HOUR, int(referred.sum()))
    referral[referred & np.isnat(mental)] = arrival[referred & np.isnat(mental)] + 13 * HOUR * MINUTE
    evaluation[referred] = referral[referred] + draw.minutes(60, 20 * HOUR, int(referred.sum()))
    late_mh = draw.pick(referred & ~long_stay, rate("MC-MH-REFERRAL"))
    evaluation[late_mh] = referral[late_mh] + draw.minutes(9 * DAY, 15 * DAY, int(late_mh.sum()))

    reclassified = _nat(n)
    classified_long = (held_until - arrival >= 90 * DAY * MINUTE) & (classified + 90 * DAY * MINUTE <= end)
    reclassified[classified_long] = classified[classified_long] + draw.minutes(
        61 * DAY, 89 * DAY, int(classified_long.sum())
    )
    late_re = draw.pick(classified_long, rate("CCS-RECLASSIFY"))
    reclassified[late_re] = classified[late_re] + draw.minutes(95 * DAY, 120 * DAY, int(late_re.sum()))
    reclassified[reclassified > end] = np.datetime64("NaT")

    level = draw.rng.choice(np.array(["1", "2", "3"], dtype=object), n, p=[0.45, 0.35, 0.2])
    frame = pd.DataFrame(
        {
            "detainee_id": _ids("FIC", n, 1 + p.seed % 1000 * 10_000),
            "arrival": _stamp(arrival),
            "sex": np.where(female, "F", "M").astype(object),
            "date_of_birth": pd.Series(birth.astype("datetime64[s]")),
            "housing_unit": housing_unit,
            "classification_level": level,
            "classified": _stamp(classified),
            "reclassified": _stamp(reclassified),
            "general_population": _stamp(general_population),
            "medical_screening": _stamp(medical),
            "mental_health_screening": _stamp(mental),
            "tb_screening": _stamp(tb),
            "health_assessment": _stamp(health),
            "dental_screening": _stamp(dental),
            "pregnancy_test": _stamp(pregnancy),
            "acute_condition": pd.array(acute, dtype="boolean"),
            "acute_evaluation": _stamp(acute_eval),
            "mental_health_referral": _stamp(referral),
            "mental_health_evaluation": _stamp(evaluation),
            "handbook_issued": _stamp(handbook),
            "release": _stamp(release),
        }
    )
    return frame.sort_values("arrival", kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------- Housing


def _unit_names(p: Profile) -> list[str]:
    letters = [chr(65 + i) for i in range(26)]
    names = letters + [a + b for a in letters for b in letters]
    return [f"{name}-Pod" for name in names[: p.units]]


SPECIAL_UNITS = (
    ("SMU", "special-management", "M", 24, "2,3"),
    ("MED", "medical", "X", 12, "2"),
    # Arrivals wait here before classification; like most facilities, this one books in known
    # high-custody (level 3) arrivals apart, so the book-in rooms hold levels 1 and 2.
    ("HOLD-1", "hold-room", "X", 20, "1,2"),
    ("INTAKE", "intake", "X", 30, "1,2"),
)
# The units whose recreation and law-library time the rules measure (REC-DAILY and LL-WEEKLY
# `housing_units`): people live in them for weeks, so the Activities log covers each one.
ACTIVITY_UNITS = ("general", "special-management", "medical")


def _housing(draw: Draw, p: Profile) -> pd.DataFrame:
    names = _unit_names(p)
    n = len(names)
    female = np.arange(n) < max(1, round(n * 0.25))
    capacity = np.full(n, 64)
    population = np.round(capacity * draw.rng.uniform(0.6, 0.92, n)).astype(int)
    over = draw.pick(np.ones(n, bool), p.rate("POP-CAPACITY"))
    population[over] = capacity[over] + draw.rng.integers(2, 9, int(over.sum()))
    levels = np.where(np.arange(n) % 2 == 0, "1,2", "2,3").astype(object)
    mixed = draw.pick(np.ones(n, bool), p.rate("CCS-LEVEL-MIX"))
    levels[mixed] = "1,2,3"
    levels[np.flatnonzero(~mixed)[: p.unrecorded_levels]] = None  # a record with a gap: indeterminate
    sex = np.where(female, "F", "M").astype(object)
    frame = pd.DataFrame(
        {
            "unit_id": names,
            "unit_type": "general",
            "sex": sex,
            "rated_capacity": capacity,
            "population": population,
            "classification_levels": levels,
        }
    )
    for special, kind, unit_sex, cap, lv in SPECIAL_UNITS:
        frame.loc[len(frame)] = [special, kind, unit_sex, cap, max(1, cap // 3), lv]
    pop = frame["population"].to_numpy()
    female_all = (frame["sex"] == "F").to_numpy()
    general = (frame["unit_type"] == "general").to_numpy()
    urinals = np.where(female_all, 0, 2)
    for column, rid, per in (
        ("toilets", "PH-TOILETS", np.where(female_all, 8, 12)),
        ("showers", "PH-SHOWERS", 12),
        ("washbasins", "PH-WASHBASINS", 12),
        ("phones", "TA-PHONES", 25),
    ):
        values = np.ceil(pop / per).astype(int) + 1
        short = draw.pick(general, p.rate(rid))
        values[short] = np.maximum(0, np.ceil(pop[short] / np.broadcast_to(per, pop.shape)[short]) - 2)
        if column == "toilets":
            urinals[short] = 0  # no urinal may make up the shortfall
        frame[column] = values.astype(int)
    frame.insert(frame.columns.get_loc("toilets") + 1, "urinals", urinals.astype(int))
    frame["rated_capacity"] = frame["rated_capacity"].astype(int)
    frame["population"] = frame["population"].astype(int)
    return frame


# ---------------------------------------------------------------------------- Placements and Checks

CHECK_LIMITS = {
    "hold-room": 15,
    "administrative-segregation": 30,
    "disciplinary-segregation": 30,
    "suicide-watch-constant": 15,
    "suicide-watch-close": 15,
}
CHECK_RULES = {
    "hold-room": "HR-CHECKS",
    "administrative-segregation": "SMU-CHECKS",
    "disciplinary-segregation": "SMU-CHECKS",
    "suicide-watch-constant": "SSH-CONSTANT",
    "suicide-watch-close": "SSH-CLOSE-CHECKS",
}


def _placements(
    draw: Draw, p: Profile, intake: pd.DataFrame, start: np.datetime64, end: np.datetime64
) -> tuple[pd.DataFrame, pd.DataFrame]:
    arrival = intake["arrival"].to_numpy().astype("datetime64[m]")
    ids = intake["detainee_id"].to_numpy()
    sex = intake["sex"].to_numpy()
    n = len(intake)
    in_period = arrival >= start
    # A placement lies inside its detainee's stay (one outside it is a disagreement between sheets
    # that the audit cannot decide): segregation and watches go to people held long enough after
    # the period's start for the longest placement drawn below to end before their release.
    release = intake["release"].to_numpy().astype("datetime64[m]")
    held_for = np.where(np.isnat(release), end, release) - np.maximum(arrival, start)

    def held_long(days: float, share: float, minimum: int) -> np.ndarray:
        eligible = held_for >= days * DAY * MINUTE
        return draw.pick(eligible, max(share * n, minimum) / max(1, int(eligible.sum())))

    latest = end - 3 * DAY * MINUTE  # placements begin inside the period, so every kind is seen
    parts = []

    # Hold rooms at book-in.
    held = in_period & draw.share(n, 0.25, minimum=4)
    age = (
        arrival.astype("datetime64[D]") - intake["date_of_birth"].to_numpy().astype("datetime64[D]")
    ).astype("int64") / 365.25
    if p.rate("HR-VULNERABLE") == 0:
        held &= age <= 70  # nobody over 70 goes to a hold room unless the profile plants it
    else:
        held |= in_period & (age > 70)
    h = int(held.sum())
    hold_start = arrival[held]
    hold_end = hold_start + draw.minutes(60, 6 * HOUR, h)
    long_hold = draw.pick(np.ones(h, bool), p.rate("HR-MAX-STAY"))
    hold_end[long_hold] = hold_start[long_hold] + draw.minutes(12.5 * HOUR, 22 * HOUR, int(long_hold.sum()))
    children = np.zeros(h, bool)
    if p.rate("HR-VULNERABLE") > 0:
        children = draw.pick((sex[held] == "F"), p.rate("HR-VULNERABLE"))
    parts.append(
        _placement_rows(
            "hold-room", ids[held], sex[held], hold_start, hold_end, "HOLD-1", with_children=children
        )
    )

    # Special management units (with hold rooms and watches: about 15 logged checks per admission).
    for kind, share, longest in (
        ("administrative-segregation", 0.01, 6),
        ("disciplinary-segregation", 0.006, 8),
    ):
        chosen = held_long(40 + 40, share, minimum=3)  # starts within 40 days, lasts at most 40
        k = int(chosen.sum())
        seg_start = np.minimum(
            np.maximum(arrival[chosen], start) + draw.minutes(1 * DAY, 40 * DAY, k), latest
        )
        days = draw.rng.uniform(1, longest, k)
        # A quarter last over two weeks (the 14-day notice), starting early enough to reach 14 days
        # inside the period; at least one of each kind when the profile plants late 14-day notices.
        lengthy = draw.share(k, 0.25, minimum=1 if p.rate("SMU-NOTIFY-14D") > 0 else 0)
        days[lengthy] = draw.rng.uniform(14.5, 21, int(lengthy.sum()))
        seg_start[lengthy] = np.minimum(seg_start[lengthy], end - 22 * DAY * MINUTE)
        sanction = None
        if kind == "disciplinary-segregation":
            sanction = np.ceil(days).astype(int)
            too_long = draw.pick(np.ones(k, bool), p.rate("SMU-DISCIPLINARY-MAX"))
            days[too_long] = draw.rng.uniform(31.5, 40, int(too_long.sum()))
            sanction[too_long] = 45
        seg_end = seg_start + np.round(days * DAY).astype("int64") * MINUTE
        parts.append(
            _placement_rows(kind, ids[chosen], sex[chosen], seg_start, seg_end, "SMU", sanction=sanction)
        )

    # Suicide watch.
    for kind, share in (("suicide-watch-constant", 0.006), ("suicide-watch-close", 0.008)):
        chosen = held_long(20 + 3, share, minimum=2)  # starts within 20 days, lasts at most 60 h
        k = int(chosen.sum())
        watch_start = np.minimum(
            np.maximum(arrival[chosen], start) + draw.minutes(1 * DAY, 20 * DAY, k), latest
        )
        parts.append(
            _placement_rows(
                kind,
                ids[chosen],
                sex[chosen],
                watch_start,
                watch_start + draw.minutes(12 * HOUR, 60 * HOUR, k),
                "MED",
            )
        )

    placements = pd.concat(parts, ignore_index=True)
    placements = placements[placements["start"] <= end].reset_index(drop=True)
    starts = placements["start"].to_numpy().astype("datetime64[m]")
    ends = placements["end"].to_numpy().astype("datetime64[m]")
    ends = np.where(ends > end, np.datetime64("NaT"), ends)
    placements["end"] = _stamp(ends)
    placements["placement_id"] = [f"PL-{i:06d}" for i in range(1, len(placements) + 1)]
    _notifications(draw, p, placements, starts, ends, end)
    checks = _checks(draw, p, placements, starts, np.where(np.isnat(ends), end, ends))
    columns = [
        "placement_id",
        "detainee_id",
        "kind",
        "start",
        "end",
        "unit_id",
        "date_of_birth",
        "sex",
        "with_children",
        "mental_illness",
        "serious_medical_illness",
        "serious_disability",
        "suicide_risk",
        "field_office_notified",
        "sanction_days",
    ]
    return placements[columns], checks


def _placement_rows(kind, ids, sex, start, end, unit, with_children=None, sanction=None) -> pd.DataFrame:
    k = len(ids)
    return pd.DataFrame(
        {
            "detainee_id": ids,
            "kind": kind,
            "start": _stamp(start),
            "end": _stamp(end),
            "unit_id": unit,
            "date_of_birth": pd.Series([pd.NaT] * k, dtype="datetime64[s]"),
            "sex": sex,
            "with_children": pd.array(
                with_children if with_children is not None else np.zeros(k, bool), dtype="boolean"
            ),
            "sanction_days": pd.array(sanction if sanction is not None else [pd.NA] * k, dtype="Int64"),
        }
    )


def _notifications(draw, p, placements, starts, ends, end) -> None:
    n = len(placements)
    segregated = placements["kind"].str.contains("segregation").to_numpy()
    vulnerable = segregated & (draw.rng.random(n) < 0.15)
    if segregated.any() and not vulnerable.any():  # at least one, so the 72-hour notice is seen
        vulnerable[draw.rng.choice(np.flatnonzero(segregated))] = True
    flags = ("mental_illness", "serious_medical_illness", "serious_disability", "suicide_risk")
    which = draw.rng.integers(0, len(flags), n)
    for i, flag in enumerate(flags):
        placements[flag] = pd.array(np.where(segregated, vulnerable & (which == i), False), dtype="boolean")
    placements.loc[~segregated, list(flags)] = pd.NA
    notified = _nat(n)
    reached = segregated & ((np.where(np.isnat(ends), end, ends) - starts) >= 14 * DAY * MINUTE)
    notified[reached] = starts[reached] + draw.minutes(10 * DAY, 13.5 * DAY, int(reached.sum()))
    notified[vulnerable] = starts[vulnerable] + draw.minutes(12 * HOUR, 60 * HOUR, int(vulnerable.sum()))
    late14 = draw.pick(reached & ~vulnerable, p.rate("SMU-NOTIFY-14D"))
    notified[late14] = starts[late14] + draw.minutes(15.5 * DAY, 20 * DAY, int(late14.sum()))
    late72 = draw.pick(vulnerable, p.rate("SMU-NOTIFY-VULNERABLE"))
    notified[late72] = starts[late72] + draw.minutes(80 * HOUR, 120 * HOUR, int(late72.sum()))
    notified[notified > end] = np.datetime64("NaT")
    placements["field_office_notified"] = _stamp(notified)


def _checks(draw, p, placements, starts, stops) -> pd.DataFrame:
    """Checks spaced at 60 % of the limit (±20 %): compliant by construction; planted gaps break it."""
    kinds = placements["kind"].to_numpy()
    limit = np.array([CHECK_LIMITS[k] for k in kinds], dtype=float)
    span = (stops - starts).astype("int64").astype(float)
    count = np.maximum(1, np.ceil(span / (0.6 * limit)).astype(int) - 1)
    spacing = span / (count + 1)
    owner = np.repeat(np.arange(len(kinds)), count)
    offset = np.arange(len(owner)) - np.repeat(np.cumsum(count) - count, count)
    jitter = draw.rng.uniform(-0.2, 0.2, len(owner))
    times = starts[owner] + np.round((offset + 1 + jitter) * spacing[owner]).astype("int64") * MINUTE
    gap = np.zeros(len(kinds), bool)
    for kind, rid in CHECK_RULES.items():
        gap |= draw.pick((kinds == kind) & (span >= 3 * limit), p.rate(rid))
    window = starts + np.round(span * draw.rng.uniform(0.2, 0.6, len(kinds))).astype("int64") * MINUTE
    dropped = (
        gap[owner]
        & (times >= window[owner])
        & (times <= window[owner] + np.round(1.7 * limit[owner]).astype("int64") * MINUTE)
    )
    keep = ~dropped
    return pd.DataFrame(
        {
            "placement_id": placements["placement_id"].to_numpy()[owner[keep]],
            "checked": _stamp(times[keep]),
        }
    )


# ---------------------------------------------------------------------------- Use of force, grievances


def _use_of_force(draw: Draw, p: Profile, start, end) -> pd.DataFrame:
    n = max(8, round(p.admissions * 0.012))
    occurred = np.sort(start + draw.minutes(0, p.review_days * DAY - 12 * HOUR, n))
    calculated = draw.share(n, 0.35, minimum=3)
    chemical = np.where(calculated, draw.share(n, 0.5, minimum=2), draw.rng.random(n) < 0.2)
    chemical[np.flatnonzero(calculated)[:2]] = True
    consulted = _nat(n)
    consulted[calculated] = occurred[calculated] - draw.minutes(10, 60, int(calculated.sum()))
    no_consult = draw.pick(calculated & chemical, p.rate("UOF-CALC-CONSULT"))
    consulted[no_consult] = occurred[no_consult] + draw.minutes(5, 30, int(no_consult.sum()))
    exam = occurred + draw.minutes(20, 8 * HOUR, n)
    late_exam = draw.pick(np.ones(n, bool), p.rate("UOF-MEDICAL-EXAM"))
    exam[late_exam] = occurred[late_exam] + draw.minutes(26 * HOUR, 60 * HOUR, int(late_exam.sum()))
    video = np.where(calculated, True, draw.rng.random(n) < 0.6)
    unrecorded = draw.pick(calculated, p.rate("UOF-CALC-VIDEO"))
    video[unrecorded] = False
    day = occurred.astype("datetime64[D]")
    review = day + draw.rng.integers(0, 2, n).astype("timedelta64[D]")
    late_review = draw.pick(np.ones(n, bool), p.rate("UOF-AFTER-ACTION"))
    review[late_review] = np.busday_offset(day[late_review], 4, roll="forward")
    return pd.DataFrame(
        {
            "incident_id": [f"UOF-{i:05d}" for i in range(1, n + 1)],
            "occurred": _stamp(occurred),
            "kind": np.where(calculated, "calculated", "immediate").astype(object),
            "detainee_id": _ids("FIC", n, 9_000_000 + p.seed % 1000),
            "chemical_agent": pd.array(chemical, dtype="boolean"),
            "medical_consulted": _stamp(consulted),
            "medical_exam": _stamp(exam),
            "video_recorded": pd.array(video, dtype="boolean"),
            "after_action_review": pd.Series(review.astype("datetime64[s]")),
        }
    )


def _grievances(draw: Draw, p: Profile, start, end) -> pd.DataFrame:
    n = max(14, round(p.admissions * 0.12))
    received = np.sort(start + draw.minutes(0, p.review_days * DAY - 1, n))
    kind = draw.rng.choice(
        np.array(["informal", "formal", "emergency", "medical"], dtype=object), n, p=[0.38, 0.42, 0.06, 0.14]
    )
    kind[:2] = "emergency"
    kind[2:5] = "formal"
    answered = received + draw.minutes(1 * DAY, 10 * DAY, n)
    formal, emergency = kind == "formal", kind == "emergency"
    answered[formal] = received[formal] + draw.minutes(12 * HOUR, 4.8 * DAY, int(formal.sum()))
    answered[emergency] = received[emergency] + draw.minutes(60, 20 * HOUR, int(emergency.sum()))
    late_formal = draw.pick(formal, p.rate("GS-FORMAL-RESPONSE"))
    answered[late_formal] = received[late_formal] + draw.minutes(6 * DAY, 12 * DAY, int(late_formal.sum()))
    late_emergency = draw.pick(emergency, p.rate("GS-EMERGENCY-RESPONSE"))
    answered[late_emergency] = received[late_emergency] + draw.minutes(
        26 * HOUR, 60 * HOUR, int(late_emergency.sum())
    )
    return pd.DataFrame(
        {
            "grievance_id": [f"GRV-{i:05d}" for i in range(1, n + 1)],
            "detainee_id": _ids("FIC", n, 8_000_000 + p.seed % 1000),
            "kind": kind,
            "received": _stamp(received),
            "answered": _stamp(answered),
        }
    )


# ---------------------------------------------------------------------------- Food, activities, safety


def _days(p: Profile) -> np.ndarray:
    return np.datetime64(p.review_start, "D") + np.arange(p.review_days).astype("timedelta64[D]")


def _food_temps(draw: Draw, p: Profile, housing: pd.DataFrame) -> pd.DataFrame:
    days = _days(p)
    d = len(days)
    units = housing.loc[housing["unit_type"] == "general", "unit_id"].to_numpy()
    rows = []

    def log(location, item, kind, hour, low, high, rid, bad_low, bad_high, per_day=1):
        when = (
            np.repeat(days, per_day).astype("datetime64[m]")
            + np.tile(np.asarray(hour) * 60, d).astype("int64") * MINUTE
            + draw.minutes(0, 25, d * per_day)
        )
        temp = np.round(draw.rng.uniform(low, high, len(when)), 1)
        bad = draw.pick(np.ones(len(when), bool), p.rate(rid)) if rid else np.zeros(len(when), bool)
        temp[bad] = np.round(draw.rng.uniform(bad_low, bad_high, int(bad.sum())), 1)
        rows.append(
            pd.DataFrame({"recorded": when, "location": location, "item": item, "kind": kind, "temp_f": temp})
        )

    for location in ("Kitchen walk-in cooler", "Kitchen reach-in cooler"):
        log(location, "cooler air", "refrigerator", [6], 34, 40, None, 0, 0)
    log("Kitchen freezer", "freezer air", "freezer", [6], -10, -1, "FS-FREEZER", 2, 9)
    log("Serving line", "main entrée", "hot-holding", [6, 11, 17], 140, 172, "FS-HOT-HOLD", 124, 133, 3)
    log("Serving line", "salad well", "cold-holding", [6, 11, 17], 34, 40, "FS-COLD-HOLD", 42.5, 47, 3)
    for unit in units:
        log(
            f"{unit} tray cart",
            "hot tray",
            "tray-delivery-hot",
            [7, 12, 18],
            126,
            158,
            "FS-TRAY-HOT",
            108,
            118,
            3,
        )
    food = pd.concat(rows, ignore_index=True)
    refrigerated = food["kind"].isin(["refrigerator", "freezer"]).to_numpy()
    missing = draw.pick(refrigerated, p.rate("FS-TEMP-LOG-DAILY"))
    food = food[~missing].reset_index(drop=True)
    food["recorded"] = _stamp(food["recorded"].to_numpy())
    return food.sort_values(["recorded", "location"], kind="stable").reset_index(drop=True)


def _activities(draw: Draw, p: Profile, housing: pd.DataFrame) -> pd.DataFrame:
    days = _days(p)
    units = housing.loc[housing["unit_type"].isin(ACTIVITY_UNITS), "unit_id"].to_numpy()
    grid_unit = np.repeat(units, len(days))
    grid_day = np.tile(days, len(units))
    n = len(grid_day)
    weekday = (grid_day.astype("datetime64[D]").view("int64") - 4) % 7  # 0 = Monday
    week = (grid_day.astype("datetime64[D]").view("int64") - 4) // 7
    recreation = draw.rng.integers(70, 121, n)
    outdoor = np.ones(n, bool)
    short_day = draw.rng.integers(0, 7, len(units) * (len(days) // 7 + 2))
    unit_index = np.repeat(np.arange(len(units)), len(days))
    week_key = unit_index * (len(days) // 7 + 2) + (week - week.min())
    short = weekday == short_day[week_key]
    recreation[short] = 30
    outdoor[short] = False
    library = np.where(weekday < 5, draw.rng.integers(65, 96, n), 0)
    unit_weeks = pd.Series(week_key).drop_duplicates()
    for rid, column in (("REC-DAILY", "rec"), ("LL-WEEKLY", "ll")):
        bad_weeks = unit_weeks.to_numpy()[draw.pick(np.ones(len(unit_weeks), bool), p.rate(rid))]
        hit = np.isin(week_key, bad_weeks)
        if column == "rec":
            recreation[hit & (weekday < 3)] = 40
            outdoor[hit & (weekday < 3)] = False
        else:
            library[hit & (weekday < 5)] = 30
    return pd.DataFrame(
        {
            "unit_id": grid_unit.astype(object),
            "date": pd.Series(grid_day.astype("datetime64[s]")),
            "recreation_minutes": recreation.astype(int),
            "outdoor": pd.array(outdoor, dtype="boolean"),
            "law_library_minutes": library.astype(int),
        }
    )


def _safety_log(draw: Draw, p: Profile, housing: pd.DataFrame) -> pd.DataFrame:
    rows = []
    first = np.datetime64(p.review_start, "D")

    def series(event: str, area: str, rid: str | None, every: tuple[int, int] = (24, 29)) -> None:
        offsets = [int(draw.rng.integers(3, 22))]
        while offsets[-1] < p.review_days + 40:
            offsets.append(offsets[-1] + int(draw.rng.integers(*every)))
        offsets = np.array([o for o in offsets if o < p.review_days])
        if rid and p.rate(rid) > 0 and len(offsets) > 2:
            drop = draw.pick(np.r_[False, np.ones(len(offsets) - 2, bool), False], p.rate(rid))
            offsets = offsets[~drop]
        for offset in offsets:
            rows.append((first + np.timedelta64(int(offset), "D"), area, event, "completed"))

    series("pest-control", "Facility-wide", "EHS-PEST-CONTROL")
    series("first-aid-kit-check", "All units", "EHS-FIRST-AID-KITS")
    areas = [*housing["unit_id"], "Kitchen"]
    drill_rate = p.rate("EHS-FIRE-DRILL")
    skip_areas = set(np.array(areas, dtype=object)[draw.pick(np.ones(len(areas), bool), drill_rate)])
    for area in areas:
        series("fire-drill", area, "EHS-FIRE-DRILL" if area in skip_areas else None)
    for offset in range(2, p.review_days, 7):
        rows.append(
            (first + np.timedelta64(offset, "D"), "Generator room", "generator-test", "load test passed")
        )
        rows.append((first + np.timedelta64(offset + 2, "D"), "All areas", "fire-inspection", "no hazards"))
    rows.append((first + np.timedelta64(10, "D"), "Administration", "emergency-plan-review", "plan reviewed"))
    frame = pd.DataFrame(rows, columns=["date", "area", "event", "result"])
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[s]")
    return frame.sort_values(["date", "event", "area"], kind="stable").reset_index(drop=True)


def _staff(draw: Draw, p: Profile) -> pd.DataFrame:
    n = max(24, round(p.rated_capacity / 3.5))
    role = draw.rng.choice(
        np.array(
            ["custody", "medical", "mental-health", "food-service", "administration", "other"], dtype=object
        ),
        n,
        p=[0.6, 0.1, 0.04, 0.08, 0.1, 0.08],
    )
    role[:3] = "medical"
    role[3:5] = "mental-health"
    supervises = np.isin(role, ["custody", "medical", "mental-health", "food-service"])
    on = np.datetime64(p.inspection_start, "D")

    def trained(rid: str) -> np.ndarray:
        done = on - draw.rng.integers(10, 330, n).astype("timedelta64[D]")
        stale = draw.pick(supervises, p.rate(rid))
        done[stale] = on - draw.rng.integers(380, 700, int(stale.sum())).astype("timedelta64[D]")
        return done

    def expiring(rid: str, who: np.ndarray) -> np.ndarray:
        until = on + draw.rng.integers(30, 700, n).astype("timedelta64[D]")
        lapsed = draw.pick(who, p.rate(rid))
        until[lapsed] = on - draw.rng.integers(5, 200, int(lapsed.sum())).astype("timedelta64[D]")
        return np.where(who, until, np.datetime64("NaT"))

    licensed = np.isin(role, ["medical", "mental-health"])
    return pd.DataFrame(
        {
            "staff_id": [f"STF-{i:05d}" for i in range(1, n + 1)],
            "role": role,
            "supervises_detainees": pd.array(supervises, dtype="boolean"),
            "suicide_prevention_training": pd.Series(
                trained("STAFF-SUICIDE-TRAINING").astype("datetime64[s]")
            ),
            "hunger_strike_training": pd.Series(
                trained("STAFF-HUNGER-STRIKE-TRAINING").astype("datetime64[s]")
            ),
            "saapi_training": pd.Series(trained("STAFF-SAAPI-TRAINING").astype("datetime64[s]")),
            "cpr_expires": pd.Series(expiring("STAFF-CPR", supervises).astype("datetime64[s]")),
            "license_expires": pd.Series(expiring("STAFF-LICENSE", licensed).astype("datetime64[s]")),
        }
    )


REMARKS = {
    "deficient": "Observed during the walk-through; see the photo log.",
    "not-applicable": "The facility has no such area or program.",
    "not-observed": "Not reached during the site visit.",
    "area-of-concern": "Met today, but worn or improvised: it will fail the standard if left as it is.",
    "best-practice": "Beyond what the standard asks; worth repeating at other facilities.",
}


def _checklist(draw: Draw, p: Profile) -> pd.DataFrame:
    from auditor.standards.load import load_edition

    ids = sorted(load_edition(p.edition).observation_ids())
    finding = np.array([p.checklist.get(rid, "compliant") for rid in ids], dtype=object)
    if p.default_rate > 0:
        random_bad = (draw.rng.random(len(ids)) < p.default_rate) & (finding == "compliant")
        finding[random_bad] = "deficient"
    remarks = np.array([REMARKS.get(f) for f in finding], dtype=object)
    corrected = pd.array(
        [True if f == "deficient" and i % 3 == 0 else pd.NA for i, f in enumerate(finding)], dtype="boolean"
    )
    return pd.DataFrame(
        {
            "requirement_id": ids,
            "finding": finding,
            "remarks": remarks,
            "evidence": [
                f"Photo log P-{i + 1:03d}" if f == "deficient" else None for i, f in enumerate(finding)
            ],
            "corrected_on_site": corrected,
        }
    )
