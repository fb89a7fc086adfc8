"""Uploads are checked in child processes (issue 19, item 3): not in the server's process, and an
upload whose check crashes its process or meets the memory limit fails alone, with its reason,
while an upload checked at the same time is audited as usual.

The children run `checking.check` by name, so the variants below are this module's functions,
which a child imports; each changes only the child it runs in, which ends with its upload."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from builders import InspectionBuilder
from webclient import Client, run, upload_id

from auditor.service import checking, store


def _noting_pid(source: Path, waivers: object) -> object:
    """checking.check, writing the process id it runs in into the upload's folder."""
    (source.parent / "pid").write_text(str(os.getpid()))
    return checking.check(source, waivers)


def _hostile_by_inspection(source: Path, waivers: object) -> object:
    """checking.check whose audit, for inspection ...-CRASH, aborts the process, and for ...-HOG,
    asks for 64 GiB (past the child's memory limit); any other is audited as usual."""
    import auditor.core

    audit = auditor.core.audit_loaded

    def auditing(loaded, *args, **kwargs):  # type: ignore[no-untyped-def]
        inspection = str(loaded.inspection.facility.get("inspection_id"))
        if inspection.endswith("-CRASH"):
            os.abort()
        if inspection.endswith("-HOG"):
            return bytearray(64 << 30)
        return audit(loaded, *args, **kwargs)

    auditor.core.audit_loaded = auditing
    return checking.check(source, waivers)


def test_an_upload_is_checked_in_another_process(make_app, workbooks, monkeypatch) -> None:
    monkeypatch.setattr(checking, "check", _noting_pid)
    app = make_app()

    async def scenario() -> int:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            return upload_id(await ines.upload(workbooks.small_2026))

    upload = run(scenario())
    app.state.web.processor.idle(timeout=120)
    assert store.get_upload(app.state.web.db, upload)["status"] == "audited"
    assert int((app.state.web.workspace.outputs(upload) / "pid").read_text()) != os.getpid()


@pytest.mark.parametrize(
    ("suffix", "reason"),
    [
        ("CRASH", "the reader stopped on this file (killed by SIGABRT)"),
        ("HOG", "reading this file needs more than 2 GiB of memory"),
    ],
)
def test_a_crashing_or_over_limit_upload_fails_alone(
    make_app, tmp_path: Path, monkeypatch, suffix: str, reason: str
) -> None:
    monkeypatch.setattr(checking, "check", _hostile_by_inspection)
    app = make_app(wait_seconds=0)
    bad = InspectionBuilder(inspection_id=f"INSP-2026-{suffix}").with_valid_sheets().xlsx(tmp_path / "b.xlsx")
    good = InspectionBuilder(inspection_id="INSP-2026-GOOD").with_valid_sheets().xlsx(tmp_path / "good.xlsx")

    async def scenario() -> list[int]:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            answers = await asyncio.gather(ines.upload(bad), ines.upload(good))
            return [upload_id(answer) for answer in answers]

    bad_id, good_id = run(scenario())
    app.state.web.processor.idle(timeout=120)
    bad_row = store.get_upload(app.state.web.db, bad_id)
    good_row = store.get_upload(app.state.web.db, good_id)
    assert (bad_row["status"], good_row["status"]) == ("failed", "audited")
    assert reason in bad_row["message"]
    assert good_row["rating"] and (app.state.web.workspace.outputs(good_id) / "results.json").exists()
