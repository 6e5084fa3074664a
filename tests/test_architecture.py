"""The core wings never import Textual; headless commands start without it."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

CORE_WINGS = ("playbook", "state", "checks")


def core_modules() -> list[str]:
    modules = []
    for wing in CORE_WINGS:
        for path in sorted((ROOT / "tui" / wing).glob("*.py")):
            modules.append(f"tui.{wing}.{path.stem}".removesuffix(".__init__"))
    return modules


@pytest.mark.parametrize("wing", CORE_WINGS)
def test_core_source_never_imports_textual_or_the_face(wing: str) -> None:
    offenders = []
    for path in (ROOT / "tui" / wing).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                if name.split(".")[0] == "textual" or name in ("tui.cli", "tui.app", "tui.headless") or \
                        name.startswith(("tui.screens", "tui.widgets")):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    assert not offenders, offenders


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
