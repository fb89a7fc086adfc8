"""A hostile upload ends its reader, not the server: the upload is `failed` with the reason, the
server keeps serving, and a restart does not run the file again."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from webclient import Client, run, upload_id

from auditor.service import store


def _critical(folder: Path) -> Path:
    """One cell at XFD1048576: the Rust reader would allocate about 512 GiB and abort the process."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Facility"
    sheet["A1"], sheet["B1"] = "field", "value"
    sheet["XFD1048576"] = "x"
    path = folder / "tiny.xlsx"
    book.save(path)
    return path


def test_the_critical_file_fails_its_upload_and_the_server_goes_on(make_app, workbooks, tmp_path) -> None:
    app = make_app()
    hostile = _critical(tmp_path)

    async def scenario() -> tuple[int, int]:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            bad = upload_id(await ines.upload(hostile))
            good = upload_id(await ines.upload(workbooks.small_2026))
            assert (await ines.get("/")).status_code == 200
            return bad, good

    bad, good = run(scenario())
    app.state.web.processor.idle(timeout=120)
    row = store.get_upload(app.state.web.db, bad)
    # refused before parsing (the container check names the cell), or ended by the memory limit
    assert (row["status"], "XFD1048576" in row["message"]) == ("rejected", True) or (
        row["status"],
        row["message"],
    ) == (
        "failed",
        "reading this file needs more than 2 GiB of memory; a normal inspection workbook needs far "
        "less (is it damaged, or not what it seems?)",
    )
    assert store.get_upload(app.state.web.db, good)["status"] == "audited"
    # a restart leaves the failed upload alone
    again = make_app()
    again.state.web.processor.idle(timeout=120)
    assert store.get_upload(again.state.web.db, bad)["status"] == row["status"]


def test_a_reader_that_meets_a_limit_fails_the_upload_with_the_reason(
    make_app, workbooks, monkeypatch
) -> None:
    monkeypatch.setenv("AUDITOR_READ_SECONDS", "0.001")  # far less than reading any workbook takes
    app = make_app()

    async def scenario() -> int:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            return upload_id(await ines.upload(workbooks.small_2026))

    upload = run(scenario())
    app.state.web.processor.idle(timeout=120)
    row = store.get_upload(app.state.web.db, upload)
    assert (row["status"], row["message"]) == (
        "failed",
        "reading this file takes longer than 0.001 s; a normal inspection workbook needs far less (is "
        "it damaged, or not what it seems?)",
    )


def test_a_full_disk_while_checking_fails_the_upload_with_that_reason(
    make_app, workbooks, monkeypatch
) -> None:
    import errno

    from auditor.service import processing

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(processing, "write_durably", full)
    app = make_app()

    async def scenario() -> int:
        async with Client(app) as ines:
            await ines.sign_in("ines")
            return upload_id(await ines.upload(workbooks.small_2026))

    upload = run(scenario())
    app.state.web.processor.idle(timeout=120)
    row = store.get_upload(app.state.web.db, upload)
    assert (row["status"], row["message"]) == ("failed", processing.DISK_FULL)
