"""The Session: statuses, blocking, scoping per administratie, secrets, resume, results."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from tui.checks.base import CheckResult
from tui.playbook.model import Playbook
from tui.state.model import ServerState, now
from tui.state.session import (
    NotOptional,
    ReadOnly,
    SessionError,
    Session,
    StepBlocked,
    open_session,
)
from tui.state.welcome import humanize_ago

SENTINEL = "Wachtw00rd-SENTINEL-7f3a"


def small_playbook() -> Playbook:
    return Playbook.model_validate({
        "id": "test", "title": "Test", "sections": [
            {"id": "a", "title": "A", "steps": [
                {"id": "a.welkom", "title": "Welkom", "kind": "manual"},
                {"id": "a.form", "title": {"nl": "Formulier", "en": "Form"}, "kind": "form",
                 "requires": ["a.welkom"],
                 "fields": [{"id": "email", "label": "E-mail", "type": "email", "required": True},
                            {"id": "pw", "label": "Wachtwoord", "type": "secret"}]},
                {"id": "a.probe", "title": "Probe", "kind": "check", "optional": True, "requires": ["a.form"],
                 "fields": [{"id": "port", "label": "Poort", "type": "int"}],
                 "check": {"name": "tcp", "params": {"host": "127.0.0.1", "port": "{a.probe:port}",
                                                     "note": "pw={a.form:pw} adm={administratie}"}}},
            ]},
            {"id": "b", "title": "B", "steps": [
                {"id": "b.adm", "title": "Administraties", "kind": "form",
                 "fields": [{"id": "administraties", "label": "Administraties", "type": "list", "required": True}]},
                {"id": "b.per", "title": "Per administratie", "kind": "manual", "scope": "administratie"},
                {"id": "b.after", "title": "Daarna", "kind": "manual", "requires": ["b.per"]},
            ]},
        ], "administraties_field": "b.adm:administraties"})


def make_session(lang: str = "nl") -> Session:
    return Session(small_playbook(), ServerState(server="srv"), None, lang=lang, who="admin@srv")


def test_blocked_is_derived_and_refused_with_the_blocker_named() -> None:
    session = make_session()
    assert session.status("a.form") == "blocked"
    with pytest.raises(StepBlocked, match="Welkom"):
        session.submit("a.form", {"email": "beheer@example.nl"})
    session.confirm("a.welkom", note="gezien")
    assert session.status("a.form") == "todo"
    assert "blocked" not in session.state.model_dump_json()


def test_scoped_steps_wait_for_the_administraties_then_repeat_per_administratie() -> None:
    session = make_session()
    assert [r.key for r in session.refs()][-2:] == ["b.per", "b.after"]
    assert session.status("b.per") == "blocked"
    session.submit("b.adm", {"administraties": "Demo BV, Test BV"})
    keys = [r.key for r in session.refs()]
    assert "b.per@Demo BV" in keys and "b.per@Test BV" in keys
    session.confirm("b.per@Demo BV")
    assert session.status("b.after") == "blocked"  # waits for every administratie
    session.confirm("b.per@Test BV")
    assert session.status("b.after") == "todo"


def test_progress_next_open_and_skip() -> None:
    session = make_session()
    done, total = session.progress()
    assert (done, total) == (0, 6)
    assert session.next_open(None) == "a.welkom"
    session.confirm("a.welkom")
    assert session.next_open("a.welkom") == "a.form"
    assert session.next_open("a.form", backwards=True) == "b.adm"  # wraps round, skips blocked
    with pytest.raises(NotOptional):
        session.skip("a.welkom", "geen zin")
    with pytest.raises(SessionError):
        session.skip("a.probe", "   ")
    session.skip("a.probe", "poort onbekend")
    assert session.status("a.probe") == "skipped"
    assert session.progress() == (2, 6)
    session.reopen("a.probe")
    assert session.status("a.probe") == "blocked"  # skipping was allowed while blocked; reopened it waits again


def test_secrets_stay_in_memory_but_reach_the_check_params() -> None:
    session = make_session()
    session.confirm("a.welkom")
    session.save_draft("a.form", {"email": "beheer@", "pw": SENTINEL})
    assert SENTINEL not in session.state.model_dump_json()
    assert session.form_values("a.form")["pw"] == SENTINEL  # the form keeps showing it this session
    session.submit("a.form", {"email": "beheer@example.nl", "pw": SENTINEL})
    session.save_draft("a.probe", {"port": "8080"})
    params = session.check_params("a.probe")
    assert params["port"] == "8080" and SENTINEL in params["note"] and params["host"] == "127.0.0.1"
    session.record_result("a.probe", CheckResult(status="fail", message=f"bad {SENTINEL}"), [f"used {SENTINEL}"])
    dumped = session.state.model_dump_json()
    assert SENTINEL not in dumped and "********" in dumped


def test_results_map_to_statuses_and_keep_a_bounded_log_tail() -> None:
    session = make_session()
    with pytest.raises(StepBlocked):
        session.mark_running("a.probe")
    session.confirm("a.welkom")
    session.submit("a.form", {"email": "beheer@example.nl"})
    session.mark_running("a.probe")
    assert session.status("a.probe") == "running" and session.step_state("a.probe").attempts == 1
    session.record_result("a.probe", CheckResult(status="na", message="n/a"), [str(i) for i in range(500)])
    entry = session.step_state("a.probe")
    assert entry.status == "todo" and len(entry.log_tail) == 200 and entry.log_tail[-1] == "499"
    session.record_result("a.probe", CheckResult(status="warn", message="slow"))
    assert session.status("a.probe") == "done"
    session.record_result("a.probe", CheckResult(status="fail", message="refused"))
    assert session.status("a.probe") == "failed"


def test_running_steps_of_a_dead_session_come_back_interrupted() -> None:
    state = ServerState(server="srv")
    state.step("b.adm").status = "running"
    session = Session(small_playbook(), state, None, who="x@y")
    assert session.status("b.adm") == "interrupted" and session.interrupted == ["b.adm"]


def test_welcome_back_message() -> None:
    session = make_session()
    assert session.welcome_back() is None
    session.confirm("a.welkom")
    session.set_cursor("a.form")
    welcome = session.welcome_back()
    later = welcome.last_at + timedelta(hours=3, minutes=5)
    assert welcome.greeting("nl", later) == "Welkom terug: laatst gewerkt 3 uur geleden door admin@srv"
    assert welcome.greeting("en", later) == "Welcome back: last worked 3 hours ago by admin@srv"
    assert (welcome.done, welcome.total) == (1, 6)  # the header shows the progress
    assert welcome.cursor_title == "Formulier"
    assert humanize_ago(timedelta(days=1), "en") == "1 day ago"


def test_form_errors_record_nothing_but_keep_the_draft() -> None:
    session = make_session()
    session.confirm("a.welkom")
    findings = session.submit("a.form", {"email": "geen-adres"})
    assert any(f.level == "error" and f.field == "email" for f in findings)
    assert session.status("a.form") == "todo"
    assert session.step_state("a.form").draft == {"email": "geen-adres"}


def test_open_session_persists_and_resumes(koppel_home: Path) -> None:
    session = open_session(server="AV-SRV01")
    key = "vereisten.editie"
    assert not session.submit(key, {"versie": "9.8", "editie": "Business", "module_autoreport": "ja"})
    session.set_cursor(key)
    session.close()
    again = open_session(server="av-srv01")
    assert again.state.cursor == key and again.status(key) == "done"
    again.close()
    read_only = open_session(server="av-srv01", read_only=True)
    with pytest.raises(ReadOnly):
        read_only.reopen(key)
    read_only.close()
    assert now() - again.state.updated_at < timedelta(minutes=1)


@pytest.mark.parametrize(("env", "expected"), [
    ({"LANG": "C.UTF-8"}, "nl"), ({"LANG": "en_GB.UTF-8"}, "en"), ({"LANG": "nl_NL.UTF-8"}, "nl"),
    ({"LC_ALL": "en_US.UTF-8", "LANG": "nl_NL.UTF-8"}, "en"), ({}, "nl"),
    ({"KOPPEL_LANG": "en", "LANG": "nl_NL.UTF-8"}, "en"),
])
def test_language_comes_from_the_locale_and_is_dutch_when_in_doubt(monkeypatch, env, expected) -> None:
    from tui.state.language import default_lang

    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "KOPPEL_LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in env.items():
        monkeypatch.setenv(variable, value)
    if os.name != "nt":
        assert default_lang() == expected
    assert default_lang("en") == "en" and default_lang("nl") == "nl"
