"""Validation of the admin's answers: type coercion per field type (tui.playbook.coercion),
``required``, and the named rules (tui.playbook.named_rules, registered in ``RULES``).

A playbook attaches rules to a field with parameters (``rules = [{ name = "version_min", params =
{ min = "9.8" } }]``). A rule sees the field's value (already coerced, never empty unless the rule
asks for empty values) and the step's other values (tui.playbook.rule_model.RuleContext).

Every message exists in Dutch and English. A secret's value never appears in a message.
"""

from __future__ import annotations

from typing import Any

from tui.playbook.coercion import InvalidValue, coerce
from tui.playbook.model import FormField, Step
from tui.playbook.named_rules import RULES
from tui.playbook.rule_model import Finding, RuleContext, is_empty
from tui.secrets import MASK
from tui.text import t


def _required_message(form_field: FormField, lang: str) -> str:
    if form_field.type == "bool":
        # the form offers ja/nee (yes/no) to choose from, not a box to tick
        return t("rule.choose_yes", lang)
    return t("rule.required", lang)


def _scrub(message: str, form_field: FormField, raw: Any) -> str:
    """A secret's value never reaches a message, whatever a rule wrote."""
    if form_field.secret and isinstance(raw, str) and raw.strip():
        for secret in {raw, raw.strip()}:
            message = message.replace(secret, MASK)
    return message


def _apply_rules(
    form_field: FormField, value: Any, step: Step, values: dict[str, Any], lang: str
) -> list[Finding]:
    findings: list[Finding] = []
    for ref in form_field.rules:
        registered = RULES.get(ref.name)
        if registered is None:  # the loader reports unknown rules; never crash a form over it
            continue
        ctx = RuleContext(step, form_field, registered.with_defaults(ref.params), values, lang)
        if is_empty(value):
            targets = [value] if registered.on_empty else []
        elif isinstance(value, list) and not registered.on_empty:
            targets = value  # a list field: the rule judges every item
        else:
            targets = [value]
        for target in targets:
            outcome = registered.fn(target, ctx)
            if isinstance(outcome, str):
                outcome = Finding(form_field.id, "error", outcome)
            if outcome is not None:
                findings.append(outcome)
    return findings


def validate_values(
    step: Step, values: dict[str, Any], lang: str
) -> tuple[dict[str, Any], list[Finding]]:
    """Coerce the raw inputs of ``step``'s form, apply ``required`` and the rules.

    Missing keys take the field's default; keys the step does not know are dropped. Returns the
    cleaned values (secrets included: the caller keeps them in memory only) and the findings;
    errors block a submit, warnings do not.
    """
    cleaned: dict[str, Any] = {}
    findings: list[Finding] = []
    for form_field in step.fields:
        raw = values[form_field.id] if form_field.id in values else form_field.default
        try:
            cleaned[form_field.id] = coerce(form_field, raw)
        except InvalidValue as invalid:
            cleaned[form_field.id] = None
            message = invalid.message(lang)
            findings.append(Finding(form_field.id, "error", message))
            continue
        if form_field.required and (
            is_empty(cleaned[form_field.id]) or (form_field.type == "bool" and cleaned[form_field.id] is not True)
        ):
            findings.append(Finding(form_field.id, "error", _required_message(form_field, lang)))
    failed = {finding.field for finding in findings}
    for form_field in step.fields:
        if form_field.id not in failed:
            findings.extend(_apply_rules(form_field, cleaned[form_field.id], step, cleaned, lang))
    unique = list(dict.fromkeys(findings))
    by_id = {f.id: f for f in step.fields}
    return cleaned, [
        Finding(f.field, f.level, _scrub(f.message, by_id[f.field], values.get(f.field)))
        if f.field in by_id else f
        for f in unique
    ]


def validate_field(
    step: Step, field_id: str, raw: Any, values: dict[str, Any], lang: str
) -> list[Finding]:
    """Live check of one field while the admin types: the findings about ``field_id`` only,
    judged together with the other (raw) ``values`` of the form."""
    _, findings = validate_values(step, {**values, field_id: raw}, lang)
    return [finding for finding in findings if finding.field == field_id]
