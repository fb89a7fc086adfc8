"""Generated Checklist sheets for the attestation property test: a few rows whose requirement ids are
the attested requirement (or not: another observation requirement, a data requirement, its id in
lower case, an id in no catalogue), findings of every kind and blank, remarks and the corrected flag
set, blank or left out; sometimes without the sheet or one of its required columns."""

from __future__ import annotations

import functools

from generated_inspections import EDITIONS, FACILITY, Drawn
from hypothesis import strategies as st

from auditor.standards.load import load_edition
from auditor.standards.model import Requirement

FINDINGS = [
    *("compliant", "deficient", "not-applicable", "not-observed"),
    *("area-of-concern", "best-practice"),  # ODO's: no deficiency, met
    None,
]
OPTIONAL = ("remarks", "evidence", "corrected_on_site")


@functools.cache
def attestations() -> list[tuple[str, Requirement]]:
    """(edition, requirement) for every attestation of the three editions that applies to the facility:
    their checks are all `{kind: attestation}`, so requirements_of would keep only one."""
    return [
        (edition, req)
        for edition in EDITIONS
        for req in load_edition(edition).requirements.values()
        if req.kind == "attestation"
        and FACILITY["facility_type"] not in req.not_applicable_to.get("facility_type", [])
    ]


@functools.cache
def _other_ids(edition: str) -> tuple[str, ...]:
    """A few ids of the edition's catalogue: observation and data requirements."""
    reqs = load_edition(edition).requirements.values()
    observed = [r.id for r in reqs if r.kind == "attestation"][:3]
    data = [r.id for r in reqs if r.kind != "attestation"][:2]
    return (*observed, *data)


@st.composite
def attestation_cases(draw: st.DrawFn) -> tuple[str, Requirement, Drawn]:
    edition, req = draw(st.sampled_from(attestations()))
    pool = [req.id, req.id.lower(), "XX-NOT-IN-ANY-CATALOGUE", *_other_ids(edition)]
    # the attested id most of the time; ids are unique in a sheet (validation refuses duplicates)
    first = req.id if draw(st.integers(0, 4)) else draw(st.sampled_from(pool))
    others = draw(st.lists(st.sampled_from(pool), max_size=3))
    ids = list(dict.fromkeys([first, *others]))
    ids = draw(st.permutations(ids))
    rows = []
    for position, requirement_id in enumerate(ids):
        row = position + 2
        rows.append(
            {
                "requirement_id": requirement_id,
                "finding": draw(st.sampled_from(FINDINGS)),
                "remarks": draw(st.sampled_from([None, f"Remark on row {row}", "posted, 2 of 6 units"])),
                "evidence": draw(st.sampled_from([None, f"PHOTO-{row}"])),
                "corrected_on_site": draw(st.sampled_from([None, "TRUE", "FALSE"])),
            }
        )
    dropped = {c for c in OPTIONAL if draw(st.integers(0, 3)) == 0}
    if draw(st.integers(0, 19)) == 0:  # a required column missing: not assessed
        dropped.add(draw(st.sampled_from(["requirement_id", "finding"])))
    sheets = {} if draw(st.integers(0, 14)) == 0 else {"Checklist": rows}
    return edition, req, Drawn(sheets, {"Checklist": dropped})
