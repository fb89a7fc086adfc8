"""Sign-off (issue 16, item 1): a draft report marked DRAFT on every page; signing off one audited
version issues the final report, signed with pyHanko (PAdES) by the data folder's key, the results it
was rendered from embedded with their SHA-256 in the signature; `auditor verify` and pyHanko's own
validation accept it and refuse it after one byte changes; checking it again makes a new version and
leaves the signed one as it was. One workspace is audited and signed once for the module (rendering
a report takes seconds); tests that need a second signature sign a small PDF of their own."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from builders import InspectionBuilder
from pypdf import PdfReader
from typer.testing import CliRunner

from auditor.cli import app
from auditor.service import Workspace, reports, signing, signoff
from auditor.service.accounts import add_user
from auditor.service.audits import audit_file
from auditor.service.processing import process_upload

runner = CliRunner()


class Signed:
    """The module's workspace: inspection 1, version 1 audited, its draft kept, then signed off by ada."""

    def __init__(self, root: Path) -> None:
        self.data = root / "data"
        self.ws = Workspace.open(self.data)
        self.ada = add_user(self.ws.db, "ada", "administrator", "ada-password")
        self.ines = add_user(self.ws.db, "ines", "inspector", "ines-password")
        book = InspectionBuilder().with_valid_sheets().xlsx(root / "small.xlsx")
        recorded = audit_file(self.ws, book, self.ada)
        assert recorded.upload["status"] == "audited"
        self.upload = recorded.upload["id"]
        self.inspection = recorded.upload["inspection"]
        self.results = (self.ws.outputs(self.upload) / "results.json").read_bytes()
        old = self.ws.outputs(self.upload) / "report.pdf"  # as releases before drafts left it: unmarked
        old.write_bytes(b"%PDF-1.7 an unmarked report")
        draft = reports.facility_report(self.ws, self.upload)
        assert draft.name == "draft.pdf"
        self.draft = draft.read_bytes()
        self.done = signoff.sign_off(self.ws, self.inspection, self.ada)
        self.pdf = self.done.path.read_bytes()


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> Signed:
    return Signed(tmp_path_factory.mktemp("signoff"))


def verify(*args: str) -> tuple[int, list[str]]:
    result = runner.invoke(app, ["verify", *args])
    return result.exit_code, result.output.strip().splitlines()


def flipped(pdf: bytes, at: int) -> bytes:
    changed = bytearray(pdf)
    changed[at] ^= 0x01
    return bytes(changed)


# ---------------------------------------------------------------------------- drafts


def test_a_draft_is_marked_draft_on_every_page(signed: Signed) -> None:
    reader = PdfReader(io.BytesIO(signed.draft))
    assert len(reader.pages) > 5
    for number, page in enumerate(reader.pages, 1):
        assert "DRAFT — not signed off" in page.extract_text(), f"page {number} has no DRAFT mark"
    assert "Draft: not signed off by an administrator" in reader.pages[0].extract_text()
    assert not signing.check_bytes(signed.draft, [], "draft.pdf").valid  # a draft carries no signature


def test_the_signed_report_is_marked_nowhere_as_draft_and_states_its_issue(signed: Signed) -> None:
    reader = PdfReader(io.BytesIO(signed.pdf))
    assert all("DRAFT" not in page.extract_text() for page in reader.pages)
    cover = " ".join(reader.pages[0].extract_text().split())
    day = dt.date.fromisoformat(signed.done.signed_at[:10])
    assert f"Issued {day.day} {day:%B %Y}" in cover and "version 1" in cover
    assert (
        "Signed off by ada, administrator · digitally signed (PAdES) with a self-signed certificate" in cover
    )
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    appendix = text[text.index("Sign-off and digital signature") :]
    assert hashlib.sha256(signed.results).hexdigest() in appendix.replace(" ", "")
    assert signed.done.fingerprint in appendix.replace(" ", "")
    assert "The certificate is self-signed" in appendix


# ---------------------------------------------------------------------------- the signature


def test_the_signed_report_embeds_the_results_it_was_rendered_from(signed: Signed) -> None:
    attachments = PdfReader(io.BytesIO(signed.pdf)).attachments
    assert list(attachments) == ["INSP-2026-0001-v1-results.json"]
    assert attachments["INSP-2026-0001-v1-results.json"] == [signed.results]
    assert signed.done.results_sha256 == hashlib.sha256(signed.results).hexdigest()
    assert signed.done.pdf_sha256 == hashlib.sha256(signed.pdf).hexdigest()
    assert signed.done.path == signed.data / "signed" / f"{signed.done.pdf_sha256}.pdf"


