"""The signing key of a data folder (configured PEM or PKCS#12, else self-signed, made once with mode
0600), PAdES signing with pyHanko and the checks of `auditor verify`, on small PDFs of their own (the
whole sign-off, with a report, is tests/test_signoff.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import stat
from pathlib import Path

import pytest

from auditor.service import signing


@pytest.fixture(autouse=True)
def no_configured_key(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AUDITOR_SIGNING_KEY", "AUDITOR_SIGNING_CERT", "AUDITOR_SIGNING_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


# ---------------------------------------------------------------------------- configured keys


def _key_and_certificate(folder: Path, common_name: str) -> tuple[Path, Path, bytes, bytes]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives import serialization as ser
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8, ser.NoEncryption())
    cert_pem = cert.public_bytes(ser.Encoding.PEM)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "key.pem").write_bytes(key_pem)
    (folder / "cert.pem").write_bytes(cert_pem)
    from cryptography.hazmat.primitives.serialization import pkcs12

    p12 = pkcs12.serialize_key_and_certificates(
        b"signer", key, cert, None, ser.BestAvailableEncryption(b"s3cret-pass")
    )
    (folder / "signing.p12").write_bytes(p12)
    return folder / "key.pem", folder / "cert.pem", key_pem, cert_pem


def _small_report(folder: Path, results: bytes) -> bytes:
    from auditor.report.pdf import Attachment, write_pdf

    out = write_pdf(
        '<html lang="en"><p>a small report</p></html>',
        folder / "small.pdf",
        attachments=(Attachment("x-results.json", results, "r"),),
    )
    return out.read_bytes()


def test_a_configured_pem_or_pkcs12_key_signs_instead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = signing.identity(tmp_path / "other-data")  # a self-signed one, made before a key is configured
    key, cert, _key_pem, _cert_pem = _key_and_certificate(tmp_path / "keys", "Detention Oversight Signer")
    monkeypatch.setenv("AUDITOR_SIGNING_KEY", str(key))
    monkeypatch.setenv("AUDITOR_SIGNING_CERT", str(cert))
    who = signing.identity(tmp_path / "data")
    assert who is not None and who.subject == "Common Name: Detention Oversight Signer"
    assert not who.self_signed and not (tmp_path / "data" / "signing").exists()  # nothing made

    results = b'{"schema_version": 2}\n'
    pdf = signing.sign_pdf(
        _small_report(tmp_path, results),
        who,
        results_sha256=hashlib.sha256(results).hexdigest(),
        signer_name="ada (administrator)",
        location="test",
    )
    (tmp_path / "signed.pdf").write_bytes(pdf)
    verdict = signing.verify_pdf(tmp_path / "signed.pdf", signing.trusted_certificates(cert))
    assert verdict.valid and "signed by Common Name: Detention Oversight Signer" in verdict.line, verdict
    assert (  # trusting another certificate
        "a certificate not trusted here"
        in signing.verify_pdf(tmp_path / "signed.pdf", [other.certificate]).line
    )
    lied = signing.sign_pdf(  # a signature naming other results than those embedded
        _small_report(tmp_path, results), who, results_sha256="0" * 64, signer_name="x", location="x"
    )
    assert (
        "is not the signed 0000000000000000" in signing.check_bytes(lied, [who.certificate], "lied.pdf").line
    )

    monkeypatch.setenv("AUDITOR_SIGNING_KEY", str(tmp_path / "keys" / "signing.p12"))
    monkeypatch.delenv("AUDITOR_SIGNING_CERT")
    monkeypatch.setenv("AUDITOR_SIGNING_PASSWORD", "s3cret-pass")
    assert signing.identity(tmp_path / "data").fingerprint == who.fingerprint
    monkeypatch.setenv("AUDITOR_SIGNING_PASSWORD", "wrong")
    with pytest.raises(signing.SigningError, match=r"signing\.p12: not a PKCS#12 file this password opens"):
        signing.identity(tmp_path / "data")


def test_keys_placed_in_the_data_folder_are_used(tmp_path: Path) -> None:
    _key_and_certificate(tmp_path / "data" / "signing", "Placed Signer")
    (tmp_path / "data" / "signing" / "signing.p12").unlink()
    assert signing.identity(tmp_path / "data").subject == "Common Name: Placed Signer"
    _, _, _, other_cert = _key_and_certificate(tmp_path / "other", "Someone Else")
    (tmp_path / "data" / "signing" / "cert.pem").write_bytes(other_cert)
    with pytest.raises(signing.SigningError, match="the certificate is not the private key's"):
        signing.identity(tmp_path / "data")
    (tmp_path / "data" / "signing" / "key.pem").write_bytes(
        b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
    )
    with pytest.raises(signing.SigningError, match=r"key\.pem: not a private key"):
        signing.identity(tmp_path / "data")


def test_without_a_configured_key_one_self_signed_key_is_made_once_for_its_owner(tmp_path: Path) -> None:
    assert signing.identity(tmp_path / "data", create=False) is None
    made = signing.identity(tmp_path / "data")
    own = tmp_path / "data" / "signing" / "self-signed.pem"
    assert stat.S_IMODE(own.stat().st_mode) == 0o600
    assert stat.S_IMODE(own.parent.stat().st_mode) == 0o700
    assert made.self_signed and "auditor sign-off (self-signed)" in made.subject
    assert made.fingerprint == hashlib.sha256(made.certificate).hexdigest()
    again = signing.identity(tmp_path / "data", create=False)
    assert again.fingerprint == made.fingerprint and own.read_bytes().count(b"-----BEGIN") == 2


def _signed_again(pdf: bytes, who: signing.Identity) -> bytes:
    """A second signature in another field (sign_pdf always fills the one field of a sign-off)."""
    import io

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    meta = signers.PdfSignatureMetadata(field_name="Another")
    return signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer=who.signer).getvalue()


def _updated(pdf: bytes) -> bytes:
    """The signed PDF with an incremental update after the signature (a title changed)."""
    import io

    from pyhanko.pdf_utils.generic import NameObject, TextStringObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    writer.root[NameObject("/Lang")] = TextStringObject("fr")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_checking_refuses_what_is_not_one_intact_signature(tmp_path: Path) -> None:
    who = signing.identity(tmp_path / "data")
    results = b'{"schema_version": 2}\n'
    unsigned = _small_report(tmp_path, results)
    pdf = signing.sign_pdf(
        unsigned, who, results_sha256=hashlib.sha256(results).hexdigest(), signer_name="a", location="b"
    )
    assert signing.check_bytes(pdf, [who.certificate], "ok.pdf").valid
    twice = _signed_again(pdf, who)
    cases = {
        "unsigned.pdf": (unsigned, "0 signatures, where a signed report has exactly one"),
        "twice.pdf": (twice, "2 signatures"),
        "updated.pdf": (_updated(pdf), "something was added after the signature"),
        "text.pdf": (b"hello", "not a readable signed PDF"),
    }
    for name, (data, expected) in cases.items():
        verdict = signing.check_bytes(data, [who.certificate], name)
        assert not verdict.valid and expected in verdict.line and "\n" not in verdict.line, (name, verdict)
    huge = tmp_path / "huge.pdf"
    with huge.open("wb") as handle:
        handle.truncate(signing.PDF_MAX + 1)  # sparse: never read
    assert "larger than a report can be" in signing.verify_pdf(huge, [who.certificate]).line


def test_serve_takes_the_signing_key_as_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from auditor.cli import _signing_key
    from auditor.errors import ConfigError

    monkeypatch.setenv("AUDITOR_SIGNING_KEY", "restored after the test")
    monkeypatch.setenv("AUDITOR_SIGNING_CERT", "restored after the test")
    key, cert, _, _ = _key_and_certificate(tmp_path / "keys", "Served Signer")
    _signing_key(tmp_path / "data", key, cert)
    assert signing.identity(tmp_path / "data").subject == "Common Name: Served Signer"
    with pytest.raises(signing.SigningError, match="not a PKCS#12 file this password opens"):
        _signing_key(tmp_path / "data", tmp_path / "keys" / "signing.p12", None)  # no password given
    with pytest.raises(ConfigError, match="give both"):
        _signing_key(tmp_path / "data", None, cert)
    assert not (tmp_path / "data" / "signing").exists()  # a configured key: no self-signed one is made
