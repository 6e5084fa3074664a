"""The version check: is the AccountView version the admin answered 9.8 or later (tui.versions judges)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from tui.checks.base import CheckContext, CheckResult
from tui.versions import MIN_AV_VERSION, format_version, judge_version

TITLE = {"nl": "AccountView-versie 9.8 of hoger", "en": "AccountView version 9.8 or later"}
KIND = "check"
DEFAULT_TIMEOUT = 1.0


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str
    minimum: str = format_version(MIN_AV_VERSION)


async def run(params: Params, ctx: CheckContext) -> CheckResult:
    verdict = judge_version(params.version, params.minimum, ctx.lang)
    return CheckResult(status="ok" if verdict.ok else "fail", message=verdict.message, hint=verdict.hint,
                       evidence=verdict.evidence)
