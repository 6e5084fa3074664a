"""Is this terminal elevated ("Run as administrator")? The note runs setup.exe "als Administrator".

Off Windows the check is "na": setup.exe and its elevation are a Windows matter; whether the
process runs as root is reported as information only (evidence ``root``).
"""

from __future__ import annotations

import os
from typing import Callable

from pydantic import BaseModel, ConfigDict

from tui.checks.base import CheckContext, CheckResult
from tui.text import t

TITLE = {"nl": "Terminal als Administrator gestart", "en": "Terminal started as Administrator"}
KIND = "check"
DEFAULT_TIMEOUT = 5.0


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")


def is_elevated() -> bool:
    """Windows: an elevated administrator token (IsUserAnAdmin); POSIX: effective uid 0."""
    if os.name == "nt":
        try:
            import ctypes

            return bool(ctypes.windll.shell32.IsUserAnAdmin())  # type: ignore[attr-defined]
        except (AttributeError, OSError):
            return False
    return os.geteuid() == 0


async def run(params: Params, ctx: CheckContext) -> CheckResult:
    return check_elevation(ctx, is_elevated=is_elevated)


def check_elevation(ctx: CheckContext, *, is_elevated: Callable[[], bool]) -> CheckResult:
    """The verdict; ``is_elevated`` is a seam, so the Windows leg reaches "not elevated" too (under
    Wine the user is always an administrator)."""
    elevated = is_elevated()
    if os.name != "nt":
        return CheckResult(
            status="na",
            message=t("elevated.na", ctx.lang),
            evidence={"root": elevated, "platform": os.name},
        )
    if elevated:
        return CheckResult(
            status="ok",
            message=t("elevated.ok", ctx.lang),
            evidence={"elevated": True},
        )
    return CheckResult(
        status="fail",
        message=t("elevated.not", ctx.lang),
        hint=t("elevated.hint", ctx.lang),
        evidence={"elevated": False},
    )
