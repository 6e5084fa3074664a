"""The proxy password travels every road koppel has, and is written nowhere.

One sentinel password, with characters that every encoding changes (quote, backslash, '@', ':',
'/', '%', 'é'), goes through the form (draft, submit, answers), a real https check through a real
CONNECT proxy process that demands it (refused with 407, accepted), the log file, a check that
crashes with it in its message, an address that embeds it, and the headless report, answers export
and status. Then every file under KOPPEL_HOME and everything printed is searched for it: by its
alphanumeric core (which survives URL-encoding, JSON and repr escaping) and as the base64
``user:password`` of a Proxy-Authorization header.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, SecretStr

from tests.netservers import HOST, Certs, ProxyProcess, Server, make_certs, respond, server_tls
from tui.checks import registry
from tui.checks.base import CheckContext, CheckResult, LogLine
from tui.checks.engine import LogFile, run_check
from tui.secrets import mask_url_passwords
from tui.headless import explain
from tui.state.session import Session, SessionError, open_session

CORE = "S3NTINEL7f3a"  # survives every escaping: what the search looks for
PASSWORD = f'Pr0xy"\\:@/%é-{CORE}'
WRONG = PASSWORD + "x"
USER = "koppel"
STEP = "vooraf.visma_bereikbaar"
OPENID = "/.well-known/openid-configuration"


def spellings(password: str) -> list[str]:
    """What a leak of ``password`` could look like in a file or on screen."""
    return [CORE, base64.b64encode(f"{USER}:{password}".encode()).decode()]


def leaks(text: str) -> list[str]:
    return [form for password in (PASSWORD, WRONG) for form in spellings(password) if form in text]


def files_under(home: Path) -> dict[Path, str]:
    return {path: path.read_bytes().decode("utf-8", "replace") for path in sorted(home.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    return make_certs(tmp_path_factory.mktemp("certs"))


@pytest.fixture(scope="module")
def auth_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProxyProcess]:
    with ProxyProcess(tmp_path_factory.mktemp("proxy") / "requests.log", auth=f"{USER}:{PASSWORD}") as process:
        yield process


@pytest.fixture(autouse=True)
def trust_test_ca(certs: Certs, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certs.ca))
    for variable in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(variable, raising=False)


# --- a check module that mishandles the secret, registered for these tests ------------------------


class LeakyParams(BaseModel):
    user: str = USER
    password: SecretStr
    crash: bool = False


async def leaky_run(params: LeakyParams, ctx: CheckContext) -> CheckResult:
    secret = params.password.get_secret_value()
    ctx.log(f"trying {secret!r} as {params.user}")
    if params.crash:
        try:
            raise KeyError(secret)  # its repr escapes the quote and the backslash
        except KeyError as cause:
            raise RuntimeError(f"login {secret} / {secret!r} / {json.dumps(secret)} refused") from cause
    header = base64.b64encode(f"{params.user}:{secret}".encode()).decode()
    return CheckResult(status="fail", message=f"refused {quote(secret, safe='')}", hint=f"Basic {header}",
                       evidence={"tried": [secret, {"escaped": json.dumps(secret)}]})


@pytest.fixture
def leaky_check(monkeypatch: pytest.MonkeyPatch) -> str:
    module = types.ModuleType("tests.leaky_check")
    module.TITLE, module.KIND, module.DEFAULT_TIMEOUT = {"nl": "Lek", "en": "Leak"}, "check", 5.0
    module.Params, module.run = LeakyParams, leaky_run
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setitem(registry.CHECKS, "leaky", module.__name__)
    return "leaky"


# --- the UI's road, through the Session without Textual ------------------------------------------


async def run_as_the_ui(session: Session, key: str, name: str, params: dict, log: LogFile) -> CheckResult:
    """What tui/screens/main.py does: mark running, run with the log file for tracebacks, record the
    result with the run's lines, append the lines to the server's log file."""
    lines: list[str] = []
    session.mark_running(key)
    result = await run_check(name, params, lang=session.lang, timeout=5,
                             emit=lambda event: lines.append(event.text) if isinstance(event, LogLine) else None,
                             log_file=log)
    session.record_result(key, result, lines)
    log.write(list(lines))
    return result


def koppel(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True, encoding="utf-8",
                          env=env, timeout=60)
    assert "Traceback" not in done.stderr, done.stderr
    return done


async def test_the_proxy_password_is_written_nowhere(
    koppel_home: Path, auth_proxy: ProxyProcess, certs: Certs, leaky_check: str, subprocess_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str],
) -> None:
    session = open_session(koppel_home, "srv", lang="en")
    log = LogFile(session.log_path)
    form = {"proxy": auth_proxy.url, "proxy_gebruiker": USER}
    embedded = f"http://{USER}:{quote(PASSWORD, safe='')}@{HOST}:{auth_proxy.port}"
    async with Server(respond(), tls=server_tls(certs.leaf)) as server:
        url = f"https://{HOST}:{server.port}{OPENID}"

        def params() -> dict:  # the step's own parameters, aimed at the loopback server
            return {**session.check_params(STEP), "url": url}

        # typed, half-typed, submitted with the wrong password: refused by the proxy (407)
        session.save_draft(STEP, {**form, "proxy_wachtwoord": WRONG[:5]})
        session.save_draft(STEP, {**form, "proxy_wachtwoord": WRONG})
        session.flush()
        assert session.submit(STEP, {**form, "proxy_wachtwoord": WRONG}) == []
        refused = await run_as_the_ui(session, STEP, "https", params(), log)
        assert refused.status == "fail" and "407" in refused.message

        # the right one: through the proxy to the server
        assert session.submit(STEP, {**form, "proxy_wachtwoord": PASSWORD}) == []
        assert params()["proxy_password"] == PASSWORD  # the check gets it, from memory
        accepted = await run_as_the_ui(session, STEP, "https", params(), log)
        assert accepted.status == "ok", accepted
        assert f"CONNECT {HOST}:{server.port} auth=yes" in auth_proxy.seen()
        session.record_answers(STEP, {**form, "proxy_wachtwoord": PASSWORD})  # as an answers file would

        # the password written into the proxy address: refused by the form, masked in the draft,
        # refused by the check with a message that does not repeat it
        findings = session.submit(STEP, {"proxy": embedded, "proxy_gebruiker": ""})
        assert [(f.field, f.level) for f in findings] == [("proxy", "error")]
        assert session.step_state(STEP).draft["proxy"] == f"http://{USER}:********@{HOST}:{auth_proxy.port}"
        with pytest.raises(SessionError, match="proxy: Leave the password out of the address"):
            session.record_answers(STEP, {"proxy": embedded})
        in_address = await run_check("https", {"url": url, "proxy": embedded}, lang="en", log_file=log)
        assert in_address.status == "fail" and "proxy_password" in in_address.message
        session.record_result(STEP, in_address)

        # an environment proxy with the password in it (HTTPS_PROXY), the way some servers are set up
        monkeypatch.setenv("HTTPS_PROXY", embedded)
        from_environment = await run_as_the_ui(session, STEP, "https", {"url": url}, log)
        assert from_environment.status == "ok", from_environment
        monkeypatch.delenv("HTTPS_PROXY")

    # a check that crashes with the password in its message: the traceback goes to the log file
    crashed = await run_as_the_ui(session, STEP, leaky_check, {"password": PASSWORD, "crash": True}, log)
    assert crashed.status == "fail" and crashed.message.startswith("login ********")
    sloppy = await run_as_the_ui(session, STEP, leaky_check, {"password": PASSWORD}, log)
    assert sloppy.message == "refused ********" and sloppy.hint == "Basic ********"

    # a result made outside the engine (the UI's guard for a bug of its own makes one from the error)
    session.record_result(STEP, CheckResult(status="fail", message=f"bug: {PASSWORD!r}",
                                            evidence={"params": {"proxy_password": PASSWORD}}))
    assert session.step_state(STEP).result.evidence == {"params": {"proxy_password": "********"}}
    # a note the admin pasted the password into
    session.confirm(STEP, note=f"proxy login {USER} / {PASSWORD}")
    session.close()

    for args in (["report"], ["report", "--json"], ["answers", "export"], ["status", "--json"],
                 ["answers", "export", "-o", str(koppel_home / "answers.toml")]):
        done = koppel(*args, "--server", "srv", env=subprocess_env)
        assert done.returncode == 0, done.stderr
        assert not leaks(done.stdout + done.stderr), args
    printed = capfd.readouterr()

    written = files_under(koppel_home)
    names = {path.relative_to(koppel_home).as_posix() for path in written}
    assert {"state/srv.json", "state/srv.json.bak", "logs/srv.log", "answers.toml"} <= names
    assert len([name for name in names if name.startswith("reports/")]) == 2
    # every road was really travelled: its traces are there, masked
    log_text = written[koppel_home / "logs" / "srv.log"]
    assert "407 Proxy Authentication Required" in log_text and "HTTP 200 OK" in log_text
    assert f"proxy: http://{USER}:********@{HOST}:{auth_proxy.port} (from HTTPS_PROXY/ALL_PROXY)" in log_text
    assert "Traceback" in log_text and "RuntimeError: login ********" in log_text and "KeyError: '********'" in log_text
    state = json.loads(written[koppel_home / "state" / "srv.json"])["steps"][STEP]
    assert state["answers"] == form and state["note"] == f"proxy login {USER} / ********"
    assert state["result"]["message"] == "bug: '********'"
    assert {path: leaks(text) for path, text in written.items() if leaks(text)} == {}
    assert not leaks(printed.out + printed.err)


# --- each guard on its own ---------------------------------------------------------------------


async def test_a_crashing_check_leaves_no_spelling_of_the_secret_in_its_traceback(tmp_path: Path, leaky_check: str) -> None:
    log = LogFile(tmp_path / "x.log")
    lines: list[str] = []
    result = await run_check(leaky_check, {"password": PASSWORD, "crash": True}, lang="en", log_file=log,
                             emit=lambda event: lines.append(event.text))
    text = (tmp_path / "x.log").read_text(encoding="utf-8")
    assert "Traceback" in text and "raise KeyError(secret)" in text  # the traceback itself is there
    assert leaks(text + result.model_dump_json() + "\n".join(lines)) == []
    assert lines[0] == f"trying '********' as {USER}"


async def test_the_base64_login_of_the_secret_is_masked_too(leaky_check: str) -> None:
    result = await run_check(leaky_check, {"password": PASSWORD, "user": "someone"}, lang="en")
    assert result.hint == "Basic ********" and result.evidence == {"tried": ["********", {"escaped": '"********"'}]}


def test_an_address_password_typed_in_any_stored_field_is_refused_and_masked(koppel_home: Path) -> None:
    session = open_session(koppel_home, "srv", lang="nl")
    try:
        encoded = quote(PASSWORD, safe="")  # in an address a password is URL-encoded
        for typed in (f"http://{USER}:{encoded}@proxy:8080", f"{USER}:{encoded}@proxy.local:3128"):
            findings = session.submit(STEP, {"proxy": typed})
            assert any(f.field == "proxy" and "Laat het wachtwoord weg" in f.message for f in findings)
            assert not any(leaks(f.message) for f in findings)  # no message may quote the refused address
            assert "********@proxy" in session.step_state(STEP).draft["proxy"]
            # once seen, the password is masked wherever it shows up, in any spelling
            assert session.scrub(f"log: {PASSWORD} {quote(PASSWORD, safe='')}") == "log: ******** ********"
        session.flush()
        assert not leaks(session.store.path.read_text(encoding="utf-8"))
        # a list field (extra addresses) too
        findings = session.submit(STEP, {"extra_urls": f"https://a.example, https://{USER}:{CORE}@b.example"})
        assert [f.field for f in findings if "wachtwoord" in f.message] == ["extra_urls"]
    finally:
        session.close()


@pytest.mark.parametrize("address, problem", [
    (f"http://{USER}:{CORE}@proxy.local:8080", "proxy: Leave the password out of the address"),
    (f"{USER}:{CORE}@proxy.local:8080", "is not a valid URL"),  # the url rule quotes what it refuses
])
def test_an_answers_file_with_an_address_password_is_refused_without_repeating_it(
    tmp_path: Path, koppel_home: Path, subprocess_env: dict[str, str], address: str, problem: str
) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text(f'[steps."{STEP}"]\nproxy = "{address}"\nproxy_gebruiker = "{USER}"\n', encoding="utf-8")
    done = koppel("answers", "import", str(answers), "--server", "srv", "--lang", "en", env=subprocess_env)
    assert done.returncode == 2
    assert f"[{STEP}] " in done.stderr and problem in done.stderr
    assert not leaks(done.stdout + done.stderr)
    assert not leaks("".join(files_under(koppel_home).values()))
    assert "pre-filled" not in done.stdout  # nothing was recorded


def test_an_old_state_with_an_address_password_is_masked_in_report_and_export(
    koppel_home: Path, subprocess_env: dict[str, str]
) -> None:
    session = open_session(koppel_home, "srv")
    session.state.step(STEP).answers = {"proxy": f"http://{USER}:{CORE}@proxy.local:8080"}  # as an older koppel kept it
    session.store.save(session.state)
    session.close()
    for args in (["report", "-o", "-"], ["report", "--json", "-o", "-"], ["answers", "export"]):
        done = koppel(*args, "--server", "srv", env=subprocess_env)
        assert done.returncode == 0 and f"http://{USER}:" in done.stdout and "@proxy.local:8080" in done.stdout
        assert not leaks(done.stdout), args


def test_log_files_and_error_messages_never_show_an_address_password(tmp_path: Path) -> None:
    log = LogFile(tmp_path / "x.log")
    log.write([f"connecting via http://{USER}:{CORE}@proxy:8080 and https://host:443/path"])
    text = (tmp_path / "x.log").read_text(encoding="utf-8")
    assert text.endswith(f"connecting via http://{USER}:********@proxy:8080 and https://host:443/path\n")
    code, message = explain(RuntimeError(f"cannot reach https://{USER}:p@ss:{CORE}@proxy:8080/x"), "en")
    assert code == 1 and message == f"internal error (RuntimeError): cannot reach https://{USER}:********@proxy:8080/x"
    # what is not a password stays as it was; digits, '/' and a later '@' may be a password (user:12/x@host)
    plain = "https://127.0.0.1:8443/a?b=c mail admin@example.nl http://proxy:8080"
    assert mask_url_passwords(plain) == plain
    assert mask_url_passwords("https://127.0.0.1:8443/a?b=c@d") == "https://127.0.0.1:********@d"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab9:/@ \n.xé", max_size=80))
def test_the_linear_url_search_finds_what_the_plain_regex_finds(text: str) -> None:
    # secrets._url_matches searches only runs with '://' up to their last '@' (linear: the plain
    # search was quadratic on long answers); it must find exactly the matches the regex finds
    from tui.secrets import URL_PASSWORD, _url_matches

    assert [m.span() for m in _url_matches(text)] == [m.span() for m in URL_PASSWORD.finditer(text)]
