"""The rules a playbook can attach to a field by name (``rules = [{ name = "version_min", params =
{ min = "9.8" } }]``), registered in ``RULES``: AccountView's version and edition, the onderneming's
name, e-mail addresses, cross-field rules ("Blk gedemarkeerd" only after "beginbalans overgenomen"),
and the checks' parameters (port, url, hostname). Every message exists in Dutch and English."""

from __future__ import annotations

import ipaddress
import re
from typing import Any, Callable

from tui.playbook.rule_model import Rule, RuleContext, RuleFn, RuleResult, is_empty
from tui.text import t

RULES: dict[str, Rule] = {}


def rule(name: str, **kwargs: Any) -> Callable[[RuleFn], RuleFn]:
    def register(fn: RuleFn) -> RuleFn:
        RULES[name] = Rule(fn, **kwargs)
        return fn

    return register


# --- AccountView version and edition -------------------------------------------------------


@rule("version_min", params={"min": (str, "")})  # empty: koppel's own minimum, the note's 9.8
def version_min(value: Any, ctx: RuleContext) -> RuleResult:
    # the one version reader, shared with the version check; imported here, so loading a playbook
    # loads no check module
    from tui.versions import judge_version

    verdict = judge_version(str(value), ctx.params["min"], ctx.lang)
    if verdict.ok:
        return None
    # the form shows the field's help right above the error: a hint sentence it already says
    # ("U vindt de versie in AccountView via Help > Info.") is left out, the rest stays
    shown_help = ctx.field.help.get(ctx.lang) if ctx.field.help else ""
    hint = [sentence for sentence in _sentences(verdict.hint) if sentence not in shown_help]
    return " ".join([verdict.message, *hint])


def _sentences(text: str) -> list[str]:
    return [sentence for sentence in re.split(r"(?<=[.!?])\s+", text.strip()) if sentence]


@rule("edition", params={"allowed": (list, ["Team", "Business"])})
def edition(value: Any, ctx: RuleContext) -> RuleResult:
    allowed = [str(name) for name in ctx.params["allowed"]]
    words = re.findall(r"[\w-]+", str(value).lower())
    if any(name.lower() in words for name in allowed):
        return None
    names = t("rule.or", ctx.lang).join(f"AccountView {name}" for name in allowed)
    return t("rule.edition_not_enough", ctx.lang, names=names, value=value)


# --- Onderneming ---------------------------------------------------------------------------

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_SHORT_YEAR = re.compile(r"['‘’`]\d{2}(?!\d)")


@rule("no_year")
def no_year(value: Any, ctx: RuleContext) -> RuleResult:
    text = str(value)
    if found := _YEAR.search(text):
        # the note's own words, quoted by both the error (a year) and the warning (a short year)
        return t("rule.looks_like_a_year", ctx.lang, found=found.group(0), no_years=t("rule.no_years", ctx.lang))
    if found := _SHORT_YEAR.search(text):
        return ctx.warning(t("rule.looks_like_a_short_year", ctx.lang, found=found.group(0),
                             no_years=t("rule.no_years", ctx.lang)))
    return None


# --- E-mail addresses ----------------------------------------------------------------------

_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


def email_problem(value: str, lang: str) -> str | None:
    if len(value) <= 254 and _EMAIL.fullmatch(value):
        return None
    return t("rule.email_invalid", lang, value=value)


@rule("email")
def email(value: Any, ctx: RuleContext) -> RuleResult:
    return email_problem(str(value), ctx.lang)


# Local parts that name a role, not a person (the note advises a general address).
_GENERAL_WORDS = {
    "admin", "administrator", "administratie", "beheer", "beheerder", "systeembeheer", "it", "ict",
    "info", "support", "helpdesk", "servicedesk", "service", "finance", "financien", "financiën",
    "boekhouding", "accountview", "visma", "office", "kantoor", "secretariaat", "sales", "noreply",
    "no-reply", "post", "mail", "algemeen", "facturen", "factuur", "crediteuren", "debiteuren",
    "salaris", "hr", "personeelszaken", "inkoop", "verkoop", "ict-beheer", "automatisering",
}
_FREE_MAIL = {
    "gmail.com", "googlemail.com", "hotmail.com", "hotmail.nl", "outlook.com", "outlook.nl",
    "live.com", "live.nl", "msn.com", "yahoo.com", "yahoo.nl", "icloud.com", "me.com", "ziggo.nl",
    "kpnmail.nl", "planet.nl", "home.nl", "xs4all.nl", "hetnet.nl", "casema.nl", "chello.nl",
    "upcmail.nl", "telfort.nl", "tele2.nl", "proton.me", "protonmail.com",
}
# Single-word local parts that are a first name (jan@...): common Dutch first names.
_FIRST_NAMES = {
    "jan", "piet", "kees", "henk", "johan", "peter", "mark", "erik", "eric", "martin", "marco",
    "paul", "frank", "hans", "gerard", "willem", "bas", "tim", "tom", "thomas", "daan", "sander",
    "jeroen", "michiel", "bram", "ruud", "rob", "robert", "richard", "dennis", "stefan", "maria",
    "anna", "anne", "linda", "sandra", "monique", "marieke", "ingrid", "petra", "esther", "sanne",
    "lisa", "emma", "sophie", "julia", "eva", "inge", "karin", "saskia", "marloes", "ilse",
}
_PERSON_LIKE = re.compile(r"[a-zà-ÿ]+(?:[._-][a-zà-ÿ]+)+")  # jan.jansen, j.de-vries, jan_jansen


