"""The wings' arrows point down only (architecture.md), there are no import circles, the core wings
never import Textual, and headless commands start without it. Imports are read from the source
(every import statement, lazy ones and type-checking ones included), not from a running koppel."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

from pathlib import Path


from tests.conftest import ROOT

# The wings table of architecture.md: what each wing may import besides itself. playbook and checks
# stand side by side (neither imports the other); the state imports the playbook, not the checks.
MAY_IMPORT = {
    "face": {"ui", "runs", "state", "playbook", "checks", "ground"},
    "ui": {"runs", "state", "playbook", "checks", "ground"},
    "runs": {"state", "playbook", "checks", "ground"},
    "state": {"playbook", "ground"},
    "playbook": {"ground"},
    "checks": {"ground"},
    "ground": set(),
}
WINGS = {  # module name or package prefix -> wing; the longest match decides
    "tui.cli": "face", "tui.headless": "face", "tui.__main__": "face", "tui.server_choice": "face",
    "tui.output_file": "face", "tui.console": "face",
    "tui.app": "ui", "tui.screens": "ui", "tui.widgets": "ui", "tui.keys": "ui", "tui.commands": "ui",
    "tui.typeahead": "ui",
    "tui.runs": "runs", "tui.crash": "runs",  # the last resort: the app and the face both hand it a bug
    "tui.state": "state", "tui.report": "state",
    "tui.playbook": "playbook", "tui.playbooks": "playbook",
    "tui.checks": "checks",
    "tui.ui_text": "ground", "tui.text": "ground", "tui.marks": "ground",
    "tui.secrets": "ground", "tui.safe_text": "ground", "tui.limits": "ground", "tui.exit_codes": "ground",
    "tui.check_names": "ground", "tui.versions": "ground",
}
CORE_WINGS = ("runs", "state", "playbook", "checks", "ground")
UI_LIBRARIES = ("textual", "rich")
# arrows against the wings still in the code, each with who removes it; the xfail test below fails
# (strict) as soon as one is gone, so the list is kept honest
KNOWN_WRONG: dict[tuple[str, str], str] = {}  # an arrow against the wings, tolerated until its fix lands


def wing_of(module: str) -> str | None:
    if module == "tui":  # the package itself: __version__
        return "ground"
    parts = module.split(".")
    for end in range(len(parts), 1, -1):
        wing = WINGS.get(".".join(parts[:end]))
        if wing is not None:
            return wing
    return None


def module_names(root: Path) -> dict[str, Path]:
    names = {}
    for path in sorted((root / "tui").rglob("*.py")):
        dotted = ".".join(path.relative_to(root).with_suffix("").parts)
        names[dotted.removesuffix(".__init__")] = path
    return names


def _type_checking_only(tree: ast.Module) -> set[ast.AST]:
    """The import statements under ``if TYPE_CHECKING:``."""
    return {node for block in ast.walk(tree) if isinstance(block, ast.If)
            and isinstance(block.test, ast.Name) and block.test.id == "TYPE_CHECKING"
            for statement in block.body for node in ast.walk(statement)}


def imports_of(path: Path, known: set[str], *, typing: bool = True) -> set[str]:
    """Every module ``path`` imports, wherever in the file (a function's lazy import counts too);
    ``typing`` False: not those imported for type checking only (they never run)."""
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = set() if typing else _type_checking_only(tree)
    for node in ast.walk(tree):
        if node in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:  # "from tui.checks import registry" imports tui.checks.registry
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in known else node.module)
    return found


def import_graph(root: Path = ROOT, *, typing: bool = True) -> dict[str, set[str]]:
    names = module_names(root)
    known = set(names)
    return {name: imports_of(path, known, typing=typing) for name, path in names.items()}


def wrong_arrows(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(importer, imported) for each import against the wings' direction, and each core module
    that imports a UI library."""
    wrong = []
    for module, imported in graph.items():
        wing = wing_of(module)
        if wing is None:  # said by test_every_module_has_a_wing
            continue
        for target in sorted(imported):
            if target.split(".")[0] in UI_LIBRARIES:
                if wing in CORE_WINGS:
                    wrong.append((module, target))
                continue
            if target.split(".")[0] != "tui":
                continue
            target_wing = wing_of(target)
            if target_wing is None or (target_wing != wing and target_wing not in MAY_IMPORT[wing]):
                wrong.append((module, target))
    return wrong


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles: strongly connected groups of modules (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:  # recursion depth: the longest import chain, a few dozen
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in graph:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_module_has_a_wing() -> None:
    assert [m for m in module_names(ROOT) if wing_of(m) is None] == []


def test_every_arrow_points_down_the_wings() -> None:
    wrong = [arrow for arrow in wrong_arrows(import_graph()) if arrow not in KNOWN_WRONG]
    assert wrong == [], "\n".join(f"{a} imports {b}" for a, b in wrong)


def test_no_import_circles_anywhere() -> None:
    """At run time: a screen's ``app: KoppelApp`` annotation imports the app for type checking only."""
    assert circles(import_graph(typing=False)) == []


def test_the_rules_catch_a_wrong_arrow_and_a_circle() -> None:
    bad = {
        "tui.state.session": {"tui.checks.engine", "tui.playbook.model"},  # state -> checks: wrong
        "tui.playbook.loader": {"tui.checks.registry", "tui.check_names"},  # side by side: wrong
        "tui.app": {"tui.headless", "tui.runs"},  # ui -> face: wrong
        "tui.checks.tcp": {"textual.widgets", "tui.secrets"},  # a core wing and Textual: wrong
        "tui.runs.runner": {"tui.state.session", "tui.checks.engine"},  # down: fine
        "tui.a": {"tui.b"}, "tui.b": {"tui.c"}, "tui.c": {"tui.a"}, "tui.d": {"tui.a"},
    }
    arrows = {k: v for k, v in bad.items() if wing_of(k) is not None}
    assert wrong_arrows(arrows) == [
        ("tui.state.session", "tui.checks.engine"), ("tui.playbook.loader", "tui.checks.registry"),
        ("tui.app", "tui.headless"), ("tui.checks.tcp", "textual.widgets")]
    assert circles(bad) == [["tui.a", "tui.b", "tui.c"]]


def test_core_wings_import_no_textual_at_all() -> None:  # also not lazily, not for type checking
    graph = import_graph()
    assert [(m, t) for m, imported in graph.items() if wing_of(m) in CORE_WINGS
            for t in imported if t.split(".")[0] in UI_LIBRARIES] == []


def core_modules() -> list[str]:
    return sorted(m for m in module_names(ROOT) if wing_of(m) in CORE_WINGS)


def run_python(code: str, env: dict[str, str]) -> dict:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_importing_every_core_module_loads_no_textual_httpx_or_pypdf(subprocess_env: dict[str, str]) -> None:
    code = (
        "import importlib, json, sys\n"
        f"for name in {core_modules()!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in ('textual', 'httpx', 'pypdf') if m in sys.modules)))"
    )
    assert run_python(code, subprocess_env) == []


def test_headless_status_runs_without_textual(subprocess_env: dict[str, str]) -> None:
    code = (
        "import contextlib, io, json, sys\n"
        "from tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()): code = main(['status', '--server', 'probe-srv'])\n"
        "print(json.dumps([code, sorted(m for m in ('textual', 'httpx', 'pypdf') if m in sys.modules)]))"
    )
    assert run_python(code, subprocess_env) == [1, []]  # 1: no state for probe-srv yet, said without Textual


MAX_MODULE_LINES = 450  # the founders' brief: a module over this mixes concerns; split it along its seams
DATA_MODULES = ("tui.text.nl", "tui.text.en")  # one row per text: a table, not code


def test_no_module_is_over_450_lines() -> None:
    long = {name: count for name, path in module_names(ROOT).items() if name not in DATA_MODULES
            and (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert long == {}, long
