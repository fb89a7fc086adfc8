"""The lists (home, uploads, facilities) and the API's upload and facility JSON show ODO's headline as
each upload's row keeps it: deficiencies, indeterminate requirements, decided of in scope, and our
rating labelled as this project's policy. A row audited before the row kept those counts shows them
as unknown (—), never as 0 indeterminate.

Known answers: upload 1 holds tests/undecided.py's results (1 deficient, 1 priority, 1 repeat,
2 indeterminate, decided 2 of 5 in scope = 40.0 %, rated Incomplete), recorded as processing
records them. Upload 2, another facility, is a row as migration 2 leaves it without a results file:
0 deficient, rated Meets Standards, its headline counts NULL.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from fastapi import FastAPI
from test_migrations import load_v1
from undecided import undecided_results
from webclient import Client, Workbooks, run, upload_id

from auditor.core import audit_inspection
from auditor.db import Database
from auditor.service import store
from auditor.service.accounts import user_named
from auditor.service.assignments import assign

POLICY = "this project's policy, not an ICE rating"
UNDECIDED_LINE = (
    "1 deficient · 1 priority · 1 repeat · 2 indeterminate · decided 2 of 5 (40.0 %) requirements in scope"
)
UNKNOWN_LINE = "0 deficient · 0 priority · 0 repeat · — indeterminate · decided — of — requirements in scope"


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _audited(db: Database, facility_id: str, fields: dict[str, Any]) -> int:
    """An upload of ines's recorded audited, with the fields given, as processing records one."""
    ines = user_named(db, "ines")
    assert ines is not None
    upload = store.record_upload(
        db, sha256="0" * 64, size=1, name=f"{facility_id}.xlsx", user=ines, requested_inspection=None
    )
    row = store.claim(db, upload)
    assert row is not None
    store.attach(db, row, facility_id, "INSP-2026-0001", f"{facility_id} CENTER")
    store.finish(db, upload, "audited", "done", **fields)
    return upload


@pytest.fixture
def two_uploads(app: FastAPI, workbooks: Workbooks) -> tuple[int, int]:
    small = audit_inspection(workbooks.small_2026).results
    assert small is not None
    undecided = undecided_results(small)
    s = undecided.summary
    assign(app.state.web.db, None, "ines", ["AAA-UNDECIDED", "BBB-OLD-ROW"])
    first = _audited(
        app.state.web.db,
        "AAA-UNDECIDED",
        {
            "results": undecided,
            "rating": s.rating,
            "compliant": s.compliant,
            "deficient": s.deficient,
            "priority": s.priority_deficiencies,
            "repeats": s.repeat_deficiencies,
            "waived": s.waived,
            "inspection_end": "2026-04-10",
            **store.headline_fields(undecided),
        },
    )
    second = _audited(
        app.state.web.db,
        "BBB-OLD-ROW",
        {"rating": "Meets Standards", "compliant": 60, "deficient": 0, "priority": 0, "repeats": 0},
    )
    return first, second


def test_the_stored_headline_is_the_results_headline(workbooks: Workbooks) -> None:
    small = audit_inspection(workbooks.small_2026).results
    assert small is not None
    assert store.headline_fields(undecided_results(small)) == {
        "indeterminate": 2,
        "decided": 2,
        "in_scope": 5,
        "coverage_percent": 40.0,
    }


def test_the_lists_show_the_three_counts_coverage_and_our_policys_rating(
    app: FastAPI, two_uploads: tuple[int, int]
) -> None:
    async def scenario() -> dict[str, str]:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            pages = ("/", "/uploads", "/facilities", "/facilities/AAA-UNDECIDED", "/facilities/BBB-OLD-ROW")
            return {page: (await ines.get(page)).text for page in pages}

    pages = {page: _text(html) for page, html in run(scenario()).items()}
    for page in ("/", "/uploads"):
        text = pages[page]
        assert f"{UNDECIDED_LINE} our rating ({POLICY}): Incomplete" in text, page
        assert f"{UNKNOWN_LINE} our rating ({POLICY}): Meets Standards" in text, page
    for page in ("/", "/facilities"):
        text = pages[page]
        assert f"Our rating ({POLICY})" in text, page
    # facility rows: name, [id,] deficiencies, [priority, repeat,] indeterminate, coverage, rating
    assert "AAA-UNDECIDED CENTER AAA-UNDECIDED 1 2 2 of 5 (40.0 %) Incomplete" in pages["/"]
    assert "BBB-OLD-ROW CENTER BBB-OLD-ROW 0 — — of — Meets Standards" in pages["/"]
    assert "AAA-UNDECIDED CENTER AAA-UNDECIDED 1 1 1 2 2 of 5 (40.0 %) Incomplete" in pages["/facilities"]
    assert "BBB-OLD-ROW CENTER BBB-OLD-ROW 0 0 0 — — of — Meets Standards" in pages["/facilities"]
    # a facility's inspections over time: deficient, priority, repeat, indeterminate, coverage, rating
    history = "Inspections over time"
    undecided = pages["/facilities/AAA-UNDECIDED"]
    assert "1 1 1 2 2 of 5 (40.0 %) Incomplete 1 Audited" in undecided[undecided.index(history) :]
    old = pages["/facilities/BBB-OLD-ROW"]
    assert "0 0 0 — — of — Meets Standards 1 Audited" in old[old.index(history) :]
    # an unknown count is never written as none at all
    for text in pages.values():
        assert "0 indeterminate" not in text


