"""Sign-off: an administrator approves one audited version of an inspection, and its report is issued.

Until then the report is a draft (every page marked DRAFT). Signing off renders the final report
from the version's results file, exactly those bytes embedded in it and their SHA-256 in its
signature, signs it (PAdES, auditor.service.signing) and stores it once in `signed/<sha256>.pdf`;
it is served as it is from then on, never rendered again. Checking a signed version again (a new
waiver, "Check again") makes a new version of the inspection: the signed one never changes. Both
faces call these functions: `auditor signoff` and the inspection page's button.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.db import Database, now
from auditor.errors import AuditorError
from auditor.service import signing, store
from auditor.service.accounts import User
from auditor.service.files import write_durably

if TYPE_CHECKING:
    from auditor.service.workspace import Workspace

SIGNED_DIR = "signed"
_signing = threading.Lock()  # one sign-off at a time in this process: each renders a PDF


class SignOffError(AuditorError):
    """Raised when an inspection cannot be signed off as asked (not found, not audited, done already)."""


class NotAdministrator(SignOffError):
    """Raised when someone who is not an administrator asks to sign off."""


@dataclass(frozen=True)
class SignOff:
    id: int
    inspection: int
    upload: int
    version: int
    results_sha256: str
    pdf_sha256: str
    signer_name: str
    signer_role: str
    signed_at: str
    certificate: str
    fingerprint: str
    self_signed: bool
    path: Path  # the signed PDF, as stored


# ---------------------------------------------------------------------------- reading


def signoffs(ws: Workspace, inspection: int) -> list[SignOff]:
    """The inspection's sign-offs, newest first."""
    with ws.db.read() as conn:
        rows = conn.execute(
            "SELECT * FROM signoffs WHERE inspection = ? ORDER BY id DESC", (inspection,)
        ).fetchall()
    return [_signoff(ws, row) for row in rows]


def signoff_of_upload(ws: Workspace, upload_id: int) -> SignOff | None:
    with ws.db.read() as conn:
        row = conn.execute("SELECT * FROM signoffs WHERE upload = ?", (upload_id,)).fetchone()
    return _signoff(ws, row) if row else None


def signed_report(ws: Workspace, upload_id: int) -> Path | None:
    """The stored signed PDF of this version, or None when it is not signed off."""
    done = signoff_of_upload(ws, upload_id)
    return done.path if done else None


def _signoff(ws: Workspace, row: sqlite3.Row) -> SignOff:
    fields = {key: row[key] for key in row.keys() if key != "signer"}  # noqa: SIM118 (Row iterates values)
    fields["self_signed"] = bool(fields["self_signed"])
    return SignOff(**fields, path=signed_dir(ws) / f"{row['pdf_sha256']}.pdf")


def signed_dir(ws: Workspace) -> Path:
    return ws.data_dir / SIGNED_DIR


def find_inspection(db: Database, name: str, facility_id: str | None = None) -> int:
    """The inspection a person names: its number in the web app (/inspections/N), or its inspection
    id (with the facility's id when two facilities use the same one)."""
    with db.read() as conn:
        if name.isdigit() and facility_id is None:
            row = conn.execute("SELECT id FROM inspections WHERE id = ?", (int(name),)).fetchone()
            if row:
                return int(row["id"])
        where, params = "inspection_id = ?", [name]
        if facility_id is not None:
            where, params = where + " AND facility_id = ?", [*params, facility_id]
        rows = conn.execute(f"SELECT id, facility_id FROM inspections WHERE {where}", params).fetchall()
    if not rows:
        at = f" at facility {facility_id}" if facility_id else ""
        raise SignOffError(f"there is no inspection {name!r}{at} in this data folder")
    if len(rows) > 1:
        facilities = ", ".join(sorted(r["facility_id"] for r in rows))
        raise SignOffError(
            f"inspection {name!r} exists at {len(rows)} facilities ({facilities}): add --facility"
        )
    return int(rows[0]["id"])


# ---------------------------------------------------------------------------- signing off


def sign_off(ws: Workspace, inspection: int, user: User, *, upload_id: int | None = None) -> SignOff:
    """Sign off the inspection's latest version (which must be audited) in `user`'s name. With
    `upload_id` (the version the signer was shown), refuse when a newer version came since."""
    if not user.is_admin:
        raise NotAdministrator(f"{user.name} is an {user.role}: only an administrator can sign off a report")
    found = store.get_inspection(ws.db, inspection)
    if found is None:
        raise SignOffError(f"there is no inspection {inspection}")
    latest = found["latest"]
    if latest is None or latest["status"] != "audited":
        state = f"version {latest['version']} is {latest['status']}" if latest else "it has no version"
        raise SignOffError(
            f"inspection {found['inspection_id']} cannot be signed off: {state}; only an audited latest "
            "version can be"
        )
    if upload_id is not None and upload_id != latest["id"]:
        raise SignOffError(
            f"inspection {found['inspection_id']} has a newer version ({latest['version']}) than the one "
            "shown: read it, then sign it off"
        )
    with _signing:
        done = signoff_of_upload(ws, latest["id"])
        if done is not None:
            raise SignOffError(
                f"version {done.version} of inspection {found['inspection_id']} was signed off already, "
                f"by {done.signer_name} on {done.signed_at}"
            )
        return _sign(ws, found, latest, user)