def test_auditor_verify_accepts_the_signed_report(signed: Signed) -> None:
    code, lines = verify(str(signed.done.path), "--data", str(signed.data))
    assert code == 0 and len(lines) == 1, lines
    assert lines[0].startswith(f"valid: {signed.done.path.name}: signed by ")
    assert "auditor sign-off (self-signed)" in lines[0] and "the whole file is covered" in lines[0]
    assert f"embedded results SHA-256 {hashlib.sha256(signed.results).hexdigest()} as signed" in lines[0]


def test_pyhankos_own_validation_accepts_the_signed_report(signed: Signed) -> None:
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    certificate = load_cert_from_pemder(str(signed.data / "signing" / "self-signed.pem"))
    (signature,) = PdfFileReader(io.BytesIO(signed.pdf)).embedded_signatures
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[certificate]))
    assert status.bottom_line and status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert str(signature.sig_object["/SubFilter"]) == "/ETSI.CAdES.detached"  # PAdES
    reason = str(signature.sig_object["/Reason"])
    assert reason == "auditor sign-off; results SHA-256 " + hashlib.sha256(signed.results).hexdigest()


@pytest.mark.parametrize("where", [0.1, 0.5, 0.9])
def test_one_byte_changed_fails_verify_and_pyhanko(signed: Signed, tmp_path: Path, where: float) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    at = int(len(signed.pdf) * where)
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(flipped(signed.pdf, at))
    code, lines = verify(str(changed), "--data", str(signed.data))
    assert code == 1 and len(lines) == 1 and lines[0].startswith("invalid: changed.pdf: "), lines
    try:
        signatures = PdfFileReader(io.BytesIO(changed.read_bytes()), strict=False).embedded_signatures
        intact = len(signatures) == 1 and validate_pdf_signature(signatures[0]).intact
    except Exception:  # the changed byte broke the file's structure: pyHanko cannot read it at all
        intact = False
    assert not intact


def test_a_byte_changed_in_the_embedded_results_breaks_the_signature(signed: Signed, tmp_path: Path) -> None:
    # a byte inside the embedded results' stream (compressed or not, it is inside the signed range)
    at = signed.pdf.find(b"/EmbeddedFile")
    assert at > 0
    changed = tmp_path / "results-changed.pdf"
    changed.write_bytes(flipped(signed.pdf, signed.pdf.index(b"stream", at) + 20))
    code, lines = verify(str(changed), "--data", str(signed.data))
    assert code == 1 and "invalid: results-changed.pdf: " in lines[0]


def test_bytes_appended_after_the_signature_fail(signed: Signed, tmp_path: Path) -> None:
    changed = tmp_path / "appended.pdf"
    changed.write_bytes(signed.pdf + b"\n% a later edit\n")
    code, lines = verify(str(changed), "--data", str(signed.data))
    assert code == 1 and len(lines) == 1, lines
    assert "does not cover the file" in lines[0] or "changed" in lines[0]


def test_verify_needs_a_trusted_certificate(signed: Signed, tmp_path: Path) -> None:
    code, lines = verify(str(signed.done.path))
    assert code == 1 and len(lines) == 1
    assert "intact, but signed by" in lines[0] and "give --trust CERT or --data DIR" in lines[0]
    pem = tmp_path / "cert.pem"
    pem.write_bytes(signing.identity(signed.data, create=False).certificate)  # DER works as well
    code, lines = verify(str(signed.done.path), "--trust", str(pem))
    assert code == 0 and lines[0].startswith("valid: ")
    other = signing.identity(tmp_path / "elsewhere")  # another data folder's self-signed key
    code, lines = verify(str(signed.done.path), "--data", str(tmp_path / "elsewhere"))
    assert other is not None and code == 1 and "a certificate not trusted here" in lines[0]


