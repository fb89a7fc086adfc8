"""The key a data folder signs reports with, PAdES signing (pyHanko), and checking a signed report.

Where the key and certificate come from, first found wins:

    AUDITOR_SIGNING_KEY (+ AUDITOR_SIGNING_CERT)   a PKCS#12 file (.p12/.pfx), or a PEM/DER key and
                                                   its certificate; AUDITOR_SIGNING_PASSWORD if locked
    <data>/signing/signing.p12                     a PKCS#12 file placed in the data folder
    <data>/signing/key.pem + cert.pem              a key and its certificate placed there
    <data>/signing/self-signed.pem                 made here on first use (mode 0600): key + certificate

A self-signed certificate proves only that the report was not changed since this data folder
signed it; the report says so. Checking (`verify_pdf`) reads the PDF, an untrusted file, in a
bounded child process (auditor.untrusted).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.errors import AuditorError, ConfigError

SIGNING_DIR = "signing"
SELF_SIGNED = "self-signed.pem"
KEY_FILE_MAX = 1 << 20  # a key, certificate or PKCS#12 file is a few KB
PDF_MAX = 512 << 20  # a signed report to check: far larger than any report this auditor writes
RESULTS_NAME = "results.json"
REASON_PREFIX = "auditor sign-off; results SHA-256 "
_PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----\s.*?-----END \1-----", re.S)


class SigningError(AuditorError):
    """Raised when the data folder's signing key cannot be used, or a report cannot be signed."""


@dataclass(frozen=True)
class Identity:
    """Who signs: pyHanko's signer, its certificate (DER), where it came from, whether we made it."""

    signer: Any  # pyhanko.sign.signers.SimpleSigner
    certificate: bytes  # DER
    subject: str
    fingerprint: str  # SHA-256 of the DER certificate, hex
    source: str
    self_signed: bool  # made by this auditor in the data folder (nobody vouches for it)


@dataclass(frozen=True)
class Verdict:
    valid: bool
    line: str  # one line: what was checked and found


# ---------------------------------------------------------------------------- the signing identity


def identity(data_dir: Path, *, create: bool = True) -> Identity | None:
    """The data folder's signing identity (see the module's docstring); with `create`, a self-signed
    one is made when nothing is configured, else None is returned then."""
    env_key = os.environ.get("AUDITOR_SIGNING_KEY")
    password = os.environ.get("AUDITOR_SIGNING_PASSWORD")
    if env_key:
        env_cert = os.environ.get("AUDITOR_SIGNING_CERT")
        return _configured(Path(env_key), Path(env_cert) if env_cert else None, password)
    folder = data_dir / SIGNING_DIR
    if (folder / "signing.p12").is_file():
        return _configured(folder / "signing.p12", None, password)
    if (folder / "key.pem").is_file():
        return _configured(folder / "key.pem", folder / "cert.pem", password)
    own = folder / SELF_SIGNED
    if not own.is_file():
        if not create:
            return None
        _make_self_signed(own)
    blob = _read_small(own)
    return _from_pem(blob, blob, None, str(own), self_signed=True)


def _configured(key: Path, cert: Path | None, password: str | None) -> Identity:
    data = _read_small(key)
    secret = password.encode() if password else None
    if key.suffix.lower() in (".p12", ".pfx"):
        from cryptography.hazmat.primitives.serialization import pkcs12

        try:
            private, certificate, _others = pkcs12.load_key_and_certificates(data, secret)
        except (ValueError, TypeError) as exc:
            raise SigningError(f"{key}: not a PKCS#12 file this password opens ({_short(exc)})") from None
        if private is None or certificate is None:
            raise SigningError(f"{key}: the PKCS#12 file must hold a private key and its certificate")
        from cryptography.hazmat.primitives import serialization as ser

        pem_key = private.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8, ser.NoEncryption())
        return _from_pem(pem_key, certificate.public_bytes(ser.Encoding.PEM), None, str(key), False)
    return _from_pem(data, _read_small(cert) if cert else data, secret, str(key), self_signed=False)