def test_the_api_gives_the_counts_coverage_and_says_whose_rating_it_is(
    app: FastAPI, two_uploads: tuple[int, int]
) -> None:
    first, second = two_uploads

    async def scenario() -> dict[str, Any]:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            return {
                "uploads": (await ines.get("/api/uploads")).json()["uploads"],
                "one": (await ines.get(f"/api/uploads/{first}")).json()["upload"],
                "facilities": (await ines.get("/api/facilities")).json()["facilities"],
                "facility": (await ines.get("/api/facilities/AAA-UNDECIDED")).json()["facility"],
            }

    seen = run(scenario())
    keys = ("rating", "rating_by", "deficient", "indeterminate", "decided", "in_scope", "coverage_percent")
    undecided = ("Incomplete", POLICY, 1, 2, 2, 5, 40.0)
    unknown = ("Meets Standards", POLICY, 0, None, None, None, None)
    uploads = {u["id"]: tuple(u[k] for k in keys) for u in seen["uploads"]}
    assert uploads == {first: undecided, second: unknown}
    assert tuple(seen["one"][k] for k in keys) == undecided
    facilities = {f["facility_id"]: tuple(f[k] for k in keys) for f in seen["facilities"]}
    assert facilities == {"AAA-UNDECIDED": undecided, "BBB-OLD-ROW": unknown}
    (history,) = seen["facility"]["inspection_history"]
    assert (history["indeterminate"], history["decided"], history["in_scope"]) == (2, 2, 5)


def test_a_migrated_release_1_folder_lists_its_audits_with_unknown_counts(make_app, tmp_path) -> None:
    data = tmp_path / "old"
    load_v1(data)
    app = make_app(data, users=False)

    async def scenario() -> tuple[str, list[dict[str, Any]]]:
        async with Client(app) as ada:
            await ada.sign_in("ada")
            return (await ada.get("/uploads")).text, (await ada.get("/api/uploads")).json()["uploads"]

    html, uploads = run(scenario())
    text = _text(html)
    assert "8 deficient · 0 priority · 0 repeat · — indeterminate · decided — of —" in text
    assert "0 indeterminate" not in text
    assert [(u["id"], u["indeterminate"], u["in_scope"]) for u in uploads] == [
        (3, None, None),
        (2, None, None),
        (1, None, None),
    ]


def test_processing_records_the_headline_counted_from_the_upload_results(
    app: FastAPI, workbooks: Workbooks
) -> None:
    """A real upload, processed: the row's counts are those of its results file, counted here from the
    requirements one by one (indeterminate status; in scope and applicable; deficient or compliant)."""
    from auditor.contracts.results import Results

    async def scenario() -> tuple[int, dict[str, Any]]:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            upload = upload_id(await ines.upload(workbooks.small_2026, "small.xlsx"))
            return upload, (await ines.get(f"/api/uploads/{upload}")).json()["upload"]

    upload, stored = run(scenario())
    assert stored["status"] == "audited"
    results = Results.read(app.state.web.workspace.outputs(upload) / "results.json").results
    in_scope = [r for r in results if r.in_scope and r.status != "not_applicable"]
    decided = [r for r in in_scope if r.status in ("deficient", "compliant", "waived")]
    assert stored["indeterminate"] == sum(r.status == "indeterminate" for r in results)
    assert (stored["decided"], stored["in_scope"]) == (len(decided), len(in_scope))
    assert stored["coverage_percent"] == round(100 * len(decided) / len(in_scope), 1)
    assert stored["rating_by"] == POLICY
