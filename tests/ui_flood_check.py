"""A check module for the UI tests: floods the log, hangs until cancelled, or says "not here".

Registered by the tests in place of a real check (``registry.CHECKS[name] = __name__``).
"""

from __future__ import annotations

import asyncio
from typing import Any

from pydantic import BaseModel, ConfigDict

from tui.checks.base import CheckContext, CheckResult

TITLE = {"nl": "Testcontrole", "en": "Test check"}
KIND = "check"
DEFAULT_TIMEOUT = 30.0
MODE = "flood"  # flood | hang | na
LINES = 50_000
CHUNK = 500
cleaned_up = False
# When a test sets this to an Event, the flood keeps pouring (the first lines over again) until the
# event is set: "keys work during the flood" then holds by order, whatever the machine's load.
keep_pouring_until: asyncio.Event | None = None


class Params(BaseModel):
    """The parameters of the https check it stands in for."""

    model_config = ConfigDict(extra="forbid")
    url: str = ""
    extra_urls: Any = None
    proxy: Any = None
    proxy_user: Any = None
    proxy_password: Any = None


async def run(params: Params, ctx: CheckContext) -> CheckResult:
    global cleaned_up
    if MODE == "na":
        return CheckResult(status="na", message="alleen op Windows")
    if MODE == "hang":
        ctx.log("waiting for ever")
        try:
            await asyncio.sleep(3600)
        finally:
            cleaned_up = True
    while keep_pouring_until is not None and not keep_pouring_until.is_set():
        await _pour(ctx, 0)
    for start in range(0, LINES, CHUNK):
        await _pour(ctx, start)
    return CheckResult(status="ok", message=f"{LINES} lines", evidence={"clipboard": "LICENCE-TEXT-123"})


async def _pour(ctx: CheckContext, start: int) -> None:
    for number in range(start, start + CHUNK):
        ctx.log(f"line {number}")
    ctx.progress(start + CHUNK, LINES, "lines")
    await asyncio.sleep(0.02)  # ~1 s for all 50,000 lines, like a chatty installer
