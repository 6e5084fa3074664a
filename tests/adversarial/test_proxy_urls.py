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
