"""Segregation histories for the generator (issue 18.2, docs/segregation.md): two detainees whose
stays show Directive 11065.1's extended-placement notices, planted after the random placements.

- a 40-day history written as two rows that join (administrative, then disciplinary from the day of
  the second notice): the 14-day notice on day 9 and the 30-day one on day 29, late (day 32) when
  the profile plants SMU-NOTIFY-30D;
- two 8-day stays two days apart: 14 days within 21 reached on the second stay's sixth day, with a
  notice during the first stay, or none in time when the profile plants SMU-NOTIFY-14IN21.

Fixed offsets and a random stream of their own (for the checks): the main draws, and so every other
sheet, stay as they were. Also fills the special-vulnerability columns the random placements leave
out (no for every segregation row, empty otherwise), and notices the random placements of a
detainee segregated more than once (their notices were drawn row by row).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from auditor.generate.inspection import DAY, HOUR, MINUTE, Draw, _checks, _placement_rows, _stamp
from auditor.generate.profile import Profile

# the directive's special vulnerabilities the random placements do not draw
MORE_VULNERABILITIES = ("elderly", "pregnant", "nursing", "sogi_risk", "abuse_victim")
SEED_OFFSET = 11065  # the directive's number: a stream apart from the main one


def add_histories(
    p: Profile,
    intake: pd.DataFrame,
    placements: pd.DataFrame,
    checks: pd.DataFrame,
    start: np.datetime64,
    end: np.datetime64,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`placements` and `checks` with the two planted histories, when two detainees held through the
    whole review period are free of other segregation; as they were otherwise."""
    placements = _noticed_repeats(_with_flags(placements))
    people = _held_throughout(intake, placements, start, end)
    if len(people) < 2:
        return placements, checks
    (long_id, long_sex), (cycle_id, cycle_sex) = people[:2]
    at = start + 8 * HOUR * MINUTE  # 08:00 on the period's first day

    def day(n: float) -> np.datetime64:
        return at + np.int64(round(n * DAY)) * MINUTE

    late30 = p.rate("SMU-NOTIFY-30D") > 0
    missed = p.rate("SMU-NOTIFY-14IN21") > 0
    rows = [
        # (kind, detainee, sex, start, end, notified, sanction days)
        ("administrative-segregation", long_id, long_sex, day(5), day(34), day(14), None),
        ("disciplinary-segregation", long_id, long_sex, day(34), day(45), day(37 if late30 else 34.1), 11),
        (
            "administrative-segregation",
            cycle_id,
            cycle_sex,
            day(50),
            day(58),
            None if missed else day(51),
            None,
        ),
        (
            "administrative-segregation",
            cycle_id,
            cycle_sex,
            day(60),
            day(68),
            day(67) if missed else None,
            None,
        ),
    ]
    parts = []
    for kind, who, sex, begin, finish, notified, sanction in rows:
        part = _placement_rows(
            kind,
            np.array([who], dtype=object),
            np.array([sex], dtype=object),
            np.array([begin]),
            np.array([finish]),
            "SMU",
            sanction=None if sanction is None else np.array([sanction]),
        )
        part["field_office_notified"] = _stamp(
            np.array([notified if notified is not None else np.datetime64("NaT")], dtype="datetime64[m]")
        )
        parts.append(part)
    planted = pd.concat(parts, ignore_index=True)
    for flag in (
        "mental_illness",
        "serious_medical_illness",
        "serious_disability",
        "suicide_risk",
        *MORE_VULNERABILITIES,
    ):
        planted[flag] = pd.array([False] * len(planted), dtype="boolean")
    first = len(placements) + 1
    planted["placement_id"] = [f"PL-{i:06d}" for i in range(first, first + len(planted))]
    planted = planted[[c for c in placements.columns if c in planted.columns]]
    starts = np.array([r[3] for r in rows], dtype="datetime64[m]")
    stops = np.array([r[4] for r in rows], dtype="datetime64[m]")
    more_checks = _checks(Draw(p.seed + SEED_OFFSET), p, planted, starts, stops)
    return (
        pd.concat([placements, planted], ignore_index=True),
        pd.concat([checks, more_checks], ignore_index=True),
    )


def _noticed_repeats(placements: pd.DataFrame) -> pd.DataFrame:
    """A detainee segregated more than once (the random draws place some twice) gets a notice an hour
    into each placement that has none: their stays may add up to one history, or to 14 days of 21,
    and only the profile's rates may plant a missed notice."""
    segregated = placements["kind"].str.contains("segregation")
    repeated = segregated & placements["detainee_id"].map(
        placements.loc[segregated, "detainee_id"].value_counts()
    ).gt(1)
    blank = repeated & placements["field_office_notified"].isna()
    out = placements.copy()
    out.loc[blank, "field_office_notified"] = out.loc[blank, "start"] + pd.Timedelta(hours=1)
    return out


def _with_flags(placements: pd.DataFrame) -> pd.DataFrame:
    """The directive's other vulnerabilities: recorded as no on every segregation row."""
    segregated = placements["kind"].str.contains("segregation").to_numpy()
    out = placements.copy()
    for flag in MORE_VULNERABILITIES:
        out[flag] = pd.array(np.where(segregated, False, None), dtype="boolean")
    return out


def _held_throughout(
    intake: pd.DataFrame, placements: pd.DataFrame, start: np.datetime64, end: np.datetime64
) -> list[tuple[str, str]]:
    """Detainees admitted before the period and still held after it, in no other placement."""
    arrival = intake["arrival"].to_numpy().astype("datetime64[m]")
    release = intake["release"].to_numpy().astype("datetime64[m]")
    held = (arrival < start) & (np.isnat(release) | (release > end))
    placed = set(placements["detainee_id"])
    return [
        (who, sex)
        for who, sex, keep in zip(intake["detainee_id"], intake["sex"], held, strict=True)
        if keep and who not in placed
    ]