@rule("general_email")
def general_email(value: Any, ctx: RuleContext) -> RuleResult:
    local, _, domain = str(value).lower().rpartition("@")
    parts = set(re.split(r"[._+-]", local))
    looks_personal = (
        domain in _FREE_MAIL
        or local in _FIRST_NAMES
        or (_PERSON_LIKE.fullmatch(local) is not None and not parts & _GENERAL_WORDS)
    )
    if not looks_personal:
        return None
    return ctx.warning(t("rule.personal_email", ctx.lang))


# --- Cross-field rules ---------------------------------------------------------------------


@rule("blk_after_opening_balance", params={"field": (str, "beginbalans_overgenomen")},
      field_params=("field",), on_empty=True)
def blk_after_opening_balance(value: Any, ctx: RuleContext) -> RuleResult:
    if value is True and ctx.values.get(ctx.params["field"]) is not True:
        return t("rule.new_administraties_are_blocked", ctx.lang, label=ctx.label(ctx.params["field"]))
    return None


@rule("restart_after_visma_changes", params={"field": (str, "geopend_vanuit_accountview")},
      field_params=("field",), on_empty=True)
def restart_after_visma_changes(value: Any, ctx: RuleContext) -> RuleResult:
    if ctx.values.get(ctx.params["field"]) is True and value is not True:
        return t("rule.note_if_you_opened", ctx.lang)
    return None


@rule("required_if", params={"field": (str, None)}, field_params=("field",), on_empty=True)
def required_if(value: Any, ctx: RuleContext) -> RuleResult:
    other_value = ctx.values.get(ctx.params["field"])
    if not is_empty(other_value) and other_value is not False and is_empty(value):
        other = ctx.label(ctx.params["field"])
        return t("rule.required_when_filled_set", ctx.lang, other=other)
    return None


# --- Check parameters ----------------------------------------------------------------------


@rule("port")
def port(value: Any, ctx: RuleContext) -> RuleResult:
    number = value if isinstance(value, int) and not isinstance(value, bool) else None
    if number is None and isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    if number is not None and 1 <= number <= 65535:
        return None
    return t("rule.not_valid_port_choose", ctx.lang, value=value)


@rule("url", params={"schemes": (list, ["http", "https"])})
def url(value: Any, ctx: RuleContext) -> RuleResult:
    from urllib.parse import urlsplit

    from tui.secrets import url_passwords

    schemes = [str(s).lower() for s in ctx.params["schemes"]]
    text = str(value).strip()
    if url_passwords(text):  # the same detection that keeps such an address out of the state file
        return t("rule.address_password", ctx.lang)  # never quotes the address: it holds the password
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a bad port
        valid = parts.scheme.lower() in schemes and bool(parts.hostname) and " " not in text
        valid = valid and hostname_problem(parts.hostname or "", ctx.lang) is None
    except ValueError:
        valid = False
    if valid:
        return None
    shown = "/".join(schemes)
    return t("rule.not_valid_url_start", ctx.lang, value=value, shown=shown)


_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")


def hostname_problem(value: str, lang: str) -> str | None:
    text = value.strip().strip("[]")
    try:
        ipaddress.ip_address(text)
        return None
    except ValueError:
        pass
    name = text[:-1] if text.endswith(".") else text
    labels = name.split(".")
    numeric = all(label.isdigit() for label in labels)  # "300.1.1.1" is a bad IP, not a name
    if name and len(name) <= 253 and not numeric and all(_LABEL.fullmatch(lbl) for lbl in labels):
        return None
    hint = ""
    if "://" in text or "/" in text:
        hint = t("rule.hostname_without_scheme", lang)
    elif ":" in text:
        hint = t("rule.hostname_without_port", lang)
    return t("rule.hostname_invalid", lang, value=value, hint=hint)


@rule("hostname")
def hostname(value: Any, ctx: RuleContext) -> RuleResult:
    return hostname_problem(str(value), ctx.lang)