def test_verify_refuses_files_that_are_not_signed_reports_in_one_line(signed: Signed, tmp_path: Path) -> None:
    cases = {
        "text.pdf": b"not a pdf at all",
        "empty.pdf": b"",
        "draft.pdf": signed.draft,
        "truncated.pdf": signed.pdf[: len(signed.pdf) // 2],
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        code, lines = verify(str(tmp_path / name), "--data", str(signed.data))
        assert code == 1 and len(lines) == 1 and lines[0].startswith(f"invalid: {name}: "), (name, lines)
    assert "0 signatures" in verify(str(tmp_path / "draft.pdf"), "--data", str(signed.data))[1][0]
    garbage = tmp_path / "garbage.pem"
    garbage.write_bytes(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    result = runner.invoke(app, ["verify", str(signed.done.path), "--trust", str(garbage)])
    assert result.exit_code == 2 and result.output.startswith("error: ") and "Traceback" not in result.output
    empty = tmp_path / "no-key-here"
    empty.mkdir()
    result = runner.invoke(app, ["verify", str(signed.done.path), "--data", str(empty)])
    assert result.exit_code == 2 and "has no signing certificate" in result.output
    assert not (empty / "signing").exists()  # checking never makes a key


# ---------------------------------------------------------------------------- who signs, and once


def test_the_self_signed_key_is_made_once_and_readable_by_its_owner_only(signed: Signed) -> None:
    own = signed.data / "signing" / "self-signed.pem"
    assert stat.S_IMODE(own.stat().st_mode) == 0o600
    assert stat.S_IMODE(own.parent.stat().st_mode) == 0o700
    first, again = signing.identity(signed.data), signing.identity(signed.data)
    assert first.fingerprint == again.fingerprint == signed.done.fingerprint
    assert first.self_signed and signed.done.self_signed


def test_only_an_administrator_signs_off(signed: Signed) -> None:
    with pytest.raises(signoff.NotAdministrator, match="ines is an inspector: only an administrator"):
        signoff.sign_off(signed.ws, signed.inspection, signed.ines)
    result = runner.invoke(app, ["signoff", "INSP-2026-0001", "--data", str(signed.data), "--as", "ines"])
    assert result.exit_code == 1
    assert result.output.strip() == "error: ines is an inspector: only an administrator can sign off a report"


def test_a_version_is_signed_off_once(signed: Signed) -> None:
    result = runner.invoke(app, ["signoff", "INSP-2026-0001", "--data", str(signed.data), "--as", "ada"])
    assert result.exit_code == 1
    assert "version 1 of inspection INSP-2026-0001 was signed off already, by ada" in result.output
    with sqlite3.connect(signed.ws.database) as conn:
        assert conn.execute("SELECT count(*) FROM signoffs").fetchone()[0] == 1
        with pytest.raises(sqlite3.IntegrityError, match="never changed"):
            conn.execute("UPDATE signoffs SET signer_name = 'mallory'")
        with pytest.raises(sqlite3.IntegrityError, match="never removed"):
            conn.execute("DELETE FROM signoffs")


def test_signoff_names_what_it_cannot_find(signed: Signed) -> None:
    for args, message in [
        (["INSP-1999-0001"], "there is no inspection 'INSP-1999-0001' in this data folder"),
        (
            ["INSP-2026-0001", "--facility", "NOPE-1"],
            "there is no inspection 'INSP-2026-0001' at facility NOPE-1 in this data folder",
        ),
    ]:
        result = runner.invoke(app, ["signoff", *args, "--data", str(signed.data), "--as", "ada"])
        assert result.exit_code == 1 and result.output.strip() == f"error: {message}"
    result = runner.invoke(app, ["signoff", "1", "--data", str(signed.data), "--as", "nobody"])
    assert result.exit_code == 1 and "there is no such account" in result.output


def test_the_served_report_of_a_signed_version_is_the_stored_signed_pdf(signed: Signed) -> None:
    assert reports.facility_report(signed.ws, signed.upload) == signed.done.path
    assert reports.facility_report(signed.ws, signed.upload).read_bytes() == signed.pdf


# ---------------------------------------------------------------------------- checking again


def test_checking_a_signed_version_again_makes_a_new_version(signed: Signed, tmp_path: Path) -> None:
    data = tmp_path / "copy"
    shutil.copytree(signed.data, data)  # the module's workspace stays as signed for the other tests
    ws = Workspace.open(data)
    before = {p.relative_to(data): p.read_bytes() for p in (data / "outputs" / str(signed.upload)).iterdir()}
    new = signoff.version_to_check(ws, signed.ada, signed.upload)
    assert new != signed.upload
    assert process_upload(ws, new)[0] == "audited"
    from auditor.service import store

    inspection = store.get_inspection(ws.db, signed.inspection)
    assert [v["version"] for v in inspection["versions"]] == [2, 1]
    assert inspection["latest"]["id"] == new
    after = {p.relative_to(data): p.read_bytes() for p in (data / "outputs" / str(signed.upload)).iterdir()}
    assert after == before  # the signed version's results and files are untouched
    stored = data / "signed" / f"{signed.done.pdf_sha256}.pdf"
    assert stored.read_bytes() == signed.pdf
    assert signoff.signoff_of_upload(ws, signed.upload) == signoff.signoff_of_upload(ws, signed.upload)
    assert reports.facility_report(ws, signed.upload) == stored
    assert signing.verify_pdf(stored, [signing.identity(data, create=False).certificate]).valid
    # an unsigned version is checked in place, as before
    assert signoff.version_to_check(ws, signed.ada, new) == new
