"""A state saved by an older koppel whose admin confirmed failed checks by hand: those steps are
"confirmed by hand" today (their own mark and word), never a plain done like a passed check."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tui.cli import main
from tui.state.migration import migrate
from tui.state.model import SCHEMA_VERSION
from tui.state.paths import state_dir
from tui.state.session import open_session

OLD_FILE = Path(__file__).parent / "data" / "state-schema1-done-but-failed.json"  # written by koppel 0.1.0


def placed(koppel_home: Path) -> Path:
    target = state_dir(koppel_home) / "av-srv01.json"
    shutil.copyfile(OLD_FILE, target)
    return target


def test_an_old_done_step_whose_check_failed_or_could_not_run_is_confirmed_by_hand(koppel_home: Path) -> None:
    path = placed(koppel_home)
    session = open_session(server="av-srv01")
    try:
        assert session.status("vooraf.licentie") == "confirmed"  # its check failed
        assert session.status("wizard.communicatie_dienst") == "confirmed"  # could not run here
        assert session.status("vereisten.versie") == "confirmed"  # its check never ran
        assert session.status("vereisten.editie") == "done"  # a form: done
        assert session.step_state("vooraf.licentie").note == "licentie op de server zelf bekeken"  # kept
        assert session.count().confirmed == 3 and session.count().done == 4
    finally:
        session.close()
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["schema_version"] == SCHEMA_VERSION and saved["steps"]["vooraf.licentie"]["status"] == "confirmed"
    assert (path.parent / "av-srv01.json.schema-1").read_bytes() == OLD_FILE.read_bytes()  # the original kept


def test_koppel_status_of_the_old_file_says_confirmed_by_hand(koppel_home: Path, capsys) -> None:
    placed(koppel_home)
    assert main(["status", "--server", "av-srv01", "--json"]) == 0
    steps = {step["id"]: step for step in json.loads(capsys.readouterr().out)["steps"]}
    assert steps["vooraf.licentie"]["status"] == "confirmed"


def test_a_done_step_flagged_by_a_later_check_stays_done() -> None:
    data = json.loads(OLD_FILE.read_text(encoding="utf-8"))
    flagged = data["steps"]["vooraf.licentie"] | {"check_since": "fail"}  # today's koppel: passed, then failed since
    data["steps"]["vooraf.licentie"] = flagged
    assert migrate(data)["steps"]["vooraf.licentie"]["status"] == "done"
    assert data["steps"]["vooraf.licentie"] is flagged  # the input is not changed
