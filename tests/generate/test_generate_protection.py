"""The generator's records of sexual-abuse risk assessments and allegations, suicide watches and
hunger strikes: each requirement is deficient when the profile plants it, and for three of them the
audit's count of violations equals the count read back from the generated sheet itself."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from auditor.contracts.results import Results
from auditor.core import audit_inspection
from auditor.generate.inspection import generate
from auditor.generate.profile import Profile
from auditor.workbook.write import write_inspection

PLANTED = (
    "SAAPI-RISK-SCREEN",
    "SAAPI-REASSESS",
    "SAAPI-MEDICAL-FOLLOWUP",
    "SAAPI-MH-FOLLOWUP",
    "SSH-WATCH-EVAL",
    "SSH-RELEASE-QMHP",
    "HS-MEDICAL-REFERRAL",
    "HS-FIELD-OFFICE-NOTICE",
    "SAAPI-GRIEVANCE-DECISION",
    "SAAPI-GRIEVANCE-APPEAL",
)
# Arizona keeps no daylight time: the sheet's wall-clock durations are the audit's elapsed ones.
PROFILE = Profile(
    facility_id="FIC-TEST-0018",
    facility_name="Protection Test Facility (fictional)",
    facility_type="SPC",
    aor="PHO",
    state="AZ",
    edition="PBNDS-2011",
    admissions=400,
    seed=18,
    inspection_id="FIC-TEST-0018-A",
    deficiencies=dict.fromkeys(PLANTED, 0.2),
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, pd.DataFrame], Results]:
    facility, sheets = generate(PROFILE)
    path = write_inspection(Path(tmp_path_factory.mktemp("protection")) / "x.xlsx", facility, sheets)
    results = audit_inspection(path).results
    assert results is not None
    return sheets, results


def test_every_planted_requirement_is_deficient(generated) -> None:
    _, results = generated
    statuses = {rid: results.by_id()[rid].status for rid in PLANTED}
    assert statuses == dict.fromkeys(PLANTED, "deficient")


def test_late_risk_assessments_read_back_from_the_sheet(generated) -> None:
    sheets, results = generated
    intake = sheets["Intake"]
    start = pd.Timestamp(PROFILE.review_start)
    arrived = intake["arrival"] >= start
    took = intake["saapi_screening"] - intake["arrival"]
    late = arrived & (intake["saapi_screening"].isna() | (took > pd.Timedelta(hours=12)))
    assert results.by_id()["SAAPI-RISK-SCREEN"].violations == int(late.sum()) > 0


def test_watches_ended_without_a_professional_read_back_from_the_sheet(generated) -> None:
    sheets, results = generated
    placements = sheets["Placements"]
    watch = placements["kind"].str.startswith("suicide-watch")
    ended = watch & placements["end"].notna()
    by_others = ended & (placements["released_by_qmhp"] == False)  # noqa: E712 (a nullable column)
    result = results.by_id()["SSH-RELEASE-QMHP"]
    assert (result.population, result.violations) == (int(ended.sum()), int(by_others.sum()))
    assert result.violations == int(np.ceil(0.2 * ended.sum()))


def test_late_hunger_strike_referrals_read_back_from_the_sheet(generated) -> None:
    sheets, results = generated
    strikes = sheets["HungerStrikes"]
    limit = pd.Timedelta(hours=72)
    lasted = strikes["ended"].isna() | (strikes["ended"] - strikes["started"] > limit)
    late = lasted & (
        strikes["medical_referral"].isna() | (strikes["medical_referral"] - strikes["started"] > limit)
    )
    result = results.by_id()["HS-MEDICAL-REFERRAL"]
    assert (result.population, result.violations) == (int(lasted.sum()), int(late.sum()))
    assert result.violations >= 1
