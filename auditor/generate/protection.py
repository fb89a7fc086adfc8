"""The generator's records of protection from harm: the sexual-abuse risk assessment and its
follow-ups (Intake), hunger strikes and suicide watch (issue 18).

They draw from a random stream of their own (`stream`), so adding them left every row the rest of
the generator makes as it was. Compliant values sit safely inside each limit; a planted deficiency
sits clearly outside it, on `rate × population` rows (at least one when the rate is above zero).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from auditor.generate.inspection import DAY, HOUR, MINUTE, Draw, _nat, _stamp
from auditor.generate.profile import Profile

NAT = np.datetime64("NaT")


def stream(profile: Profile) -> Draw:
    """The seeded source of these records, apart from the main one."""
    return Draw(profile.seed * 7919 + 18)


def _minutes(frame: pd.DataFrame, column: str) -> np.ndarray:
    return frame[column].to_numpy().astype("datetime64[m]")


def add_saapi(draw: Draw, p: Profile, intake: pd.DataFrame, start: np.datetime64, end: np.datetime64) -> None:
    """The risk assessment within 12 h of arrival, its reassessment 60 to 90 days later, and the
    medical (2 working days) and mental-health (72 h) follow-ups of the detainees referred."""
    n = len(intake)
    rate = p.rate
    arrival = _minutes(intake, "arrival")
    release = _minutes(intake, "release")
    held_until = np.where(np.isnat(release), end, release)
    recent = arrival >= start

    screening = arrival + draw.minutes(30, 11 * HOUR, n)
    # every stay lasts over a day: a late assessment (13 to 22 h) still falls inside it
    late = draw.pick(recent & (arrival + 12 * HOUR * MINUTE <= end), rate("SAAPI-RISK-SCREEN"))
    screening[late] = arrival[late] + draw.minutes(13 * HOUR, 22 * HOUR, int(late.sum()))
    screening[late & (draw.rng.random(n) < 0.2)] = NAT

    reassessment = _nat(n)
    owed = ~np.isnat(screening) & (held_until - screening >= 90 * DAY * MINUTE)
    owed &= screening + 90 * DAY * MINUTE <= end
    reassessment[owed] = screening[owed] + draw.minutes(61 * DAY, 89 * DAY, int(owed.sum()))
    off = draw.pick(owed, rate("SAAPI-REASSESS"))
    reassessment[off] = screening[off] + draw.minutes(95 * DAY, 120 * DAY, int(off.sum()))
    reassessment[reassessment > end] = NAT  # not done by the end of the review period: missing

    assessed = ~np.isnat(screening)
    medical = assessed & draw.share(n, 0.04, minimum=2)
    medical_referral, medical_evaluation = _nat(n), _nat(n)
    medical_referral[medical] = screening[medical] + draw.minutes(5, 30, int(medical.sum()))
    medical_evaluation[medical] = screening[medical] + draw.minutes(2 * HOUR, 20 * HOUR, int(medical.sum()))
    # 6 to 9 days is past 2 working days however weekends and holidays fall
    room = recent & (held_until - screening >= 10 * DAY * MINUTE) & (screening + 9 * DAY * MINUTE <= end)
    slow = draw.pick(medical & room, rate("SAAPI-MEDICAL-FOLLOWUP"))
    medical_evaluation[slow] = screening[slow] + draw.minutes(6 * DAY, 9 * DAY, int(slow.sum()))

    mental = assessed & draw.share(n, 0.05, minimum=2)
    mh_referral, mh_evaluation = _nat(n), _nat(n)
    mh_referral[mental] = screening[mental] + draw.minutes(5, 40, int(mental.sum()))
    mh_evaluation[mental] = mh_referral[mental] + draw.minutes(2 * HOUR, 20 * HOUR, int(mental.sum()))
    room = recent & (held_until - screening >= 7 * DAY * MINUTE) & (screening + 6 * DAY * MINUTE <= end)
    slow = draw.pick(mental & room, rate("SAAPI-MH-FOLLOWUP"))
    mh_evaluation[slow] = mh_referral[slow] + draw.minutes(80 * HOUR, 120 * HOUR, int(slow.sum()))

    for column, values in (
        ("saapi_screening", screening),
        ("saapi_reassessment", reassessment),
        ("saapi_medical_referral", medical_referral),
        ("saapi_medical_evaluation", medical_evaluation),
        ("saapi_mh_referral", mh_referral),
        ("saapi_mh_evaluation", mh_evaluation),
    ):
        intake[column] = _stamp(values)


WATCHES = ("suicide-watch-constant", "suicide-watch-close")


def with_watch_records(draw: Draw, p: Profile, placements: pd.DataFrame, end: np.datetime64) -> pd.DataFrame:
    """Placements with each suicide watch's mental-health evaluation (within 24 h) and whether a
    mental-health professional ended it."""
    n = len(placements)
    watch = placements["kind"].isin(WATCHES).to_numpy()
    starts, ends = _minutes(placements, "start"), _minutes(placements, "end")
    evaluation = _nat(n)
    # watches last at least 12 h: the evaluation falls inside every one
    evaluation[watch] = starts[watch] + draw.minutes(1 * HOUR, 10 * HOUR, int(watch.sum()))
    # never evaluated, planted only where the evaluation came due: a watch still open after 30 h
    due = (
        watch & (starts + 24 * HOUR * MINUTE <= end) & (np.isnat(ends) | (ends - starts > 30 * HOUR * MINUTE))
    )
    evaluation[draw.pick(due, p.rate("SSH-WATCH-EVAL"))] = NAT

    ended = watch & ~np.isnat(ends)
    by_professional = np.where(ended, True, False)
    by_professional[draw.pick(ended, p.rate("SSH-RELEASE-QMHP"))] = False
    released = pd.array(np.where(ended, by_professional, None), dtype="boolean")
    return placements.assign(watch_evaluation=_stamp(evaluation), released_by_qmhp=released)


def hunger_strikes(draw: Draw, p: Profile, intake: pd.DataFrame, start: np.datetime64, end: np.datetime64):
    """About one detainee in a hundred refusing food for a while: a quarter eat again within 60 h
    (no referral owed), the rest are referred within 72 h and the field office told within 24 h."""
    arrival, release = _minutes(intake, "arrival"), _minutes(intake, "release")
    held_until = np.where(np.isnat(release), end, release)
    # strikes start two days after arrival at the earliest and end a day before release at the latest
    eligible = held_until - np.maximum(arrival, start) >= 20 * DAY * MINUTE
    chosen = draw.pick(eligible, max(0.01, 3 / max(1, int(eligible.sum()))))
    k = int(chosen.sum())
    began = np.maximum(arrival[chosen], start) + draw.minutes(2 * DAY, 8 * DAY, k)
    short = draw.share(k, 0.25, minimum=1)
    ended = began + draw.minutes(4 * DAY, 10 * DAY, k)
    ended[short] = began[short] + draw.minutes(20 * HOUR, 60 * HOUR, int(short.sum()))
    ended[ended > end] = NAT

    referral = began + draw.minutes(30 * HOUR, 70 * HOUR, k)
    referral[short] = NAT
    late = draw.pick(~short & (began + 80 * HOUR * MINUTE <= end), p.rate("HS-MEDICAL-REFERRAL"))
    # 76 to 90 h: late, and still inside strikes of four days or more
    referral[late] = began[late] + draw.minutes(76 * HOUR, 90 * HOUR, int(late.sum()))
    notified = referral + draw.minutes(1 * HOUR, 12 * HOUR, k)
    slow = draw.pick(~short & (referral + 40 * HOUR * MINUTE <= end), p.rate("HS-FIELD-OFFICE-NOTICE"))
    notified[slow] = referral[slow] + draw.minutes(30 * HOUR, 40 * HOUR, int(slow.sum()))
    return pd.DataFrame(
        {
            "hunger_strike_id": [f"HS-{i:05d}" for i in range(1, k + 1)],
            "detainee_id": intake["detainee_id"].to_numpy()[chosen],
            "started": _stamp(began),
            "ended": _stamp(ended),
            "medical_referral": _stamp(referral),
            "field_office_notified": _stamp(notified),
        }
    )


def allegations(draw: Draw, p: Profile, intake: pd.DataFrame, start: np.datetime64, end: np.datetime64):
    """About one allegation of sexual abuse in a hundred admissions (at least six): most filed as
    grievances, decided within 5 days; half the decisions that leave time appealed, answered within 30."""
    arrival, release = _minutes(intake, "arrival"), _minutes(intake, "release")
    held_until = np.where(np.isnat(release), end, release)
    eligible = held_until - np.maximum(arrival, start) >= 10 * DAY * MINUTE
    chosen = draw.pick(eligible, max(0.01, 6 / max(1, int(eligible.sum()))))
    k = int(chosen.sum())
    begin = np.maximum(arrival[chosen], start)
    # received in the first month of the stay (or of the period), at least a day before release
    window = np.minimum(held_until[chosen] - begin - DAY * MINUTE, 30 * DAY * MINUTE) // MINUTE
    received = begin + (draw.rng.random(k) * window.astype("int64")).astype("int64") * MINUTE
    grievance = draw.share(k, 0.7, minimum=2)
    decided = _nat(k)
    decided[grievance] = received[grievance] + draw.minutes(6 * HOUR, 4 * DAY, int(grievance.sum()))
    late = draw.pick(grievance & (received + 10 * DAY * MINUTE <= end), p.rate("SAAPI-GRIEVANCE-DECISION"))
    decided[late] = received[late] + draw.minutes(6.5 * DAY, 10 * DAY, int(late.sum()))

    appealed, answered = _nat(k), _nat(k)
    # an appeal answered late (up to 50 days after the decision) still falls inside the period
    may_appeal = grievance & (decided + 52 * DAY * MINUTE <= end)
    appeal = draw.pick(may_appeal, 0.5)
    appealed[appeal] = decided[appeal] + draw.minutes(1 * DAY, 5 * DAY, int(appeal.sum()))
    answered[appeal] = appealed[appeal] + draw.minutes(5 * DAY, 25 * DAY, int(appeal.sum()))
    slow = draw.pick(appeal, p.rate("SAAPI-GRIEVANCE-APPEAL"))
    answered[slow] = appealed[slow] + draw.minutes(35 * DAY, 45 * DAY, int(slow.sum()))
    return pd.DataFrame(
        {
            "allegation_id": [f"SA-{i:05d}" for i in range(1, k + 1)],
            "detainee_id": intake["detainee_id"].to_numpy()[chosen],
            "received": _stamp(received),
            "grievance": pd.array(grievance, dtype="boolean"),
            "decided": _stamp(decided),
            "appealed": _stamp(appealed),
            "appeal_answered": _stamp(answered),
        }
    )
