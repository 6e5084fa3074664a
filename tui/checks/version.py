"""Is this AccountView 9.8 or later? The note: "Product: AccountView 9.8 en hoger".

``parse_av_version`` is the single implementation of reading an AccountView version; the
playbook rule ``version_min`` and the licence reader use it too.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from tui.checks.base import CheckContext, CheckResult

TITLE = {"nl": "AccountView-versie 9.8 of hoger", "en": "AccountView version 9.8 or later"}
KIND = "check"
DEFAULT_TIMEOUT = 1.0

MIN_AV_VERSION: tuple[int, ...] = (9, 8)

# "9.8", "10.0", "9.8.1", "AccountView 9.8b", Dutch "9,8": the first dotted number in the text
_VERSION = re.compile(r"(?<![\d.,])(\d{1,3}(?:[.,]\d{1,4}){0,3})(?![\d])")


def parse_av_version(text: str) -> tuple[int, ...] | None:
    """(9, 8) from "9.8" or "Versie 9.8 SP1"; None when the text holds no version number."""
    match = _VERSION.search(text or "")
    if not match:
        return None
    return tuple(int(part) for part in re.split(r"[.,]", match.group(1)))


def format_version(version: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in version)


def meets_minimum(version: tuple[int, ...], minimum: tuple[int, ...] = MIN_AV_VERSION) -> bool:
    """Numeric per part, shorter padded with zeros: 10.0 > 9.8, 9.10 > 9.8, 9.8 == 9.8.0."""
    width = max(len(version), len(minimum))
    return version + (0,) * (width - len(version)) >= minimum + (0,) * (width - len(minimum))


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str
    minimum: str = format_version(MIN_AV_VERSION)


def where_to_look(ctx: CheckContext) -> str:
    return ctx.t("U ziet de versie in AccountView via Help > Info.", "AccountView shows its version under Help > Info.")


async def run(params: Params, ctx: CheckContext) -> CheckResult:
    version = parse_av_version(params.version)
    minimum = parse_av_version(params.minimum) or MIN_AV_VERSION
    if version is None:
        return CheckResult(
            status="fail",
            message=ctx.t(
                f"'{params.version}' is geen versienummer zoals 9.8 of 10.0.",
                f"'{params.version}' is not a version number such as 9.8 or 10.0.",
            ),
            hint=where_to_look(ctx),
        )
    shown, needed = format_version(version), format_version(minimum)
    evidence = {"version": shown, "minimum": needed}
    if meets_minimum(version, minimum):
        return CheckResult(
            status="ok",
            message=ctx.t(f"AccountView {shown} voldoet (minimaal {needed}).", f"AccountView {shown} is fine (at least {needed})."),
            evidence=evidence,
        )
    return CheckResult(
        status="fail",
        message=ctx.t(
            f"AccountView {shown} is te oud: minimaal {needed} is nodig.",
            f"AccountView {shown} is too old: at least {needed} is required.",
        ),
        hint=ctx.t("Vraag de update aan. ", "Request the update. ") + where_to_look(ctx),
        evidence=evidence,
    )
