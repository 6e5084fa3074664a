"""gateway_zip: real zips built here, good and hostile; nothing may land outside the target."""

from __future__ import annotations

import asyncio
import os
import stat
import threading
import zipfile
from pathlib import Path

import pytest

from tui.checks import gateway_zip
from tui.checks.base import CheckContext, LogLine, Progress
from tui.checks.gateway_zip import ExtractCancelled, Limits, ZipRejected, extract_zip, inside
from tui.text import LANGS

SETUP = b"MZ" + b"\x00" * 200  # the bytes of a stand-in setup.exe


def make_zip(path: Path, entries: list[tuple[str | zipfile.ZipInfo, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return path


def good_entries() -> list[tuple[str, bytes]]:
    return [
        ("opg_Installer/", b""),
        ("opg_Installer/Setup.exe", SETUP),
        *[(f"opg_Installer/packages/part{i}.bin", os.urandom(1024 * 1024)) for i in range(4)],
        ("opg_Installer/readme.txt", b"Visma On Premises Gateway\r\n"),
    ]


def tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def symlink_entry(name: str, link_target: str) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, link_target.encode()


# ---------------------------------------------------------------- a good zip


@pytest.mark.parametrize(
    ("size", "shown"),
    [(0, "0 bytes"), (1, "1 byte"), (202, "202 bytes"), (27_000, "27 kB"), (999_499, "999 kB"),
     (999_999, "1.0 MB"), (4_194_506, "4.2 MB"), (2 * 1024**3, "2.1 GB")],
)
def test_sizes_read_as_people_write_them(size: int, shown: str) -> None:
    assert gateway_zip.format_size(size) == shown


@pytest.mark.parametrize(("lang", "files"), [("nl", "1 bestand (202 bytes) uitgepakt in "), ("en", "1 file (202 bytes) unpacked in ")])
async def test_the_message_counts_one_file_and_a_small_size_properly(tmp_path: Path, lang: str, files: str) -> None:
    zip_path = make_zip(tmp_path / "opg_Installer.zip", [("setup.exe", SETUP)])
    result = await gateway_zip.run(gateway_zip.Params(zip=str(zip_path)), CheckContext(lang=lang))
    assert result.status == "ok" and result.message.startswith(files), result.message
    more = make_zip(tmp_path / "more.zip", good_entries())
    result = await gateway_zip.run(gateway_zip.Params(zip=str(more)), CheckContext(lang=lang))
    assert result.message.startswith({"nl": "6 bestanden (4.2 MB) uitgepakt in ", "en": "6 files (4.2 MB) unpacked in "}[lang])


def test_good_zip_is_extracted_with_progress(tmp_path: Path) -> None:
    zip_path = make_zip(tmp_path / "opg_Installer.zip", good_entries())
    target = tmp_path / "out" / "opg_Installer"
    events: list[tuple[int, int, str]] = []
    result = extract_zip(zip_path, target, progress=lambda done, total, name: events.append((done, total, name)))
    assert result.files == 6 and result.bytes == len(SETUP) + 4 * 1024 * 1024 + 27
    assert Path(result.setup_exe) == target / "opg_Installer" / "Setup.exe"
    assert Path(result.setup_exe).read_bytes() == SETUP
    assert (target / "opg_Installer" / "packages" / "part3.bin").stat().st_size == 1024 * 1024
    assert tree(target.parent) == {"opg_Installer"} | {f"opg_Installer/{p}" for p in tree(target)}  # no staging left
    dones = [done for done, _, _ in events]
    assert len(events) >= 16 and dones == sorted(dones)  # within files too: one 256 kB chunk is 6%
    assert events[-1][0] == events[-1][1] == result.bytes
    assert {name for _, _, name in events} >= {"opg_Installer/packages/part0.bin", "opg_Installer/packages/part3.bin"}


async def test_run_reports_progress_and_evidence(tmp_path: Path) -> None:
    zip_path = make_zip(tmp_path / "opg_Installer.zip", good_entries())
    events: list[object] = []
    ctx = CheckContext(lang="en", emit=events.append)
    result = await gateway_zip.run(gateway_zip.Params(zip=str(zip_path)), ctx)
    assert result.status == "ok", result
    assert result.evidence["target"] == str(tmp_path / "opg_Installer")  # default: next to the zip
    assert result.evidence["files"] == 6
    assert result.evidence["setup_exe"].endswith(os.path.join("opg_Installer", "opg_Installer", "Setup.exe"))
    progress = [e for e in events if isinstance(e, Progress)]
    assert progress and progress[-1].done == progress[-1].total == result.evidence["bytes"]
    assert any(isinstance(e, LogLine) and "unpacked in" in e.text for e in events)


async def test_default_zip_is_in_downloads(downloads: Path) -> None:
    downloads.mkdir()
    make_zip(downloads / "opg_Installer.zip", [("setup.exe", SETUP)])
    result = await gateway_zip.run(gateway_zip.Params(), CheckContext())
    assert result.status == "ok", result
    assert (downloads / "opg_Installer" / "setup.exe").is_file()


# ---------------------------------------------------------------- hostile and broken zips

HOSTILE = [
    ("zip slip", [("../evil.txt", b"x")], "traversal"),
    ("zip slip deeper", [("opg/../../evil.txt", b"x")], "traversal"),
    ("backslash slip", [("..\\..\\evil.txt", b"x")], "traversal"),
    ("absolute", [("/etc/evil", b"x")], "absolute"),
    ("drive letter", [("C:\\Windows\\evil.dll", b"x")], "drive"),
    ("drive relative", [("C:evil.dll", b"x")], "drive"),
    ("unc backslash", [("\\\\srv\\share\\evil.txt", b"x")], "drive"),
    ("unc slash", [("//srv/share/evil.txt", b"x")], "drive"),
    ("symlink", [symlink_entry("opg/link", "/etc/passwd")], "symlink"),
    ("reserved", [("opg/CON.txt", b"x")], "reserved"),
    ("reserved com", [("opg/com1", b"x")], "reserved"),
    ("trailing dot", [("opg/evil.", b"x")], "trailing"),
    ("trailing space", [("opg /x.txt", b"x")], "trailing"),
    ("ads colon", [("opg/file.txt:stream", b"x")], "bad_name"),
    ("case collision", [("opg/Readme.txt", b"a"), ("OPG/README.TXT", b"b")], "collision"),
    ("file and folder", [("opg/data", b"a"), ("opg/data/x.txt", b"b")], "file_and_folder"),
]


@pytest.mark.parametrize("label, entries, reason", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_names_are_rejected_before_writing(tmp_path: Path, label: str, entries: list, reason: str) -> None:
    zip_path = make_zip(tmp_path / "opg_Installer.zip", [("setup.exe", SETUP), *entries])
    before = tree(tmp_path)
    with pytest.raises(ZipRejected) as caught:
        extract_zip(zip_path, tmp_path / "out" / "deep" / "opg_Installer", lang="en")
    assert caught.value.reason == reason
    bad = entries[0][0] if isinstance(entries[0][0], str) else entries[0][0].filename
    shown = str(caught.value).replace("\\", "/")  # the name is shown with / on every OS
    assert bad.replace("\\", "/") in shown or entries[-1][0].replace("\\", "/") in shown
    assert "AccountView Extra's" in caught.value.hint
    assert tree(tmp_path) == before  # nothing written anywhere, no staging folder


REASONS = [key.removeprefix("zip.rejected.") for key in LANGS["en"] if key.startswith("zip.rejected.")]


def test_every_reason_has_its_own_message(tmp_path: Path) -> None:
    messages = {reason: ZipRejected(reason, "en", name="n", other="o", part="p", path="z", detail="d",
                                    count=1, limit=2, target="t").args[0]
                for reason in REASONS}
    assert len(set(messages.values())) == len(messages)


def test_too_many_entries(tmp_path: Path) -> None:
    zip_path = make_zip(tmp_path / "a.zip", [("setup.exe", SETUP)] + [(f"f{i}", b"") for i in range(10)])
    with pytest.raises(ZipRejected) as caught:
        extract_zip(zip_path, tmp_path / "out", limits=Limits(max_entries=10), lang="en")
    assert caught.value.reason == "too_many_entries"
    assert str(caught.value) == "The zip holds 11 entries, more than the limit of 10."
    assert not (tmp_path / "out").exists()


def test_zip_bomb_is_stopped_while_streaming(tmp_path: Path) -> None:
    zip_path = make_zip(tmp_path / "bomb.zip", [("setup.exe", SETUP), ("opg/zeros.bin", bytes(20 * 1024 * 1024))])
    assert zip_path.stat().st_size < 100_000
    before = tree(tmp_path)
    with pytest.raises(ZipRejected) as caught:
        extract_zip(zip_path, tmp_path / "opg_Installer", lang="en")
    assert caught.value.reason == "ratio"
    assert "opg/zeros.bin expands more than 200x" in str(caught.value)
    assert tree(tmp_path) == before  # the partly written staging folder is gone


def test_total_bytes_are_counted_while_streaming(tmp_path: Path) -> None:
    zip_path = make_zip(tmp_path / "a.zip", [("setup.exe", SETUP), ("big.bin", os.urandom(300_000))], zipfile.ZIP_STORED)
    before = tree(tmp_path)
    with pytest.raises(ZipRejected) as caught:
        extract_zip(zip_path, tmp_path / "out", limits=Limits(max_total_bytes=100_000), lang="en")
    assert caught.value.reason == "too_large"
    assert tree(tmp_path) == before


def test_small_files_may_compress_well(tmp_path: Path) -> None:
    zip_path = make_zip(tmp_path / "a.zip", [("setup.exe", SETUP), ("spaces.txt", b" " * 500_000)])
    assert extract_zip(zip_path, tmp_path / "out").files == 2  # 500 kB of spaces: far over 200x, under the floor


@pytest.mark.parametrize("kind", ["zip signature only", "random bytes"])
def test_not_a_zip(tmp_path: Path, kind: str) -> None:
    content = b"PK\x03\x04 not really a zip" * 10 if kind == "zip signature only" else os.urandom(4096)
    (tmp_path / "opg_Installer.zip").write_bytes(content)
    with pytest.raises(ZipRejected) as caught:
        extract_zip(tmp_path / "opg_Installer.zip", tmp_path / "out", lang="en")
    assert caught.value.reason == "not_zip"
    assert str(caught.value).endswith("opg_Installer.zip is not a zip file.")


def test_missing_zip_and_missing_setup(tmp_path: Path) -> None:
    with pytest.raises(ZipRejected) as caught:
        extract_zip(tmp_path / "nope.zip", tmp_path / "out")
    assert caught.value.reason == "not_found"
    zip_path = make_zip(tmp_path / "other.zip", [("setup.msi", b"x"), ("docs/setup.exe.txt", b"x")])
    with pytest.raises(ZipRejected) as caught:
        extract_zip(zip_path, tmp_path / "out", lang="en")
    assert caught.value.reason == "no_setup"
    assert "is this opg_Installer.zip?" in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_damaged_data_is_found_while_writing_and_cleaned_up(tmp_path: Path) -> None:
    payload = os.urandom(64 * 1024)
    zip_path = make_zip(tmp_path / "a.zip", [("setup.exe", SETUP), ("data.bin", payload)], zipfile.ZIP_STORED)
    raw = bytearray(zip_path.read_bytes())
    at = raw.index(payload[:32]) + 1000
    raw[at] ^= 0xFF  # one flipped bit pattern in the stored data: the CRC no longer matches
    zip_path.write_bytes(raw)
    before = tree(tmp_path)
    with pytest.raises(ZipRejected) as caught:
        extract_zip(zip_path, tmp_path / "out", lang="en")
    assert caught.value.reason == "damaged"
    assert "CRC" in str(caught.value)
    assert tree(tmp_path) == before  # setup.exe had been written into staging: gone with it


def test_backslash_names_from_windows_tools(tmp_path: Path) -> None:
    zip_path = make_zip(tmp_path / "a.zip", [("opg\\", b""), ("opg\\bin\\setup.exe", SETUP)])
    result = extract_zip(zip_path, tmp_path / "out")
    assert Path(result.setup_exe) == tmp_path / "out" / "opg" / "bin" / "setup.exe"
    assert Path(result.setup_exe).read_bytes() == SETUP


def test_target_that_cannot_be_created(tmp_path: Path) -> None:
    zip_path = make_zip(tmp_path / "a.zip", [("setup.exe", SETUP)])
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(ZipRejected) as caught:
        extract_zip(zip_path, tmp_path / "a-file" / "opg_Installer", lang="en")
    assert caught.value.reason == "io_failed"
    assert str(caught.value).startswith("Reading or writing failed")
    assert "disk space" in caught.value.hint


@pytest.mark.skipif(os.name == "nt", reason="Linux only: a Windows symlink needs a privilege an admin's console lacks, and Wine's do not resolve")
def test_inside_follows_real_paths(tmp_path: Path) -> None:
    base = tmp_path / "staging"
    (base / "a").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", base / "link")
    assert inside(str(base), str(base / "a" / "b.txt"))
    assert not inside(str(base), str(base / "link" / "b.txt"))
    assert not inside(str(base), str(tmp_path / "staging2" / "x"))  # a string prefix is not inside


# ---------------------------------------------------------------- an existing target


def test_existing_target(tmp_path: Path) -> None:
    tmp_path = tmp_path / "work"
    tmp_path.mkdir()
    zip_path = make_zip(tmp_path / "opg_Installer.zip", [("setup.exe", SETUP), ("lib/a.dll", b"a" * 10)])
    target = tmp_path / "opg_Installer"
    extract_zip(zip_path, target)
    again = extract_zip(zip_path, target)
    assert again.already and again.files == 2  # same content: done, nothing written

    (target / "lib" / "a.dll").write_bytes(b"changed")
    (target / "mine.txt").write_text("the admin's own file")
    with pytest.raises(ZipRejected) as caught:
        extract_zip(zip_path, target, lang="en")
    assert caught.value.reason == "target_exists"
    assert (target / "mine.txt").exists()

    replaced = extract_zip(zip_path, target, replace=True)
    assert replaced.replaced and not replaced.already
    assert (target / "lib" / "a.dll").read_bytes() == b"a" * 10
    assert not (target / "mine.txt").exists()
    assert tree(tmp_path) == {"opg_Installer.zip", "opg_Installer", "opg_Installer/setup.exe", "opg_Installer/lib", "opg_Installer/lib/a.dll"}


# ---------------------------------------------------------------- cancel


def big_zip(path: Path, files: int = 32) -> Path:
    return make_zip(path, [("setup.exe", SETUP)] + [(f"data/{i}.bin", os.urandom(1024 * 1024)) for i in range(files)], zipfile.ZIP_STORED)


def test_cancel_flag_stops_extraction_and_leaves_nothing(tmp_path: Path) -> None:
    zip_path = big_zip(tmp_path / "opg_Installer.zip", files=8)
    cancel = threading.Event()
    seen: list[int] = []

    def progress(done: int, total: int, name: str) -> None:
        seen.append(done)
        if done > 2 * 1024 * 1024:
            cancel.set()

    before = tree(tmp_path)
    with pytest.raises(ExtractCancelled):
        extract_zip(zip_path, tmp_path / "opg_Installer", progress=progress, cancel=cancel)
    assert 2 * 1024 * 1024 < seen[-1] < 8 * 1024 * 1024
    assert tree(tmp_path) == before


async def test_task_cancel_mid_extraction_leaves_nothing(tmp_path: Path) -> None:
    zip_path = big_zip(tmp_path / "opg_Installer.zip")
    before = tree(tmp_path)
    progress: list[Progress] = []

    def emit(event: object) -> None:
        if isinstance(event, Progress):
            progress.append(event)
            if len(progress) == 1:
                task.cancel()

    task = asyncio.create_task(gateway_zip.run(gateway_zip.Params(zip=str(zip_path)), CheckContext(emit=emit)))
    with pytest.raises(asyncio.CancelledError):
        await task
    assert progress[0].done < progress[0].total
    assert tree(tmp_path) == before  # no target, no staging
