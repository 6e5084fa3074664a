"""The TLS side of the HTTPS check: what is trusted (the operating system's certificate store, plus
SSL_CERT_FILE / SSL_CERT_DIR; never less than TLS 1.2, verification never off), what the handshake
showed (version, cipher, the server's certificate), and why a handshake failed, said for the admin.
"""

from __future__ import annotations

import os
import ssl
from typing import Callable

from tui.checks.base import CheckContext, CheckResult
from tui.checks.certificate import peer_certificate
from tui.text import t

EXPIRY_WARNING_DAYS = 14
# OpenSSL reasons for "the other side only speaks a TLS version below our minimum"
TOO_OLD_REASONS = {
    "UNSUPPORTED_PROTOCOL",
    "TLSV1_ALERT_PROTOCOL_VERSION",
    "NO_PROTOCOLS_AVAILABLE",
    "WRONG_SSL_VERSION",
    "VERSION_TOO_LOW",
}


def make_ssl_context(ctx: CheckContext) -> ssl.SSLContext:
    """Verification by the OS trust store, plus SSL_CERT_FILE / SSL_CERT_DIR when set."""
    import truststore

    context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    # the Belastingdienst connection requires TLS 1.2 (shared/reference/README.md): never accept less
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.log(t("https.trust_os_store", ctx.lang))
    cafile = os.environ.get("SSL_CERT_FILE") or None
    capath = os.environ.get("SSL_CERT_DIR") or None
    if cafile or capath:
        context.load_verify_locations(cafile=cafile, capath=capath)
        for variable, value in (("SSL_CERT_FILE", cafile), ("SSL_CERT_DIR", capath)):
            if value:
                ctx.log(f"  + {variable}={value}")
    return context


def file_trust_context() -> ssl.SSLContext | None:
    """The admin's fallback when the OS store cannot be used: SSL_CERT_FILE / SSL_CERT_DIR alone
    (None when neither is set). Still verified, still TLS 1.2 or newer."""
    cafile = os.environ.get("SSL_CERT_FILE") or None
    capath = os.environ.get("SSL_CERT_DIR") or None
    if not (cafile or capath):
        return None
    context = ssl.create_default_context(cafile=cafile, capath=capath)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def extra_trust_failure(exc: OSError, lang: str) -> CheckResult:
    """SSL_CERT_FILE / SSL_CERT_DIR name something that is no certificate file or folder."""
    where = " / ".join(f"{name}={os.environ[name]}" for name in ("SSL_CERT_FILE", "SSL_CERT_DIR") if os.environ.get(name))
    return CheckResult(status="fail", message=t("https.extra_trust_unusable", lang, where=where, reason=exc.strerror or str(exc)),
                       hint=t("https.extra_trust_unusable_hint", lang), evidence={"failure": "trust_store"})


def store_unusable(host: str, exc: OSError, lang: str) -> tuple[str, str]:
    """(message, hint) when the OS could not check the certificate at all (not "untrusted": the
    store itself failed, as Windows' may under Wine or a broken policy)."""
    detail = exc.strerror or str(exc)
    return t("https.store_unusable", lang, host=host, detail=detail), t("https.store_unusable_hint", lang)


def describe_handshake(ssl_object: ssl.SSLObject, log: Callable[[str], None], lang: str) -> dict[str, object]:
    """Log the TLS version, cipher and the server's certificate; their evidence."""
    version, (cipher, _, bits) = ssl_object.version(), ssl_object.cipher()
    evidence: dict[str, object] = {"tls_version": version, "cipher": cipher}
    log(f"TLS: {version}, {cipher} ({bits} bits)")
    cert = peer_certificate(ssl_object)
    if cert is None:
        log(t("https.cert_unreadable", lang))
        return evidence
    days = cert.days_left()
    evidence["certificate"] = {"subject": cert.subject, "issuer": cert.issuer, "not_after": cert.not_after.isoformat(),
                               "days_left": days, "read_with": cert.read_with}
    log(t("https.cert_for", lang, subject=cert.subject))
    if cert.alt_names:
        log(t("https.cert_also_for", lang, names=", ".join(cert.alt_names[:8])))
    log(t("https.cert_issuer", lang, issuer=cert.issuer))
    log(t("https.cert_valid_until", lang, date=f"{cert.not_after:%Y-%m-%d}", days=days))
    if days < EXPIRY_WARNING_DAYS:
        log(t("https.cert_expires_soon", lang))
    return evidence


def tls_failure(causes: list[BaseException], host: str, detail: str, lang: str) -> tuple[str, str, str] | None:
    """(failure kind, message, hint) when the chain of causes holds a TLS failure; else None."""
    verify = next((cause for cause in causes if isinstance(cause, ssl.SSLCertVerificationError)), None)
    if verify is not None:
        reason = verify.verify_message or verify.reason or str(verify)
        return "tls_verify", t("https.tls_untrusted", lang, host=host, reason=reason), t("https.tls_untrusted_hint", lang)
    tls = next((cause for cause in causes if isinstance(cause, ssl.SSLError)), None)
    if tls is not None and tls.reason in TOO_OLD_REASONS:
        return "tls_old", t("https.tls_too_old", lang, host=host, reason=tls.reason), t("https.tls_too_old_hint", lang)
    if tls is not None:
        return "tls", t("https.tls_failed", lang, host=host, reason=tls.reason or detail), t("https.tls_failed_hint", lang)
    return None
