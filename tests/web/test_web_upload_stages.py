"""An upload's progress (issue 17, item 7): processing records each stage as it begins (reading,
which validates as it reads, then evaluating), and the page of an upload being checked shows where
it has got to; the stage file is only ever one of the known words."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from webclient import Client, Workbooks, run, upload_id

import auditor.core
from auditor.service import stages


def _noting_stages(source: Path, waivers: object) -> object:
    """checking.check, noting (in the upload's folder) the stage recorded as it validates and as it
    audits; run in the upload's child, which ends with it."""
    from auditor.service import checking

    validate, audit = auditor.core.validate_inspection, auditor.core.audit_loaded
    seen = source.parent / "seen"

    def note() -> None:
        with seen.open("a") as out:
            out.write(f"{stages.current(source.parent)}\n")

    def validating(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        note()
        return validate(path, *args, **kwargs)

    def auditing(loaded, *args, **kwargs):  # type: ignore[no-untyped-def]
        note()
        return audit(loaded, *args, **kwargs)

    auditor.core.validate_inspection, auditor.core.audit_loaded = validating, auditing
    return checking.check(source, waivers)


def test_processing_records_reading_then_evaluating(
    app: FastAPI, workbooks: Workbooks, monkeypatch: pytest.MonkeyPatch
) -> None:
    from auditor.service import checking

    ws = app.state.web.workspace
    monkeypatch.setattr(checking, "check", _noting_stages)  # the child runs it (by name: this module's)

    async def scenario() -> None:
        async with Client(app) as ada:
            await ada.sign_in("ada")
            assert upload_id(await ada.upload(workbooks.red_mesa)) == 1
            assert (await ada.get("/api/uploads/1")).json()["upload"]["status"] == "audited"

    run(scenario())
    assert (ws.outputs(1) / "seen").read_text().split() == ["reading", "evaluating"]


def test_the_page_of_an_upload_being_checked_shows_its_stage(app: FastAPI, workbooks: Workbooks) -> None:
    ws, db = app.state.web.workspace, app.state.web.db

    async def scenario() -> None:
        async with Client(app) as ada:
            await ada.sign_in("ada")
            upload = upload_id(await ada.upload(workbooks.red_mesa))
            with db.write() as conn:  # as it was while being checked
                conn.execute("UPDATE uploads SET status = 'processing' WHERE id = ?", (upload,))
            stages.begin(ws.outputs(upload), "evaluating")
            page = (await ada.get(f"/uploads/{upload}")).text
            assert '<li class="done">Reading and validating the workbook, cell by cell</li>' in page
            assert '<li class="now" aria-current="step">Evaluating it against the standards</li>' in page
            assert '<meta http-equiv="refresh" content="2">' in page

            (ws.outputs(upload) / stages.STAGE_FILE).write_text("<script>")  # not a stage: none shown
            page = (await ada.get(f"/uploads/{upload}")).text
            assert '<li class="next">Reading and validating the workbook, cell by cell</li>' in page
            assert "<script>" not in page.split("<main")[1]

    run(scenario())


def test_a_stage_is_one_of_the_known_words(tmp_path: Path) -> None:
    assert stages.current(tmp_path) is None
    stages.begin(tmp_path, "reading")
    assert stages.current(tmp_path) == "reading"
    with pytest.raises(ValueError, match="unknown stage"):
        stages.begin(tmp_path, "guessing")
    stages.begin(tmp_path / "gone", "evaluating")  # an unwritable folder fails nothing
    assert stages.current(tmp_path / "gone") is None


def test_the_api_gives_the_stage_of_an_upload_being_checked(app: FastAPI, workbooks: Workbooks) -> None:
    ws, db = app.state.web.workspace, app.state.web.db

    async def scenario() -> None:
        async with Client(app) as ada:
            await ada.sign_in("ada")
            upload = upload_id(await ada.upload(workbooks.red_mesa))
            assert (await ada.get(f"/api/uploads/{upload}")).json()["upload"]["stage"] is None  # done
            with db.write() as conn:
                conn.execute("UPDATE uploads SET status = 'processing' WHERE id = ?", (upload,))
            stages.begin(ws.outputs(upload), "reading")
            answer = (await ada.get(f"/api/uploads/{upload}")).json()["upload"]
            assert (answer["status"], answer["stage"]) == ("processing", "reading")

    run(scenario())
