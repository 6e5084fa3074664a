"""Every secret koppel handles passes through here: remembered once, masked with one mask everywhere.

koppel promises that a password is never written or shown. This module keeps that promise in one
place; it imports nothing of koppel, so every wing (checks, state, playbook, the face) can use it.

- ``remember(secret, users=(), slot=None)``: from now on ``secret`` is masked wherever text is scrubbed, in
  every spelling text may carry it (plain, URL-encoded, escaped by ``repr`` or JSON, and as the
  base64 ``user:secret`` of an HTTP Basic (Proxy-)Authorization header for each of ``users``).
  A secret typed into a field is remembered in that field's ``slot``: retyping replaces it. The
  registry lives as long as the process and writes nothing anywhere.
- ``scrub_text(text)``: ``text`` with every remembered secret and every password written into a URL
  (``scheme://user:password@host``) replaced by ``MASK``.
- ``scrub_value(value)``: ``scrub_text`` through dicts, lists and tuples (a check's evidence, a report).
- ``scrub_traceback(exc)``: the traceback of ``exc`` as text, without locals, scrubbed.
- ``mask_url(url)``: one URL with its password (if any) masked, for saying which proxy is used.
- ``url_passwords(text)``: the passwords written into URLs in ``text`` (to refuse storing them).
- ``secret_forms(secret, users)``: the spellings ``remember`` masks, for a caller that must know them.
- ``holds_lasting_secret(value)``: whether a text (or list, dict) holds a secret remembered for good.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import traceback
from collections.abc import Hashable, Iterable
from typing import Any, Iterator
from urllib.parse import quote, quote_plus

MASK = "********"

# the password in a URL's user part: scheme://user:PASSWORD@host. The password runs to the LAST @
# before white space: an admin types '/', '?', '#' and '@' into a password without URL-encoding them,
# and an HTTP stack would then read part of the password as the host or the path (issue 9 item 3).
# Digits then '/' (user:12/x@host) are such a password too, never a port: text alone cannot tell
# host:8443/a?b=c@d from it, and masking a path by mistake costs nothing, showing a password does.
# No word boundary before the scheme: typed after other letters ("éßhttps://u:pw@h") it is a URL too.
# A scheme has at most 32 characters, so that each place a search starts costs a few steps at most.
URL_PASSWORD = re.compile(r"(?i)([a-z][a-z0-9+.-]{0,31}://[^\s/?#@:]*:)\S*@")
NON_BLANKS = re.compile(r"\S+")

_lock = threading.Lock()  # the event loop, workers and the saver thread all remember and scrub
_remembered: dict[Hashable, frozenset[str]] = {}  # a slot (or the secret itself) -> its spellings
_spellings: tuple[str, ...] = ()  # every spelling of every remembered secret, longest first
_lasting: tuple[str, ...] = ()  # ... of those remembered for good (no slot)


def remember(secret: str, users: Iterable[str] = (), *, slot: Hashable | None = None) -> None:
    """Mask ``secret`` (also without surrounding spaces) in everything scrubbed from now on.

    ``slot`` names where the secret was typed (a step's field): what a slot held before is
    replaced, so the half-typed prefixes of a password ("p", "pw", ...) do not stay masked
    everywhere. A secret without a slot is remembered for good; remembered again with more
    ``users`` it gains their Basic-authorization spellings."""
    global _spellings, _lasting
    if not isinstance(secret, str) or not secret.strip():
        return
    names = [user for user in users if isinstance(user, str) and user]
    forms = frozenset(secret_forms(secret, names) | secret_forms(secret.strip(), names))
    key: Hashable = ("secret", secret) if slot is None else ("slot", slot)
    with _lock:
        known = _remembered.get(key, frozenset())
        updated = known | forms if slot is None else forms
        if updated == known:
            return
        _remembered[key] = updated
        _spellings = tuple(sorted(set().union(*_remembered.values()), key=len, reverse=True))
        _lasting = tuple(set().union(*(forms for k, forms in _remembered.items() if k[0] == "secret")))


def forget_all() -> None:
    """Forget every remembered secret (a test starting afresh; koppel itself never forgets)."""
    global _spellings, _lasting
    with _lock:
        _remembered.clear()
        _spellings = _lasting = ()


def holds_lasting_secret(value: Any) -> bool:
    """Whether ``value`` (a text, or a list or dict of them) holds a secret remembered for good (a
    password found in an address, a check's password), in any spelling. A draft that holds one is
    scrubbed, also once the address around the password was edited away; a field's secret (a slot)
    does not count: its half-typed prefixes ("p", "pw", ...) would mask what other fields hold."""
    if isinstance(value, str):
        return any(spelling in value for spelling in _lasting)
    if isinstance(value, dict):
        return any(holds_lasting_secret(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(holds_lasting_secret(item) for item in value)
    return False


def secret_forms(secret: str, users: Iterable[str] = ()) -> set[str]:
    """Every spelling of ``secret`` that text may carry: plain, URL-encoded, escaped as Python's
    repr or JSON writes it (a traceback, a dump), and as the base64 ``user:secret`` of an HTTP
    Basic (Proxy-)Authorization header for each of ``users``."""
    if not secret:
        return set()
    forms = {secret, quote(secret, safe=""), quote(secret), quote_plus(secret, safe=""),
             repr(secret)[1:-1], ascii(secret)[1:-1], json.dumps(secret)[1:-1],
             json.dumps(secret, ensure_ascii=False)[1:-1]}
    forms |= {base64.b64encode(f"{user}:{secret}".encode()).decode() for user in users if user}
    return {form for form in forms if form}


def _url_matches(text: str) -> Iterator[re.Match[str]]:
    """URL_PASSWORD's matches, searched in linear time: only in a run of non-blanks that has '://',
    and only up to its last '@' (every match ends at one). A plain search tries each '://' to the
    end of its run ("x://y:" 30,000 times took seconds, a 200,000-character answer minutes)."""
    if "://" not in text or "@" not in text:  # most log lines: no loop over their words at all
        return
    for run in NON_BLANKS.finditer(text):
        last_at = text.rfind("@", run.start(), run.end())
        if last_at > 0 and text.find("://", run.start(), last_at) >= 0:
            yield from URL_PASSWORD.finditer(text, run.start(), last_at + 1)


def url_passwords(text: str) -> list[str]:
    """The passwords written into URLs in ``text`` (as written, so possibly URL-encoded)."""
    return [match.group(0)[len(match.group(1)):-1] for match in _url_matches(text)]


def mask_url_passwords(text: str) -> str:
    """``text`` with the password of every ``scheme://user:password@host`` replaced by ``MASK``."""
    pieces, done = [], 0
    for match in _url_matches(text):
        pieces += [text[done:match.start()], match.group(1), MASK, "@"]
        done = match.end()
    return "".join(pieces) + text[done:] if pieces else text


def mask_url(url: str) -> str:
    """One URL with its password, if it has one, replaced by ``MASK`` (read as ``URL_PASSWORD``
    reads it, so an unencoded '/', '?', '#' or '@' in the password is masked too)."""
    return mask_url_passwords(url)


def scrub_text(text: str) -> str:
    """``text`` with every remembered secret (in each of its spellings) and every password written
    into a URL replaced by ``MASK``."""
    for spelling in _spellings:  # longest first: a longer spelling may contain a shorter one
        if spelling in text:
            text = text.replace(spelling, MASK)
    return mask_url_passwords(text)


def scrub_value(value: Any) -> Any:
    """scrub_text() through dicts, lists and tuples (a result's evidence, a report's data)."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {key: scrub_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub_value(item) for item in value]
    return value


def scrub_traceback(exc: BaseException) -> str:
    """The traceback of ``exc`` (its causes included) as the interpreter prints it, without locals
    (those hold what the admin typed), scrubbed."""
    return scrub_text("".join(traceback.format_exception(exc)))
