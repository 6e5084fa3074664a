"""The secrets an admin types into a session's forms: kept in memory only, each remembered by
tui.secrets in its field's slot (with the user names typed beside it, for its Basic-authorization
spelling), and the passwords written into addresses, which a stored field refuses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # types only: a status read from plain JSON never loads pydantic (tui.headless.fast)
    from tui.state.model import ServerState

# tui.secrets is imported where a secret is handled: a status read from plain JSON handles none (issue 11)


class TypedSecrets:
    def __init__(self, state: ServerState) -> None:
        self.state = state
        self._typed: dict[str, dict[str, str]] = {}  # step key -> field id -> secret

    def keep(self, key: str, secrets: dict[str, Any]) -> None:
        from tui.secrets import remember

        kept = {k: str(v) for k, v in secrets.items() if v not in (None, "")}
        for field_id, secret in kept.items():
            remember(secret, slot=(key, field_id))
        if kept:
            self._typed.setdefault(key, {}).update(kept)

    def of(self, key: str) -> dict[str, str]:
        return self._typed.get(key, {})

    def scrub(self, text: str) -> str:
        """Mask any secret the admin typed in this session (in every spelling text may carry it:
        URL-encoded, escaped, in a Basic-authorization header) and any password in an address."""
        from tui.secrets import scrub_text

        self._remember_users()
        return scrub_text(text)

    def scrub_value(self, value: Any) -> Any:
        """scrub() through dicts and lists (a check's evidence, a report's data)."""
        from tui.secrets import scrub_value

        self._remember_users()
        return scrub_value(value)

    def _remember_users(self) -> None:
        """The user names typed beside each secret, for its Basic-authorization spelling: the step's
        current answers (a user name may be typed after the password)."""
        from tui.secrets import remember

        for key, secrets in self._typed.items():
            stored = self.state.peek(key)
            users = [v for v in {**stored.answers, **(stored.draft or {})}.values() if isinstance(v, str)]
            for field_id, secret in secrets.items():
                remember(secret, users, slot=(key, field_id))


def note_address_passwords(value: Any) -> bool:
    """Whether ``value`` (a text, or a list or dict of them, e.g. a parsed answers file) holds an
    address with a password; each found is masked by scrubbing from now on, also decoded."""
    from urllib.parse import unquote

    from tui.secrets import remember

    found = _address_passwords(value)
    for written in found:
        remember(written)
        remember(unquote(written))
    return bool(found)


def _address_passwords(value: Any) -> list[str]:
    """Passwords written into addresses in a field value (a text or a list of them), also in the
    scheme-less ``user:password@proxy:8080`` an admin may type in a proxy field."""
    if isinstance(value, dict):
        return [found for item in value.values() for found in _address_passwords(item)]
    if isinstance(value, (list, tuple)):
        return [found for item in value for found in _address_passwords(item)]
    if not isinstance(value, str):
        return []
    from tui.secrets import url_passwords

    text = value.strip()
    bare = "://" not in text and not any(char.isspace() or char == "\\" for char in text)  # not a Windows path
    return url_passwords("http://" + text if bare else text)
