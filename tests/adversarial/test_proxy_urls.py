"""Issue 9 item 3: a proxy address whose password holds '/', '#', '?' or '@' typed as it is (not
URL-encoded). An HTTP stack reads such a password partly as the host or the path: it leaked into the
state, the .bak, the log and the report, connected to the wrong host, looked the user name up in DNS,
and the refusal quoted it. Now the password is found the way the admin meant it (up to the last @),
masked everywhere, the address refused without being quoted, and never tried."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from tui.checks import https
from tui.checks.engine import run_check
from tui.secrets import scrub_text, url_passwords
from tui.state.session import open_session

STEP = "vooraf.visma_bereikbaar"
SPECIAL = ["/", "#", "?", "@", "/?#@"]


def password_with(char: str) -> str:
    return f"Pa{char}ss-{abs(hash(char)) % 1000}"


# digits then '/': read as user:PORT/path by a URL parser (and, before, by koppel's mask)
PORT_LIKE = ["12/x-pw", "8080/pw", "65535/?#q", "1/@b"]


@pytest.mark.parametrize("char", SPECIAL)
def test_an_unencoded_password_char_is_found_and_masked_whole(char: str) -> None:
    password = password_with(char)
    address = f"http://beheer:{password}@proxy.local:8080"
    assert url_passwords(address) == [password]
    masked = scrub_text(f"proxy {address} then https://connect.visma.com/x")
    assert masked == "proxy http://beheer:********@proxy.local:8080 then https://connect.visma.com/x"
    assert https.mask_url(address) == "http://beheer:********@proxy.local:8080"


@pytest.mark.parametrize("char", SPECIAL)
async def test_the_check_refuses_such_a_proxy_without_quoting_it_or_trying_a_host(char: str) -> None:
    password = password_with(char)
    with pytest.raises(ValidationError):  # never guessed into a host: the check does not start
        https.Params(proxy=f"http://beheer:{password}@127.0.0.1:9")
    lines: list[str] = []
    result = await run_check("https", {"proxy": f"http://beheer:{password}@127.0.0.1:9"},
                             emit=lambda event: lines.append(str(getattr(event, "text", ""))))
    said = " ".join([result.message, result.hint, str(result.evidence), *lines])
    assert result.status == "fail"
    assert password not in said and password[:3] not in said


@pytest.mark.parametrize("char", SPECIAL)
def test_typed_into_the_form_it_is_kept_out_of_state_bak_and_report(koppel_home: Path, char: str) -> None:
    from tui.report import report_markdown

    password = password_with(char)
    session = open_session(koppel_home, "srv", lang="nl")
    try:
        typed = f"http://beheer:{password}@127.0.0.1:9"
        session.save_draft(STEP, {"proxy": typed})
        findings = session.submit(STEP, {"proxy": typed})
        assert any(f.field == "proxy" for f in findings)
        assert not any(password in f.message or password[:3] + char in f.message for f in findings)
        session.submit(STEP, {"proxy": ""})  # a later save: the .bak holds the earlier state
        session.flush()
        written = "".join(p.read_text(encoding="utf-8", errors="replace")
                          for p in koppel_home.rglob("*") if p.is_file())
        assert password not in written
        assert password not in report_markdown(session)
        assert session.scrub(f"x {password} y") == "x ******** y"
    finally:
        session.close()


@pytest.mark.parametrize("password", PORT_LIKE)
def test_a_password_of_digits_then_slash_is_not_read_as_a_port(password: str) -> None:
    address = f"http://beheer:{password}@proxy.local:8080"
    assert url_passwords(address) == [password]
    assert scrub_text(f"via {address} now") == "via http://beheer:********@proxy.local:8080 now"
    assert https.mask_url(address) == "http://beheer:********@proxy.local:8080"


@pytest.mark.parametrize("password", PORT_LIKE)
def test_a_digits_then_slash_password_typed_into_the_form_is_kept_out_of_state_and_report(
        koppel_home: Path, password: str) -> None:
    from tui.report import report_markdown

    session = open_session(koppel_home, "srv", lang="en")
    try:
        typed = f"http://beheer:{password}@127.0.0.1:9"
        session.save_draft(STEP, {"proxy": typed})
        findings = session.submit(STEP, {"proxy": typed})
        assert any(f.field == "proxy" for f in findings)
        assert not any(password in f.message for f in findings)
        session.flush()
        written = "".join(p.read_text(encoding="utf-8", errors="replace")
                          for p in koppel_home.rglob("*") if p.is_file())
        assert password not in written and password not in report_markdown(session)
    finally:
        session.close()


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names the check looks up (on top of the loopback guard)."""
    import socket

    seen: list[str] = []
    guarded = socket.getaddrinfo

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> list:
        seen.append(str(host))
        return guarded(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return seen


@pytest.mark.parametrize("variable", ["HTTPS_PROXY", "https_proxy", "ALL_PROXY"])
@pytest.mark.parametrize("password", ["12/x-pw", "Pa@ss-7", "Pa#ss?-7"])
async def test_an_unencoded_proxy_password_in_the_environment_is_refused_unquoted_and_never_tried(
        koppel_home: Path, monkeypatch: pytest.MonkeyPatch, lookups: list[str], variable: str, password: str) -> None:
    """A saved address like this is refused by the form; the same one in HTTPS_PROXY was only masked:
    the check looked up 'beheer' (the user name read as the host) or connected to a wrong port."""
    monkeypatch.setenv(variable, f"http://beheer:{password}@127.0.0.1:9")
    lines: list[str] = []
    result = await run_check("https", {"url": "https://127.0.0.1:9/"}, lang="en",
                             emit=lambda event: lines.append(str(getattr(event, "text", ""))))
    said = " ".join([result.message, result.hint, str(result.evidence), *lines])
    assert result.status == "fail" and result.evidence["urls"][0]["failure"] == "proxy"
    assert "not URL-encoded" in result.message and "proxy_user" in result.hint
    assert password not in said and password[:4] not in said
    assert lookups == []  # nothing looked up, nothing connected to


async def test_an_encoded_proxy_password_in_the_environment_is_still_used(
        koppel_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.netservers import Server, respond

    async with Server(respond(407, b"")) as proxy:
        monkeypatch.setenv("HTTPS_PROXY", f"http://beheer:12%2Fx%40y@127.0.0.1:{proxy.port}")
        result = await run_check("https", {"url": "https://127.0.0.1:9/"}, lang="en", emit=lambda event: None)
    assert result.status == "fail" and "407" in result.message  # asked the proxy, which wants a login
    assert proxy.connections >= 1


GLUED = ["nqéßhttps://walker:S3nt-pw@127.0.0.1:1/s", "9http://walker:S3nt-pw@h", "€http://walker:S3nt-pw@h"]


@pytest.mark.parametrize("typed", GLUED)
def test_an_address_glued_to_the_text_before_it_keeps_its_password_out_of_the_state(
        koppel_home: Path, typed: str) -> None:
    """The walker (seed 108) typed junk, then an address with a password, into the extra URLs
    field: after 'ß' (a word character) the mask's word boundary did not hold, and the draft
    stored the password in the state and its .bak."""
    assert url_passwords(typed) == ["S3nt-pw"]
    session = open_session(koppel_home, "srv", lang="en")
    try:
        session.save_draft(STEP, {"extra_urls": typed})
        session.flush()
        written = "".join(p.read_text(encoding="utf-8", errors="replace")
                          for p in koppel_home.rglob("*") if p.is_file())
        assert "S3nt-pw" not in written
    finally:
        session.close()
