"""The HTTPS check's parameters: the addresses (https:// only), the proxy (an address without a
password: user and password have fields of their own), the deadline. Refusals in the admin's language."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import SplitResult, urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, SecretStr, ValidationInfo, model_validator

from tui.checks.base import refusal

# Visma Connect, the Visma.net sign-in, publishes its OpenID configuration here: a public endpoint
# that answers quickly (see shared/reference/README.md).
DEFAULT_URL = "https://connect.visma.com/.well-known/openid-configuration"


def _blank_is_none(value: Any) -> Any:
    """Forms hand over empty strings for fields the admin left empty."""
    return None if isinstance(value, str) and not value.strip() else value


def _check_port(parts: SplitResult, info: ValidationInfo) -> None:
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number from 0 to 65535
    except ValueError:
        raise ValueError(refusal(info, "https.bad_port")) from None


def _https_url(value: str, info: ValidationInfo) -> str:
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme.lower() != "https" or not parts.hostname or "@" in parts.netloc:
        raise ValueError(refusal(info, "https.not_https", example=DEFAULT_URL))
    _check_port(parts, info)
    return value


def _proxy_url(value: str | None, info: ValidationInfo) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if "://" not in value:
        value = "http://" + value  # admins write proxy.example.local:8080
    parts = urlsplit(value)
    if "@" in value.split("://", 1)[1]:  # also an @ that urlsplit puts in the path: never guess the host
        raise ValueError(refusal(info, "https.proxy_login_in_address"))
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise ValueError(refusal(info, "https.not_a_proxy"))
    _check_port(parts, info)
    return value


HttpsUrl = Annotated[str, AfterValidator(_https_url)]


class Params(BaseModel):
    url: HttpsUrl = DEFAULT_URL
    extra_urls: list[HttpsUrl] = Field(default_factory=list)
    proxy: Annotated[str | None, BeforeValidator(_blank_is_none), AfterValidator(_proxy_url)] = None
    proxy_user: Annotated[str | None, BeforeValidator(_blank_is_none)] = None
    proxy_password: Annotated[SecretStr | None, BeforeValidator(_blank_is_none)] = None  # secret
    timeout: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _password_needs_user(self, info: ValidationInfo) -> Params:
        if self.proxy_password is not None and not self.proxy_user:
            raise ValueError(refusal(info, "https.password_without_user"))
        return self