def _from_pem(key_data: bytes, cert_data: bytes, password: bytes | None, source: str, self_signed: bool):
    from asn1crypto import x509
    from pyhanko.keys import load_private_key_from_pemder_data
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key_block = _block(key_data, b"PRIVATE KEY") or key_data
    cert_block = _block(cert_data, b"CERTIFICATE") or cert_data
    try:
        key = load_private_key_from_pemder_data(key_block, passphrase=password)
    except (ValueError, TypeError) as exc:
        raise SigningError(f"{source}: not a private key this password opens ({_short(exc)})") from None
    try:
        der = _der(cert_block)
        cert = x509.Certificate.load(der)
        _ = cert.native  # parse it all now: a damaged certificate fails here, not while signing
    except (ValueError, TypeError) as exc:
        raise SigningError(f"{source}: the certificate cannot be read ({_short(exc)})") from None
    if not _same_public_key(key_block, password, der):
        raise SigningError(f"{source}: the certificate is not the private key's")
    signer = signers.SimpleSigner(
        signing_cert=cert, signing_key=key, cert_registry=SimpleCertificateStore.from_certs([cert])
    )
    return Identity(
        signer, der, cert.subject.human_friendly, hashlib.sha256(der).hexdigest(), source, self_signed
    )


def _same_public_key(key_data: bytes, password: bytes | None, cert_der: bytes) -> bool:
    from cryptography import x509 as pyca_x509
    from cryptography.hazmat.primitives import serialization as ser

    load = ser.load_pem_private_key if key_data.lstrip().startswith(b"-----") else ser.load_der_private_key
    mine = load(key_data, password=password).public_key()
    theirs = pyca_x509.load_der_x509_certificate(cert_der).public_key()
    spki = (ser.Encoding.DER, ser.PublicFormat.SubjectPublicKeyInfo)
    return mine.public_bytes(*spki) == theirs.public_bytes(*spki)


def _block(data: bytes, kind: bytes) -> bytes | None:
    """The first PEM block whose type ends with `kind` (PRIVATE KEY covers RSA/EC/ENCRYPTED)."""
    for match in _PEM_BLOCK.finditer(data):
        if match[1].endswith(kind):
            return match[0]
    return None


def _der(cert: bytes) -> bytes:
    from asn1crypto import pem

    if pem.detect(cert):
        _kind, _headers, der = pem.unarmor(cert)
        return der
    return cert


def _read_small(path: Path) -> bytes:
    try:
        if path.stat().st_size > KEY_FILE_MAX:
            raise SigningError(f"{path}: larger than a key or certificate file can be (1 MB)")
        return path.read_bytes()
    except OSError as exc:
        raise SigningError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def _make_self_signed(target: Path) -> None:
    """A new EC P-256 key and a ten-year self-signed certificate, in one file readable by its owner
    only. Written aside and linked into place: two processes making it at once keep one of them."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives import serialization as ser
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "auditor sign-off (self-signed)"),
            x509.NameAttribute(
                NameOID.ORGANIZATION_NAME, f"auditor data folder {target.parent.parent.name}"[:64]
            ),
        ]
    )
    start = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=3653))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    blob = key.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8, ser.NoEncryption())
    blob += certificate.public_bytes(ser.Encoding.PEM)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(target.parent, 0o700)
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another process made one first: theirs is kept
            os.link(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def trusted_certificates(path: Path) -> list[bytes]:
    """The certificates (DER) of a PEM or DER file given with --trust."""
    data = _read_small(path)
    blocks = [m[0] for m in _PEM_BLOCK.finditer(data) if m[1] == b"CERTIFICATE"]
    found = [_der(b) for b in blocks] if blocks else [data]
    from asn1crypto import x509

    try:
        for der in found:
            _ = x509.Certificate.load(der).native
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{path}: not a certificate (PEM or DER): {_short(exc)}") from None
    return found


# ---------------------------------------------------------------------------- signing


def sign_pdf(pdf: bytes, who: Identity, *, results_sha256: str, signer_name: str, location: str) -> bytes:
    """`pdf` with one PAdES signature over the whole file. The signature's reason names the SHA-256
    of the embedded results, so checking finds it inside the signed bytes."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name="AuditorSignOff",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=REASON_PREFIX + results_sha256,
        name=signer_name,
        location=location[:200],
    )
    out = signers.sign_pdf(writer, meta, signer=who.signer)
    return out.getvalue()


