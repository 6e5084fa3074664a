"""Files from outside that named things they should not (issue 9 item 12): each fault by name."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.adversarial.test_limits import chain_playbook
from tui.checks.gateway_zip import ZipRejected, extract_zip
from tui.playbook.loader import PlaybookError, load_playbook


def test_zip_with_a_file_and_a_folder_of_one_name_is_not_called_a_case_collision(tmp_path: Path) -> None:
    archive = tmp_path / "opg_Installer.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("setup.exe", b"MZ")
        out.writestr("a", b"a file")
        out.writestr("a/b.txt", b"in a folder a")
    with pytest.raises(ZipRejected) as caught:
        extract_zip(archive, tmp_path / "out", lang="en")
    assert caught.value.reason != "collision" and "case" not in str(caught.value)
    assert str(caught.value) == "a is a file, but a/b.txt needs a folder of that name."


@pytest.mark.parametrize("step_id", ["", "a@b", "../../etc", "a/b", "a:b", "wizard..x", ".hidden", "a b", "x" * 65])
def test_playbook_step_id_that_is_not_a_readable_name_is_refused(step_id: str, tmp_path: Path) -> None:
    path = tmp_path / "ids.toml"
    path.write_text(chain_playbook(2).replace('id = "s1"', f'id = "{step_id}"').replace('["s1"]', "[]"), encoding="utf-8")
    with pytest.raises(PlaybookError) as caught:
        load_playbook(path)
    assert caught.value.problems[0].startswith("sections[0].steps[1].id: ") and "not a valid id" in str(caught.value)