def _sign(ws: Workspace, found: dict[str, Any], latest: dict[str, Any], user: User) -> SignOff:
    from auditor.contracts.results import Results
    from auditor.report.facility import Issue, facility_html
    from auditor.report.pdf import Attachment, write_pdf
    from auditor.service.trends import report_parts

    results_file = ws.outputs(latest["id"]) / "results.json"
    raw = results_file.read_bytes()  # the very bytes embedded and hashed
    results_sha = hashlib.sha256(raw).hexdigest()
    results = Results.read(results_file)
    if results_file.read_bytes() != raw:  # checked again meanwhile: render and embed the same bytes
        raise SignOffError(
            f"version {latest['version']} was being checked again: sign it off once it is done"
        )
    who = signing.identity(ws.data_dir)
    assert who is not None  # created when none is configured
    signed_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    issue = Issue(
        issued=signed_at.strftime("%Y-%m-%d %H:%M:%S"),
        signer=user.name,
        role=user.role,
        version=int(latest["version"]),
        results_sha256=results_sha,
        certificate=who.subject,
        fingerprint=who.fingerprint,
        self_signed=who.self_signed,
    )
    folder = signed_dir(ws)
    folder.mkdir(parents=True, exist_ok=True)
    draft = folder / f".render-{latest['id']}.pdf"
    name = f"{found['inspection_id']}-v{latest['version']}-{signing.RESULTS_NAME}"
    try:
        write_pdf(
            facility_html(results, issue=issue, **report_parts(ws, latest["id"])),
            draft,
            attachments=(Attachment(name, raw, "Audit results signed off (auditor results JSON)"),),
        )
        pdf = signing.sign_pdf(
            draft.read_bytes(),
            who,
            results_sha256=results_sha,
            signer_name=f"{user.name} ({user.role})",
            location=f"auditor, inspection {found['inspection_id']} of {found['facility_id']}",
        )
    finally:
        draft.unlink(missing_ok=True)
    pdf_sha = hashlib.sha256(pdf).hexdigest()
    path = write_durably(folder / f"{pdf_sha}.pdf", pdf)
    try:
        with ws.db.write() as conn:
            cursor = conn.execute(
                "INSERT INTO signoffs (inspection, upload, version, results_sha256, pdf_sha256, signer,"
                " signer_name, signer_role, signed_at, certificate, fingerprint, self_signed)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    found["id"],
                    latest["id"],
                    latest["version"],
                    results_sha,
                    pdf_sha,
                    user.id,
                    user.name,
                    user.role,
                    signed_at.isoformat(),
                    who.subject,
                    who.fingerprint,
                    int(who.self_signed),
                ),
            )
            ws.db.log(
                conn,
                user.name,
                "inspection.signoff",
                f"inspection {found['id']}",
                f"version {latest['version']}; results sha256 {results_sha[:12]}…; pdf {pdf_sha[:12]}…",
                facility_id=found["facility_id"],
                inspection_id=found["inspection_id"],
            )
    except sqlite3.IntegrityError:  # another process signed it off meanwhile: theirs stands
        path.unlink(missing_ok=True)
        raise SignOffError(
            f"version {latest['version']} of {found['inspection_id']} was signed off meanwhile"
        ) from None
    done = signoff_of_upload(ws, latest["id"])
    assert done is not None and done.id == cursor.lastrowid
    return done


# ---------------------------------------------------------------------------- checking again


def version_to_check(ws: Workspace, user: User, upload_id: int) -> int:
    """The upload to check again when `user` asks to re-check `upload_id`: itself, or, when it is
    signed off, a new upload of the same stored file filed as the inspection's next version (so the
    signed version, its results and its report never change)."""
    done = signoff_of_upload(ws, upload_id)
    if done is None:
        return upload_id
    upload = store.get_upload(ws.db, upload_id)
    assert upload is not None
    with ws.db.write() as conn:
        cursor = conn.execute(
            "INSERT INTO uploads (sha256, size, original_name, uploaded_by, uploaded_at,"
            " requested_inspection, status) VALUES (?, ?, ?, ?, ?, ?, 'received')",
            (upload["sha256"], upload["size"], upload["original_name"], user.id, now(), done.inspection),
        )
        new_id = int(cursor.lastrowid or 0)
        ws.db.log(
            conn,
            user.name,
            "upload.recheck-signed",
            f"upload {new_id}",
            f"version {done.version} (upload {upload_id}) is signed off: checked again as a new version",
            facility_id=upload["facility_id"],
            inspection_id=upload["inspection_id"],
        )
    return new_id
