"""Every hostile workbook of the corpus uploaded to one running web app, in turn.

Each hostile upload must end `rejected` (the file is not a usable workbook) or `failed` (it met a
reader limit), with the same reason the CLI gives and no server path in it, and each that the
CLI reads (a far cell on an unknown sheet, Excel's last row) `invalid` or `audited` as the CLI
says; no upload may stay
`received` or `processing`; and after each, the same server still serves a page and audits a
valid upload. Files the web app would refuse by size (the sparse 1 GiB one) are left to the CLI.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import re
from pathlib import Path

import pytest
from builders import InspectionBuilder
from corpus import ENTRIES, Entry
from fastapi import FastAPI
from webclient import Client, run, upload_id

from auditor.service import store

pytestmark = pytest.mark.slow  # a few seconds each: a CLI process or an upload per file

def _web(kind: str) -> list[str]:
    return [
        name
        for name, entry in ENTRIES.items()
        if entry.web and entry.kind == kind
    ]


WEB_ENTRIES = _web("workbook")
_numbers = itertools.count(1)


@pytest.mark.parametrize("name", WEB_ENTRIES)
def test_a_hostile_upload_ends_with_its_reason_and_the_server_goes_on(
    name: str, server: FastAPI, tmp_path: Path
) -> None:
    entry = ENTRIES[name]
    hostile = entry.make(tmp_path)
    valid = InspectionBuilder(inspection_id=f"INSP-2026-{next(_numbers):04d}").with_valid_sheets()
    valid_path = valid.xlsx(tmp_path / "valid.xlsx")

    async def scenario() -> tuple[int, int]:
        async with Client(server) as ines:
            await ines.sign_in("ines")
            bad = upload_id(await ines.upload(hostile))
            good = upload_id(await ines.upload(valid_path))
            return bad, good

    bad, good = run(scenario())
    server.state.web.processor.idle(timeout=300)
    db = server.state.web.db
    check_outcome(entry, store.get_upload(db, bad), server)
    assert store.get_upload(db, good)["status"] == "audited"

    async def still_serving() -> list[dict]:
        async with Client(server) as ada:
            await ada.sign_in("ada")
            assert (await ada.get("/")).status_code == 200
            page = await ada.get(f"/uploads/{bad}")
            assert page.status_code == 200
            return (await ada.get("/api/uploads")).json()["uploads"]

    listed = run(still_serving())
    assert [u["id"] for u in listed if u["status"] in ("received", "processing")] == []


def check_outcome(entry: Entry, row, server: FastAPI) -> None:
    """The upload's status and message say what the CLI says of the same file."""
    message = row["message"] or ""
    assert "\n" not in message and str(server.state.web.settings.data_dir) not in message, message
    if entry.answer == "error":  # the file is refused with the CLI's reason
        assert row["status"] in ("rejected", "failed"), dict(row)
        assert re.search(entry.message, message), message
    else:  # read: its problems listed, or audited
        assert row["status"] == {"problems": "invalid", "valid": "audited"}[entry.answer], dict(row)


def test_every_hostile_upload_at_once_and_a_valid_one_among_them(
    fresh_server: FastAPI, tmp_path: Path
) -> None:
    """All the hostile workbooks sent together (the readers' pool busy with them): each still ends
    as it does alone, the valid upload sent in the middle is audited, nothing is left processing."""
    files = {}
    for name in WEB_ENTRIES:
        home = tmp_path / name
        home.mkdir()
        files[name] = ENTRIES[name].make(home)
    valid = InspectionBuilder().with_valid_sheets().xlsx(tmp_path / "valid.xlsx")
    order = [*WEB_ENTRIES[: len(WEB_ENTRIES) // 2], "valid", *WEB_ENTRIES[len(WEB_ENTRIES) // 2 :]]

    async def scenario() -> dict[str, int]:
        async with Client(fresh_server) as ines:
            await ines.sign_in("ines")
            sent = [
                ines.upload(valid if n == "valid" else files[n], f"{n}{files.get(n, valid).suffix}")
                for n in order
            ]
            return {
                n: upload_id(answer) for n, answer in zip(order, await asyncio.gather(*sent), strict=True)
            }

    ids = run(scenario())
    fresh_server.state.web.processor.idle(timeout=600)
    db = fresh_server.state.web.db
    for name in WEB_ENTRIES:
        check_outcome(ENTRIES[name], store.get_upload(db, ids[name]), fresh_server)
    assert store.get_upload(db, ids["valid"])["status"] == "audited"
    statuses = [store.get_upload(db, i)["status"] for i in ids.values()]
    assert "processing" not in statuses and "received" not in statuses


@pytest.mark.parametrize("name", _web("roster"))
def test_a_hostile_roster_is_refused_with_its_reason_and_the_server_goes_on(
    name: str, server: FastAPI, tmp_path: Path
) -> None:
    """An administrator's roster import reads the file during the request, in the bounded reader."""
    entry = ENTRIES[name]
    hostile = entry.make(tmp_path)
    data_dir = str(server.state.web.settings.data_dir)

    async def scenario() -> None:
        async with Client(server) as ada:
            await ada.sign_in("ada")
            answer = await ada.upload(hostile, url="/facilities/roster")
            assert answer.status_code == 422, answer.text[-800:]
            page = html.unescape(answer.text)
            reason = page.split("The roster was not imported: ", 1)[1].split("<", 1)[0]
            assert re.search(entry.message, reason) and data_dir not in reason, reason
            assert (await ada.get("/facilities")).status_code == 200
            assert (await ada.get("/")).status_code == 200

    run(scenario())
