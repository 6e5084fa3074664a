"""The checks on a playbook that the model alone cannot make: steps and checks that exist, no
circle of requirements, fields and their rules, defaults and choices that fit, text references
and the administraties list. Each problem is located (``sections[2].steps[3].requires: ...``).
"""

from __future__ import annotations

from tui.check_names import CHECKS
from tui.playbook import textrefs
from tui.playbook.coercion import InvalidValue, coerce
from tui.playbook.model import ADMINISTRATIE_REF, FormField, Playbook, Step
from tui.playbook.named_rules import RULES
from tui.playbook.names import did_you_mean


def _cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """One cycle of ``graph`` as [a, b, ..., a], or None. Depth first with an explicit stack, so a
    requires chain of any length is walked without Python's recursion limit."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    for start in graph:
        if start in state:
            continue
        path: list[str] = [start]
        branches = [iter(graph.get(start, []))]
        state[start] = 1
        while branches:
            nxt = next(branches[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                branches.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            elif nxt in graph and nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                branches.append(iter(graph.get(nxt, [])))
    return None


def _ancestors(graph: dict[str, list[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = list(graph.get(start, []))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(graph.get(node, []))
    return seen


def _field_problems(where: str, form_field: FormField, step: Step) -> list[str]:
    problems = []
    if form_field.type == "choice" and not form_field.choices:
        problems.append(f"{where}.choices: a choice field needs choices")
    if form_field.choices and form_field.type != "choice":
        problems.append(f"{where}.choices: only a choice field has choices (type is '{form_field.type}')")
    if form_field.default is not None:
        if form_field.secret:
            problems.append(f"{where}.default: a secret field cannot have a default")
        elif form_field.type == "choice" and form_field.default not in form_field.choices:
            listed = ", ".join(repr(c) for c in form_field.choices)
            problems.append(
                f"{where}.default: {form_field.default!r} is not one of the choices ({listed})"
                f"{did_you_mean(str(form_field.default), form_field.choices)}"
            )
        else:
            try:
                coerce(form_field, form_field.default)
            except InvalidValue as invalid:
                problems.append(f"{where}.default: {invalid.message('en')}")
    field_ids = [f.id for f in step.fields]
    for r, ref in enumerate(form_field.rules):
        at = f"{where}.rules[{r}]"
        registered = RULES.get(ref.name)
        if registered is None:
            problems.append(f"{at}.name: unknown rule '{ref.name}'{did_you_mean(ref.name, RULES)}")
            continue
        for name, value in ref.params.items():
            if name not in registered.params:
                hint = did_you_mean(name, registered.params)
                problems.append(f"{at}.params: unknown parameter '{name}' of rule '{ref.name}'{hint}")
            elif not isinstance(value, registered.params[name][0]):
                wanted = registered.params[name][0].__name__
                problems.append(f"{at}.params.{name}: expected {wanted}, got {value!r}")
        for name, (_, default) in registered.params.items():
            if default is None and name not in ref.params:
                problems.append(f"{at}.params: rule '{ref.name}' needs parameter '{name}'")
        for name in registered.field_params:
            other = registered.with_defaults(ref.params).get(name)
            if isinstance(other, str) and other not in field_ids:
                problems.append(
                    f"{at}.params.{name}: unknown field '{other}' in step '{step.id}'"
                    f"{did_you_mean(other, field_ids)}"
                )
    return problems


def cross_check(playbook: Playbook) -> list[str]:
    """Every problem of a playbook the model accepted, each located; empty when there is none."""
    problems: list[str] = []
    steps = {}
    where_step: dict[str, str] = {}
    section_ids: set[str] = set()
    for s, section in enumerate(playbook.sections):
        if section.id in section_ids:
            problems.append(f"sections[{s}].id: duplicate section id '{section.id}'")
        section_ids.add(section.id)
        for t, step in enumerate(section.steps):
            where = f"sections[{s}].steps[{t}]"
            if step.id in steps:
                problems.append(f"{where}.id: duplicate step id '{step.id}' (first at {where_step[step.id]})")
                continue
            steps[step.id] = step
            where_step[step.id] = where

    graph = {step_id: list(step.requires) for step_id, step in steps.items()}
    for step_id, step in steps.items():
        where = where_step[step_id]
        problems.extend(_step_problems(where, step, steps, graph))

    if cycle := _cycle({k: [r for r in v if r in steps and r != k] for k, v in graph.items()}):
        first = cycle[0]
        problems.append(f"{where_step[first]}.requires: cycle {' -> '.join(cycle)}")

    problems.extend(_administraties_problems(playbook, steps))
    problems.extend(textrefs.playbook_problems(playbook))  # koppel's own lines: their {step:field}s
    return problems


def _step_problems(where: str, step: Step, steps: dict[str, Step], graph: dict[str, list[str]]) -> list[str]:
    problems = []
    for required in step.requires:
        if required == step.id:
            problems.append(f"{where}.requires: step '{step.id}' requires itself")
        elif required not in steps:
            problems.append(f"{where}.requires: unknown step '{required}'{did_you_mean(required, steps)}")
    if len(set(step.requires)) != len(step.requires):
        problems.append(f"{where}.requires: a step is listed twice")

    seen_fields: set[str] = set()
    for f, form_field in enumerate(step.fields):
        if form_field.id in seen_fields:
            problems.append(f"{where}.fields[{f}].id: duplicate field id '{form_field.id}'")
        seen_fields.add(form_field.id)
        problems.extend(_field_problems(f"{where}.fields[{f}]", form_field, step))

    if step.kind in ("check", "action") and step.check is None:
        problems.append(f"{where}.check: a {step.kind} step needs a check")
    if step.kind in ("manual", "form") and step.check is not None:
        problems.append(f"{where}.check: a {step.kind} step has no check (use kind 'check' or 'action')")
    if step.kind == "form" and not step.fields:
        problems.append(f"{where}.fields: a form step needs fields")
    for w, warning in enumerate(step.warnings):
        if warning.after is not None and not 1 <= warning.after <= len(step.instructions):
            problems.append(
                f"{where}.warnings[{w}].after: instruction {warning.after} does not exist "
                f"(the step has {len(step.instructions)})"
            )
    if step.menu_path is not None and not all(part.strip() for part in step.menu_path.split(">")):
        problems.append(f"{where}.menu_path: '{step.menu_path}' is not like 'Opties > Licentie downloaden'")
    if step.check is not None:
        problems.extend(_check_problems(where, step, steps, graph))
    if step.copy_from is not None:
        problems.extend(_copy_from_problems(where, step, steps, graph))
    return problems


def _copy_from_problems(where: str, step: Step, steps: dict[str, Step], graph: dict[str, list[str]]) -> list[str]:
    source = step.copy_from
    assert source is not None
    at = f"{where}.copy_from"
    if source not in steps:
        return [f"{at}: unknown step '{source}'{did_you_mean(source, steps)}"]
    if steps[source].check is None:
        return [f"{at}: step '{source}' has no check to copy from"]
    if source != step.id and source not in _ancestors(graph, step.id):
        return [f"{at}: copies from '{source}' but the step does not require '{source}'"]
    return []


def _check_problems(where: str, step: Step, steps: dict[str, Step], graph: dict[str, list[str]]) -> list[str]:
    assert step.check is not None
    problems = []
    if step.check.name not in CHECKS:
        problems.append(f"{where}.check.name: unknown check '{step.check.name}'{did_you_mean(step.check.name, CHECKS)}")
    if step.check.timeout is not None and step.check.timeout <= 0:
        problems.append(f"{where}.check.timeout: must be more than 0 seconds")
    readable = _ancestors(graph, step.id) | {step.id}
    for param, step_id, field_id in step.check.references():
        at = f"{where}.check.params.{param}"
        if field_id is None:
            if step_id != ADMINISTRATIE_REF:
                problems.append(
                    f"{at}: unknown placeholder '{{{step_id}}}' (use {{step_id:field}} or {{administratie}})"
                )
            elif step.scope != "administratie":
                problems.append(f"{at}: '{{administratie}}' only exists in a step with scope 'administratie'")
        elif step_id not in steps:
            problems.append(f"{at}: unknown step '{step_id}'{did_you_mean(step_id, steps)}")
        elif steps[step_id].field(field_id) is None:
            known = [f.id for f in steps[step_id].fields]
            problems.append(f"{at}: step '{step_id}' has no field '{field_id}'{did_you_mean(field_id, known)}")
        elif step_id not in readable:
            problems.append(f"{at}: reads '{step_id}:{field_id}' but the step does not require '{step_id}'")
    return problems


def _administraties_problems(playbook: Playbook, steps: dict[str, Step]) -> list[str]:
    scoped = [step.id for step in steps.values() if step.scope == "administratie"]
    ref = playbook.administraties_ref()
    if ref is None:
        return [f"administraties_field: missing; scoped steps need it ({', '.join(scoped)})"] if scoped else []
    step_id, field_id = ref
    at = "administraties_field"
    step = steps.get(step_id)
    if step is None:
        return [f"{at}: unknown step '{step_id}'{did_you_mean(step_id, steps)}"]
    form_field = step.field(field_id)
    if form_field is None:
        known = [f.id for f in step.fields]
        return [f"{at}: step '{step_id}' has no field '{field_id}'{did_you_mean(field_id, known)}"]
    problems = []
    if form_field.type != "list":
        problems.append(f"{at}: field '{step_id}:{field_id}' must be of type 'list'")
    if step.scope != "server":
        problems.append(f"{at}: step '{step_id}' cannot itself be scoped per administratie")
    return problems
