"""The four fictional sample facilities of `sample_data/`, and how they are made.

Regenerate them with `python -m auditor.generate.samples sample_data` (deterministic: the same
code gives the same rows). Between them every data requirement of the catalogue is deficient
somewhere and compliant somewhere.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from auditor.generate.inspection import generate
from auditor.generate.profile import Profile
from auditor.workbook.write import write_inspection

NOTICE = (
    "FICTIONAL DATA. Every facility, person, identifier and event in this inspection is invented "
    "for demonstrating and testing the auditor; none describes a real facility or detainee."
)


@dataclass
class Sample:
    slug: str
    profile: Profile
    csv: bool = False
    waivers: list[dict] | None = None
    previous: Profile | None = None

    @property
    def inspection_name(self) -> str:
        return "inspection" if self.csv else "inspection.xlsx"


CEDAR_FLATS = Sample(
    "cedar-flats-spc",
    Profile(
        facility_id="FIC-SPC-0001",
        facility_name="Cedar Flats Service Processing Center (fictional)",
        facility_type="SPC",
        aor="ELP",
        state="TX",
        time_zone="America/Denver",  # El Paso keeps Mountain time; the rest of Texas, Central
        edition="PBNDS-2011",
        admissions=420,
        seed=101,
        inspection_id="FIC-SPC-0001-2026A",
        deficiencies={
            "MC-INTAKE-SCREEN": 0.06,
            "MC-MH-SCREEN": 0.04,
            "MC-TB-SCREEN": 0.03,
            "MC-ACUTE-EVAL": 0.1,
            "HR-MAX-STAY": 0.05,
            "HR-CHECKS": 0.08,
            "SMU-CHECKS": 0.15,
            "SMU-NOTIFY-30D": 1.0,  # the planted 40-day history's 30-day notice late (generate/segregation)
            "FS-COLD-HOLD": 0.04,
            "STAFF-SUICIDE-TRAINING": 0.1,
            "UOF-CALC-CONSULT": 0.5,
            "GS-FORMAL-RESPONSE": 0.1,
            "MC-SICK-CALL-TRIAGE": 0.05,
            "SDC-REQUEST-RESPONSE": 0.1,
            "SOD-STRIP-SEARCH": 0.2,
            "EHS-PEST-CONTROL": 0.3,
            "PH-SHOWERS": 0.2,
            "CCS-CLASSIFY-BEFORE-GP": 0.02,
            "SAAPI-RISK-SCREEN": 0.03,
            "SAAPI-MH-FOLLOWUP": 0.2,
            "SSH-WATCH-EVAL": 0.3,
            "SAAPI-GRIEVANCE-APPEAL": 0.5,
        },
        checklist={
            "EHS-FIRE-PLAN": "deficient",
            "FS-STORAGE": "deficient",
            "KLC-KEY-CONTROL": "not-observed",
        },
    ),
)

# The same facility, inspected twice: the earlier inspection gives the repeat deficiencies.
RED_MESA_FACILITY = {
    "facility_id": "FIC-CDF-0002",
    "facility_name": "Red Mesa Contract Detention Facility (fictional)",
    "facility_type": "CDF",
    "aor": "PHO",
    "state": "AZ",
    "edition": "PBNDS-2011",
}

RED_MESA_PREVIOUS = Profile(
    **RED_MESA_FACILITY,
    admissions=480,
    seed=201,
    inspection_id="FIC-CDF-0002-2025B",
    review_start=dt.date(2025, 7, 1),
    inspection_type="full",
    deficiencies={
        "MC-HEALTH-ASSESS": 0.08,
        "FS-HOT-HOLD": 0.06,
        "SMU-NOTIFY-14D": 0.5,
        "STAFF-CPR": 0.1,
        "LL-WEEKLY": 0.15,
        "DH-HANDBOOK": 0.05,
        "FS-COLD-HOLD": 0.05,
        "UOF-CALC-VIDEO": 0.5,
    },
)

RED_MESA = Sample(
    "red-mesa-cdf",
    Profile(
        **RED_MESA_FACILITY,
        admissions=520,
        seed=202,
        inspection_id="FIC-CDF-0002-2026A",
        previous_inspection_id="FIC-CDF-0002-2025B",
        deficiencies={
            "MC-HEALTH-ASSESS": 0.05,
            "MC-DENTAL-SCREEN": 0.06,
            "FS-HOT-HOLD": 0.05,
            "FS-TRAY-HOT": 0.03,
            "SMU-NOTIFY-14D": 0.5,
            "SMU-NOTIFY-VULNERABLE": 0.5,
            "SMU-NOTIFY-14IN21": 1.0,  # 14 days of 21 over two stays, no notice in time
            "UOF-MEDICAL-EXAM": 0.2,
            "UOF-AFTER-ACTION": 0.25,
            "MC-SICK-CALL-SEEN": 0.05,
            "GS-MEDICAL-FORWARD": 0.1,
            "UOF-RESTRAINT-MEDICAL-CHECK": 0.3,
            "TIAD-DEATH-NOTIFY": 1.0,
            "STAFF-CPR": 0.08,
            "STAFF-LICENSE": 0.2,
            "HS-MEDICAL-REFERRAL": 0.4,
            "SAAPI-GRIEVANCE-DECISION": 0.3,
            "POP-CAPACITY": 0.2,
            "LL-WEEKLY": 0.1,
            "EHS-FIRE-DRILL": 0.1,
            "DH-HANDBOOK": 0.03,
        },
        checklist={
            "GS-LOG": "deficient",
            "MC-ACCREDITATION": "not-applicable",
            "EHS-EXTENSION-CORDS": "area-of-concern",  # ODO's: apart from the deficiencies, never rated
            "DH-CONTENTS": "best-practice",
        },
        overview={  # the report's facility overview
            "average_daily_population": 352,
            "custody_levels": "Level 1, Level 2, Level 3",
            "operator": "Red Mesa Corrections LLC (fictional contractor)",
            "accreditation": "ACA (fictional)",
        },
    ),
    waivers=[
        {
            "requirement_id": "FS-HOT-HOLD",
            "facility_id": "FIC-CDF-0002",
            "justification": (
                "The serving-line steam table failed in February; a replacement unit is on order and food "
                "is re-heated to 165 °F before service in the meantime."
            ),
            "approved_by": "A. Delgado, Field Office Director (fictional)",
            "expires": dt.date(2026, 9, 30),
        },
        {
            "requirement_id": "FS-TRAY-HOT",
            "facility_id": "FIC-CDF-0002",
            "justification": "Insulated tray carts were being replaced during the kitchen renovation.",
            "approved_by": "A. Delgado, Field Office Director (fictional)",
            "expires": dt.date(2026, 2, 28),
        },
    ],
    previous=RED_MESA_PREVIOUS,
)

LARKIN_COUNTY = Sample(
    "larkin-county-jail",
    Profile(
        facility_id="FIC-IGSA-0003",
        facility_name="Larkin County Jail (fictional)",
        facility_type="IGSA",
        aor="CHI",
        state="IL",
        edition="NDS-2019",
        admissions=380,
        seed=303,
        inspection_id="FIC-IGSA-0003-2026A",
        deficiencies={
            "REC-DAILY": 0.08,
            "MC-MH-REFERRAL": 0.3,
            "MC-PREGNANCY-TEST": 0.1,
            "GS-EMERGENCY-RESPONSE": 0.5,
            "GS-MEDICAL-RESPONSE": 0.15,
            "FS-FREEZER": 0.05,
            "FS-TEMP-LOG-DAILY": 0.03,
            "EHS-FIRST-AID-KITS": 0.3,
            "CCS-RECLASSIFY": 0.3,
            "CCS-LEVEL-MIX": 0.25,
            "PH-TOILETS": 0.25,
            "PH-WASHBASINS": 0.25,
            "TA-PHONES": 0.25,
            "SSH-CLOSE-CHECKS": 0.5,
            "HS-FIELD-OFFICE-NOTICE": 0.4,
            "SSH-CONSTANT": 0.5,
            "MC-MEDICATION-CONTINUITY": 0.05,
            "UOF-CALC-VIDEO": 0.5,
            "SMU-DISCIPLINARY-MAX": 0.3,
            "STAFF-HUNGER-STRIKE-TRAINING": 0.1,
            "STAFF-SAAPI-TRAINING": 0.1,
            "AR-JUVENILE": 0.005,
            "HR-VULNERABLE": 0.02,
            "SAAPI-REASSESS": 0.3,
            "SAAPI-MEDICAL-FOLLOWUP": 0.25,
            "SSH-RELEASE-QMHP": 0.3,
        },
        checklist={
            "EHS-HAZCOM-PROGRAM": "deficient",
            "TA-LEGAL-LIST": "deficient",
            "V-LEGAL-HOURS-POSTED": "not-applicable",
        },
    ),
    csv=True,
)

PINE_HOLLOW = Sample(
    "pine-hollow-usms",
    Profile(
        facility_id="FIC-USMS-0004",
        facility_name="Pine Hollow Regional Detention Center (fictional)",
        facility_type="USMS-IGA",
        aor="SPM",
        state="MN",
        edition="NDS-2019",
        admissions=140,
        seed=404,
        inspection_id="FIC-USMS-0004-2026A",
        inspection_type="unannounced",
        deficiencies={"GS-FORMAL-RESPONSE": 0.1, "FS-HOT-HOLD": 0.02},
        missing_sheets=("UseOfForce", "Activities", "Staff", "Grievances"),
        unrecorded_levels=1,  # CCS-LEVEL-MIX undecided: a unit's custody levels left blank
        checklist={
            "MC-MH-ON-CALL": "not-observed",
            "SAAPI-POLICY": "not-observed",
            "SAAPI-PSA-MANAGER": "not-observed",
            "R-EQUIPMENT": "not-observed",
            "DH-CONTENTS": "not-observed",
        },
    ),
)

SAMPLES = (CEDAR_FLATS, RED_MESA, LARKIN_COUNTY, PINE_HOLLOW)


def write_sample(sample: Sample, root: Path) -> Path:
    """Write one sample's folder: the inspection, its manifest, and waivers / previous results."""
    from auditor.core import audit_inspection

    folder = root / sample.slug
    folder.mkdir(parents=True, exist_ok=True)
    facility, sheets = generate(sample.profile)
    write_inspection(folder / sample.inspection_name, facility, sheets, csv=sample.csv, notice=NOTICE)
    manifest = {"notice": NOTICE, "name": sample.profile.facility_name, "inspection": sample.inspection_name}
    if sample.waivers:
        (folder / "waivers.yml").write_text(
            f"# {NOTICE}\n" + yaml.safe_dump({"waivers": sample.waivers}, sort_keys=False, width=100),
            encoding="utf-8",
        )
        manifest["waivers"] = "waivers.yml"
    if sample.previous is not None:
        scratch = folder / ".previous-inspection.xlsx"
        write_inspection(scratch, *generate(sample.previous), notice=NOTICE)
        audit = audit_inspection(scratch)
        scratch.unlink()
        if audit.results is None:
            raise RuntimeError(f"the previous inspection of {sample.slug} does not validate")
        audit.results.write(folder / "previous-results.json")
        manifest["previous"] = "previous-results.json"
    (folder / "sample.yml").write_text(yaml.safe_dump(manifest, sort_keys=False, width=100), encoding="utf-8")
    return folder


def write_samples(root: Path) -> list[Path]:
    return [write_sample(sample, root) for sample in SAMPLES]


if __name__ == "__main__":  # pragma: no cover - a maintainer's command
    for written in write_samples(Path(sys.argv[1] if len(sys.argv) > 1 else "sample_data")):
        print(written)
