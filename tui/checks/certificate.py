"""The server certificate the HTTPS check shows: subject, issuer, expiry and names, read from the
TLS connection, also where the OS verified it (truststore on Windows and macOS leaves
getpeercert() empty, so the DER form is decoded).

Every name in a certificate is the server's text: made safe (tui.safe_text) as it is read.
"""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tui.safe_text import safe


@dataclass(frozen=True)
class CertInfo:
    subject: str
    issuer: str
    not_after: datetime  # UTC
    alt_names: list[str]
    read_with: str  # how we got it: "ssl", "cryptography" or "ssl-decoder"

    def days_left(self) -> int:
        return (self.not_after - datetime.now(timezone.utc)).days


_NAME_KEYS = {
    "commonName": "CN",
    "organizationName": "O",
    "organizationalUnitName": "OU",
    "countryName": "C",
    "localityName": "L",
    "stateOrProvinceName": "ST",
}


def peer_certificate(ssl_object: ssl.SSLObject) -> CertInfo | None:
    """The server's certificate. getpeercert() is empty when truststore verifies through the OS
    (Windows, macOS): then the DER form is decoded."""
    decoded = ssl_object.getpeercert()
    if decoded:
        return _from_decoded(decoded, "ssl")
    der = ssl_object.getpeercert(binary_form=True)
    return certificate_from_der(der) if der else None


def certificate_from_der(der: bytes) -> CertInfo | None:
    """Decode with `cryptography` when installed, else with the ssl module's own decoder."""
    try:
        from cryptography import x509
    except ImportError:
        return _decode_with_ssl(der)
    cert = x509.load_der_x509_certificate(der)
    try:
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        alt_names = [str(value) for value in names.get_values_for_type(x509.DNSName) + names.get_values_for_type(x509.IPAddress)]
    except x509.ExtensionNotFound:
        alt_names = []
    return CertInfo(
        subject=safe(cert.subject.rfc4514_string()),
        issuer=safe(cert.issuer.rfc4514_string()),
        not_after=cert.not_valid_after_utc,
        alt_names=[safe(name) for name in alt_names],
        read_with="cryptography",
    )


def _decode_with_ssl(der: bytes) -> CertInfo | None:
    # CPython's certificate decoder (the one getpeercert() uses) only reads from a file, and is
    # private: used only when `cryptography` is missing and the OS did the verification.
    decode = getattr(getattr(ssl, "_ssl", None), "_test_decode_cert", None)
    if decode is None:
        return None
    import tempfile

    handle, name = tempfile.mkstemp(suffix=".pem")
    try:
        with os.fdopen(handle, "w", encoding="ascii") as file:
            file.write(ssl.DER_cert_to_PEM_cert(der))
        return _from_decoded(decode(name), "ssl-decoder")
    except (OSError, ValueError):
        return None
    finally:
        Path(name).unlink(missing_ok=True)


def _from_decoded(decoded: dict[str, Any], read_with: str) -> CertInfo:
    def name(parts: Any) -> str:
        return ",".join(f"{_NAME_KEYS.get(key, key)}={value}" for rdn in parts for key, value in rdn)

    not_after = datetime.fromtimestamp(ssl.cert_time_to_seconds(decoded["notAfter"]), timezone.utc)
    alt_names = [value for kind, value in decoded.get("subjectAltName", ()) if kind in {"DNS", "IP Address"}]
    return CertInfo(safe(name(decoded.get("subject", ()))), safe(name(decoded.get("issuer", ()))), not_after,
                    [safe(str(alt)) for alt in alt_names], read_with)
