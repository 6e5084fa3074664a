"""The engine: parameters, deadline, errors, cancellation, run_many, the log file.

This test module doubles as a check module ("fake"): registry.CHECKS is pointed at it, so the
engine loads it exactly as it loads a real check.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import threading
import time
from typing import Literal

import pytest
from pydantic import BaseModel, SecretStr

from tui.checks import registry
from tui.checks.base import CheckContext, CheckResult, LogLine, Progress, worst
from tui.checks.engine import LogFile, run_check, run_many

from tests.netservers import ROOT

# --- the fake check -----------------------------------------------------------------------------

TITLE = {"nl": "Nepcontrole", "en": "Fake check"}
KIND = "check"
DEFAULT_TIMEOUT = 5.0
DEADLINE_PARAM = "timeout"
SEEN: list[dict] = []  # what the fake saw of its context, per run
TOGETHER: dict = {}  # mode "together": runs that finish only once all of them have started


class Params(BaseModel):
    mode: Literal["ok", "raise", "raise_in_group", "sleep", "none", "secret", "own_timeout", "together"] = "ok"
    seconds: float = 0.0
    password: SecretStr | None = None
    timeout: float | None = None


async def run(params: Params, ctx: CheckContext) -> CheckResult:
    SEEN.append({"remaining": ctx.remaining(), "lang": ctx.lang})
    ctx.log(f"fake {params.mode}")
    if params.mode == "raise":
        raise RuntimeError("boom\nwith a second line")
    if params.mode == "raise_in_group":
        async with asyncio.TaskGroup() as group:
            group.create_task(asyncio.sleep(0))
            group.create_task(run(Params(mode="raise"), ctx))
    if params.mode == "sleep":
        try:
            await asyncio.sleep(params.seconds)
        finally:
            SEEN[-1]["cleaned_up"] = True
    if params.mode == "together":  # one run at a time, the first would wait here until its deadline
        TOGETHER["started"] += 1
        if TOGETHER["started"] == TOGETHER["expected"]:
            TOGETHER["all_started"].set()
        await TOGETHER["all_started"].wait()
    if params.mode == "none":
        return None  # type: ignore[return-value]
    if params.mode == "own_timeout":
        await asyncio.wait_for(asyncio.sleep(1), 0.01)
    if params.mode == "secret":
        secret = params.password.get_secret_value()
        ctx.log(f"connecting with {secret}")
        ctx.progress(1, 2, f"still {secret}")
        return CheckResult(status="fail", message=f"refused {secret}", hint=secret, evidence={"tried": [secret]})
    return CheckResult(status="ok", message="done" if ctx.lang == "en" else "gelukt")


@pytest.fixture(autouse=True)
def fake_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "CHECKS", {**registry.CHECKS, "fake": __name__})
    SEEN.clear()
    TOGETHER.update(started=0, expected=2, all_started=asyncio.Event())


class Collect(list):
    def __call__(self, event) -> None:
        self.append(event)

    @property
    def lines(self) -> list[str]:
        return [event.text for event in self if isinstance(event, LogLine)]


# --- parameters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "lang", "message"),
    [
        ({"host": "127.0.0.1", "port": 70000}, "en", "port: must be a whole number from 1 to 65535"),
        ({"host": "127.0.0.1", "port": "abc"}, "en", "port: must be a whole number from 1 to 65535"),
        ({"host": "127.0.0.1", "port": 0}, "nl", "port: moet een geheel getal van 1 tot en met 65535 zijn"),
        ({"port": 80}, "en", "host: is required"),
        ({"host": "127.0.0.1", "port": 80, "timeout": -1}, "en", "timeout: must be a number greater than 0"),
        ({"host": "127.0.0.1", "port": 80, "prot": 1}, "en", "prot: unknown parameter"),
        ({"host": "https://example/", "port": 80}, "en", "host: just a host name or IP address, without http:// and without a port"),
    ],
)
async def test_bad_params_give_one_located_line(params: dict, lang: str, message: str) -> None:
    result = await run_check("tcp", params, lang=lang)
    assert result.status == "fail"
    assert result.message == message
    assert "\n" not in result.message and result.hint
    assert result.evidence["bad_params"] == message.split("; ")


async def test_every_problem_is_listed() -> None:
    result = await run_check("tcp", {"port": "x", "extra": 1}, lang="en")
    assert result.message.split("; ") == ["extra: unknown parameter", "host: is required", "port: must be a whole number from 1 to 65535"]


async def test_unknown_check_is_a_result_not_an_exception() -> None:
    result = await run_check("nope", {}, lang="en")
    assert result.status == "fail"
    assert "unknown check 'nope'" in result.message and "tcp" in result.message


# --- running ------------------------------------------------------------------------------------


async def test_ok_run_fills_duration_and_language() -> None:
    collect = Collect()
    result = await run_check("fake", {"mode": "sleep", "seconds": 0.05}, lang="en", emit=collect)
    assert (result.status, result.message) == ("ok", "done")
    assert 40 <= result.duration_ms < 1000
    assert collect.lines == ["fake sleep"]
    assert SEEN[0]["lang"] == "en"


async def test_deadline_comes_from_timeout_then_params_then_module() -> None:
    await run_check("fake", {"timeout": 3}, timeout=2)
    await run_check("fake", {"timeout": 3})
    await run_check("fake", {})
    assert [round(seen["remaining"]) for seen in SEEN] == [2, 3, 5]


async def test_a_timeout_param_is_the_deadline_only_when_the_module_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "DEADLINE_PARAM", None)
    await run_check("fake", {"timeout": 3})
    assert round(SEEN[0]["remaining"]) == 5


@pytest.mark.parametrize(("lang", "text"), [("en", "deadline of 0.3 s reached"), ("nl", "tijdslimiet van 0.3 s bereikt")])
async def test_deadline_ends_a_hanging_check_in_time(lang: str, text: str) -> None:
    collect = Collect()
    started = time.monotonic()
    result = await run_check("fake", {"mode": "sleep", "seconds": 30}, lang=lang, emit=collect, timeout=0.3)
    elapsed = time.monotonic() - started
    assert 0.29 <= elapsed < 10  # the check sleeps 30 s: only the deadline ends it this soon
    assert (result.status, result.message) == ("fail", text)
    assert result.hint and text in collect.lines
    assert SEEN[0]["cleaned_up"]


async def test_exception_becomes_a_result_and_the_traceback_goes_to_the_log_file(tmp_path) -> None:
    collect = Collect()
    log = LogFile(tmp_path / "server.log")
    result = await run_check("fake", {"mode": "raise"}, lang="en", emit=collect, log_file=log)
    assert (result.status, result.message) == ("fail", "boom with a second line")
    assert "Traceback" not in result.message + result.hint
    internal = [line for line in collect.lines if "internal error" in line]
    assert internal == ["internal error in check 'fake': RuntimeError: boom with a second line"]
    written = log.path.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in written and "RuntimeError: boom" in written


async def test_a_single_error_in_a_task_group_is_named_itself() -> None:
    collect = Collect()
    result = await run_check("fake", {"mode": "raise_in_group"}, lang="en", emit=collect)
    assert result.message == "boom with a second line"
    assert "internal error in check 'fake': RuntimeError: boom with a second line" in collect.lines


async def test_a_timeout_of_the_checks_own_is_an_error_not_the_deadline() -> None:
    result = await run_check("fake", {"mode": "own_timeout"}, lang="en")
    assert result.status == "fail"
    assert "deadline" not in result.message


async def test_a_check_returning_no_result_is_an_internal_error() -> None:
    result = await run_check("fake", {"mode": "none"}, lang="en")
    assert result.status == "fail" and "NoneType" in result.message


async def test_secret_params_never_leave_the_engine() -> None:
    collect = Collect()
    sentinel = "S3cr3t/with&chars"
    result = await run_check("fake", {"mode": "secret", "password": sentinel}, emit=collect)
    everything = result.model_dump_json() + repr([vars(event) for event in collect])
    assert "S3cr3t" not in everything
    assert "refused ********" == result.message
    assert any(isinstance(event, Progress) and event.text == "still ********" for event in collect)


async def test_cancellation_propagates_after_cleanup() -> None:
    task = asyncio.create_task(run_check("fake", {"mode": "sleep", "seconds": 30}, lang="en"))
    while not SEEN:
        await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert SEEN[0]["cleaned_up"]


# --- run_many -----------------------------------------------------------------------------------


async def test_run_many_runs_side_by_side() -> None:
    streams: dict[str, Collect] = {"a": Collect(), "b": Collect()}
    items = [(key, "fake", {"mode": "together"}) for key in streams]
    results = await run_many(items, lang="en", emit_for=streams.__getitem__, concurrency=4)
    # each run waits until both have started: run one after the other, the first ends at its deadline
    assert list(results) == ["a", "b"] and all(result.status == "ok" for result in results.values()), results
    assert all(collect.lines == ["fake together"] for collect in streams.values())


async def test_run_many_respects_the_concurrency_limit() -> None:
    items = [(key, "fake", {"mode": "sleep", "seconds": 0.15}) for key in ("a", "b", "c")]
    started = time.monotonic()
    results = await run_many(items, concurrency=1)
    assert time.monotonic() - started >= 0.45
    assert len(results) == 3


async def test_run_many_gives_each_key_its_own_deadline() -> None:
    items = [(key, "fake", {"mode": "sleep", "seconds": 0.2}) for key in ("quick", "patient")]
    results = await run_many(items, lang="en", timeouts={"quick": 0.05})
    assert results["quick"].message == "deadline of 0.05 s reached"
    assert results["patient"].status == "ok"


async def test_run_many_wants_distinct_keys() -> None:
    with pytest.raises(ValueError):
        await run_many([("a", "fake", {}), ("a", "fake", {})])


def test_worst_status() -> None:
    assert worst(["ok", "warn", "na"]) == "warn"
    assert worst(["ok", "fail", "warn"]) == "fail"
    assert worst([]) == "ok"


# --- the log file -------------------------------------------------------------------------------


def test_log_file_stamps_lines_in_utf8(tmp_path) -> None:
    log = LogFile(tmp_path / "logs" / "srv.log")
    at = time.mktime((2025, 3, 4, 5, 6, 7, 0, 0, -1))
    log.write([LogLine("één € regel", at=at), "two\nlines"])
    lines = log.path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "2025-03-04 05:06:07.000 één € regel"
    assert [line[24:] for line in lines[1:]] == ["two", "lines"]
    assert all(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} ", line) for line in lines)


def test_log_file_batches_stay_together_across_threads(tmp_path) -> None:
    log = LogFile(tmp_path / "srv.log")

    def writer(name: str) -> None:
        for batch in range(20):
            log.write(f"{name} {batch} {line}" for line in range(5))

    threads = [threading.Thread(target=writer, args=(name,)) for name in "abcd"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    texts = [line[24:] for line in log.path.read_text(encoding="utf-8").splitlines()]
    assert len(texts) == 4 * 20 * 5
    for start in range(0, len(texts), 5):  # every batch of five is contiguous and in order
        name, batch, _ = texts[start].split()
        assert texts[start : start + 5] == [f"{name} {batch} {line}" for line in range(5)]


def test_log_file_rotates_once(tmp_path) -> None:
    log = LogFile(tmp_path / "srv.log", max_bytes=300)
    for batch in range(12):
        log.write([f"batch {batch} " + "x" * 40])
    rotated = log.rotated_path
    assert rotated.name == "srv.log.1" and rotated.exists()
    assert not (tmp_path / "srv.log.2").exists()
    assert log.path.stat().st_size <= 300 and rotated.stat().st_size <= 300
    current, old = log.path.read_text(encoding="utf-8"), rotated.read_text(encoding="utf-8")
    assert "batch 11 " in current and "batch 0 " not in current + old  # the oldest batches are gone
    assert "batch 10 " in current + old


# --- headless use -------------------------------------------------------------------------------


def test_importing_the_checks_stays_light() -> None:
    """The engine and the network checks import without httpx, truststore or Textual."""
    code = (
        "import sys, time; t = time.perf_counter();"
        "import tui.checks.engine, tui.checks.tcp, tui.checks.https;"
        "print(round((time.perf_counter() - t) * 1000));"
        "print(sorted(m for m in ('httpx', 'truststore', 'textual', 'cryptography', 'tui.cli') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=30, check=True)
    millis, heavy = out.stdout.splitlines()
    assert heavy == "[]"
    print(f"import of engine + tcp + https: {millis} ms")


async def test_run_many_reports_each_result_as_it_comes() -> None:
    from tui.checks.engine import run_many

    heard: list[tuple[str, str]] = []
    results = await run_many([("bad", "tcp", {"host": "127.0.0.1", "port": 0}), ("also", "version", {"version": "9.8"})],
                             on_result=lambda key, result: heard.append((key, result.status)))
    assert sorted(heard) == sorted((key, result.status) for key, result in results.items())
    assert dict(heard) == {"bad": "fail", "also": "ok"}