# ---------------------------------------------------------------------------- checking


def verify_pdf(path: Path, trust: list[bytes]) -> Verdict:
    """Check a signed report: one signature, intact, over the whole file, by a trusted certificate,
    and the embedded results whose SHA-256 the signature names. Never raises for a bad file."""
    from auditor import untrusted

    try:
        size = path.stat().st_size
        if size > PDF_MAX:
            return Verdict(False, f"{path.name}: larger than a report can be ({size} bytes)")
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        return untrusted.run(check_bytes, data, trust, path.name, what=path.name)
    except AuditorError as exc:  # the child met a limit or died: the file is not a report we can check
        return Verdict(False, f"{path.name}: cannot be checked: {exc}")


def check_bytes(data: bytes, trust: list[bytes], name: str) -> Verdict:
    """The checks of verify_pdf on the bytes (run inside the bounded child)."""
    try:
        return _check(data, trust, name)
    except Exception as exc:  # a hostile file can fail any parser step: it is then not a valid report
        return Verdict(False, f"{name}: not a readable signed PDF ({type(exc).__name__}: {_short(exc)})")


def _check(data: bytes, trust: list[bytes], name: str) -> Verdict:
    import logging

    from asn1crypto import x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)  # its warnings would add lines
    logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    signatures = reader.embedded_signatures
    if len(signatures) != 1:
        return Verdict(False, f"{name}: {len(signatures)} signatures, where a signed report has exactly one")
    signature = signatures[0]
    roots = [x509.Certificate.load(der) for der in trust]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    status = validate_pdf_signature(signature, context)
    if not status.intact:
        return Verdict(False, f"{name}: its bytes were changed after it was signed (the digest differs)")
    if not status.valid:
        return Verdict(False, f"{name}: the signature does not match its certificate's key")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return Verdict(False, f"{name}: something was added after the signature (it does not cover the file)")
    signer = status.signing_cert.subject.human_friendly
    if not status.trusted:
        return Verdict(False, f"{name}: intact, but signed by {signer}, a certificate not trusted here")
    reason = str(signature.sig_object.get("/Reason", ""))
    if not reason.startswith(REASON_PREFIX):
        return Verdict(False, f"{name}: signed by {signer}, but not an auditor sign-off (no results hash)")
    stated = reason[len(REASON_PREFIX) :].strip()
    embedded = embedded_results(reader)
    if embedded is None:
        return Verdict(False, f"{name}: signed by {signer}, but it carries no embedded results")
    actual = hashlib.sha256(embedded).hexdigest()
    if actual != stated:
        return Verdict(
            False, f"{name}: the embedded results' SHA-256 {actual[:16]}… is not the signed {stated[:16]}…"
        )
    when = status.signer_reported_dt
    return Verdict(
        True,
        f"{name}: signed by {signer}"
        + (f" on {when:%Y-%m-%d %H:%M} UTC" if when else "")
        + f"; the whole file is covered; embedded results SHA-256 {actual} as signed",
    )


def embedded_results(reader: Any) -> bytes | None:
    """The bytes of the report's embedded results file (PDF name tree /EmbeddedFiles), or None."""

    def get(node: Any, key: str) -> Any:
        value = node.get(key) if node is not None else None
        return value.get_object() if hasattr(value, "get_object") else value

    entries = get(get(get(reader.root, "/Names"), "/EmbeddedFiles"), "/Names")
    for index in range(0, len(entries or ()) - 1, 2):
        if str(entries[index]).endswith(RESULTS_NAME):
            stream = get(get(entries[index + 1], "/EF"), "/F")
            return stream.data if stream is not None else None
    return None


def _short(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__
