"""licence_pdf with real PDFs generated here (tests/pdfs.py); version parsing and the version check."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

import pytest

from tests.pdfs import licence_pdf, raw_pdf, slow_pdf, textless_pdf
from tui.checks import licence_pdf as lic
from tui import versions
from tui.checks import version
from tui.checks.base import CheckContext, LogLine
from tui.checks.licence_pdf import LicenceReadError, parse_licence_text, read_licence


class Run:
    def __init__(self, lang: str = "en", clipboard: bool = True) -> None:
        self.lines: list[str] = []
        self.copied: list[str] = []
        self.ctx = CheckContext(
            lang=lang,
            emit=lambda e: self.lines.append(e.text) if isinstance(e, LogLine) else None,
            clipboard=self.copied.append if clipboard else None,
        )


# The reader's 20 s deadline is for damaged files. These read good ones, on 2 loaded cores and under
# Wine too (a Windows child process starts slowly there): they give the reader time, except the
# tests of the deadline itself.
GOOD_FILE_TIMEOUT = 300.0


async def check(path: Path | str, lang: str = "en", **params):
    run = Run(lang)
    result = await lic.run(lic.Params(path=str(path), **{"timeout": GOOD_FILE_TIMEOUT, **params}), run.ctx)
    return result, run


def readers_of(path: Path) -> list[int]:
    """Pids of processes whose command line names path (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if str(path).encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


# ---------------------------------------------------------------- good and lacking licences


async def test_good_licence_is_ok_and_copied_to_the_clipboard(tmp_path: Path) -> None:
    result, run = await check(licence_pdf(tmp_path / "licentie.pdf"))
    assert result.status == "ok", result
    assert result.message == "Licence meets the requirements: AccountView Team, 9.8, module AutoReport-koppeling."
    ev = result.evidence
    assert (ev["edition"], ev["version"], ev["customer"], ev["licence_number"]) == ("Team", "9.8", "104233", "TEST-0000-1111")
    assert ev["modules"] == ["Financieel", "Relatiebeheer", "AutoReport-koppeling"]
    assert ev["autoreport_module"] is True
    [copied] = run.copied
    assert "Licentienummer: TEST-0000-1111" in copied and "AutoReport-koppeling" in copied
    assert "text" not in ev and "Licentienummer: TEST" not in " ".join(run.lines)  # the text stays out of state and log
    assert any("clipboard" in line for line in run.lines)


async def test_table_layout_in_english_business_10(tmp_path: Path) -> None:
    path = licence_pdf(tmp_path / "license.pdf", layout="table", lang="en", edition="Business", version="10.0")
    result, _ = await check(path)
    assert result.status == "ok", result
    assert (result.evidence["edition"], result.evidence["version"]) == ("Business", "10.0")
    assert result.evidence["modules"] == ["Financieel", "Relatiebeheer", "AutoReport-koppeling"]


async def test_missing_module_fails_with_the_order_menu(tmp_path: Path) -> None:
    result, _ = await check(licence_pdf(tmp_path / "l.pdf", modules=["Financieel", "Relatiebeheer"]), lang="nl")
    assert result.status == "fail"
    assert result.message == "De module AutoReport-koppeling staat niet in de licentie."
    assert result.hint == "Vraag de module aan via Opties > Extra modules bestellen."


async def test_compact_edition_fails(tmp_path: Path) -> None:
    result, _ = await check(licence_pdf(tmp_path / "l.pdf", edition="Compact"))
    assert result.status == "fail"
    assert result.message == "Edition Compact: Visma.net AutoReport requires AccountView Team or AccountView Business."


async def test_old_version_fails_with_update_hint(tmp_path: Path) -> None:
    result, _ = await check(licence_pdf(tmp_path / "l.pdf", version="9.7"), lang="nl")
    assert result.status == "fail"
    assert "Versie 9.7: minimaal 9.8 is nodig." in result.message
    assert "Vraag de update aan." in result.hint


async def test_scanned_pdf_without_text_warns(tmp_path: Path) -> None:
    result, run = await check(textless_pdf(tmp_path / "licentie-scan.pdf"))
    assert result.status == "warn"
    assert "no text" in result.message
    assert "by eye" in result.hint
    assert run.copied == []  # nothing worth pasting


async def test_clipboard_failure_does_not_fail_the_check(tmp_path: Path) -> None:
    run = Run()

    def broken(text: str) -> None:
        raise OSError("no terminal")

    run.ctx.clipboard = broken
    result = await lic.run(lic.Params(path=str(licence_pdf(tmp_path / "l.pdf")), timeout=GOOD_FILE_TIMEOUT), run.ctx)
    assert result.status == "ok"
    assert "Copying to the clipboard failed: no terminal" in run.lines


# ---------------------------------------------------------------- files that are not a readable licence


async def test_encrypted_with_a_user_password(tmp_path: Path) -> None:
    result, _ = await check(licence_pdf(tmp_path / "l.pdf", user_password="geheim"))
    assert (result.status, result.evidence["reason"]) == ("fail", "encrypted")
    assert result.message == "l.pdf is protected with a password."
    assert "save an unprotected copy" in result.hint


async def test_owner_password_only_opens_with_the_empty_password(tmp_path: Path) -> None:
    result, _ = await check(licence_pdf(tmp_path / "l.pdf", owner_password="eigenaar"))
    assert result.status == "ok", result
    assert result.evidence["encrypted"] is True


async def test_truncated_pdf(tmp_path: Path) -> None:
    whole = licence_pdf(tmp_path / "whole.pdf").read_bytes()
    (tmp_path / "cut.pdf").write_bytes(whole[: len(whole) * 6 // 10])
    result, _ = await check(tmp_path / "cut.pdf")
    assert (result.status, result.evidence["reason"]) == ("fail", "truncated")
    assert "truncated" in result.message and "download" in result.hint.lower()


async def test_garbage_named_pdf(tmp_path: Path) -> None:
    (tmp_path / "licentie.pdf").write_bytes(os.urandom(5000))
    result, _ = await check(tmp_path / "licentie.pdf")
    assert (result.status, result.evidence["reason"]) == ("fail", "not_pdf")
    assert result.message == "licentie.pdf is not a PDF file (no PDF signature)."


async def test_damaged_inside(tmp_path: Path) -> None:
    (tmp_path / "l.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(3000).replace(b"%%EOF", b"") + b"\n%%EOF\n")
    result, run = await check(tmp_path / "l.pdf")
    assert (result.status, result.evidence["reason"]) == ("fail", "damaged")
    assert result.message == "l.pdf is damaged and cannot be read."
    assert any(line.startswith("pypdf: ") for line in run.lines)  # the detail goes to the log


async def test_oversized(tmp_path: Path) -> None:
    result, _ = await check(licence_pdf(tmp_path / "l.pdf"), max_bytes=1000)
    assert (result.status, result.evidence["reason"]) == ("fail", "too_large")
    assert "more than the limit" in result.message


async def test_not_found(tmp_path: Path) -> None:
    result, _ = await check(tmp_path / "nope.pdf", lang="nl")
    assert (result.status, result.evidence["reason"]) == ("fail", "not_found")
    assert "Opties > Licentie downloaden" in result.hint


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
async def test_a_pdf_that_keeps_pypdf_busy_is_killed_at_the_timeout(tmp_path: Path) -> None:
    path = slow_pdf(tmp_path / "licentie.pdf")  # about 15 s of pypdf work, 30 kB on disk
    started = time.perf_counter()
    result, _ = await check(path, timeout=1.0)
    assert (result.status, result.evidence["reason"]) == ("fail", "timeout")
    assert result.message.startswith("Reading licentie.pdf took longer than 1 s")
    assert time.perf_counter() - started < 4
    assert readers_of(path) == []  # the child is gone, not left running in the background


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
async def test_cancel_kills_the_reader(tmp_path: Path) -> None:
    path = slow_pdf(tmp_path / "licentie.pdf")
    task = asyncio.create_task(check(path))
    deadline = time.monotonic() + 5
    while not readers_of(path) and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    assert readers_of(path)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert readers_of(path) == []


# ---------------------------------------------------------------- finding it in Downloads; the CLI function


async def test_newest_licence_pdf_in_downloads(downloads: Path) -> None:
    downloads.mkdir()
    old = licence_pdf(downloads / "licentie-2023.pdf", version="9.7")
    newest = licence_pdf(downloads / "AccountView_LICENSE.PDF")
    licence_pdf(downloads / "factuur.pdf", version="9.7")  # newer still, but not a licence by name
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    os.utime(newest, (time.time() - 60, time.time() - 60))
    result, run = await check("")
    assert result.status == "ok", result
    assert result.evidence["path"] == str(newest)
    assert f"Looked in {downloads}: 3 PDF file(s), 2 with a licence-like name." in run.lines


async def test_nothing_in_downloads(downloads: Path) -> None:
    result, _ = await check("", lang="nl")
    assert result.status == "fail"
    assert result.message == f"Geen licentie-PDF gevonden in {downloads}."


def test_read_licence_for_the_cli(tmp_path: Path) -> None:
    path = licence_pdf(tmp_path / "licentie.pdf")
    started = time.perf_counter()
    info = read_licence(path, lang="en", timeout=GOOD_FILE_TIMEOUT)
    print(f"\nlicence read in {time.perf_counter() - started:.2f} s (child process + pypdf)")
    assert info.meets_prerequisites and info.status == "ok"
    assert (info.edition, info.version, info.customer, info.licence_number) == ("Team", "9.8", "104233", "TEST-0000-1111")
    assert info.autoreport_module and info.problems == []
    assert "Deze licentie is persoonlijk" in info.text
    with pytest.raises(LicenceReadError) as caught:
        read_licence(tmp_path / "missing.pdf", lang="en")
    assert caught.value.reason == "not_found"


def test_child_process_cli_prints_json(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    import json
    import subprocess

    path = tmp_path / "p.pdf"
    path.write_bytes(raw_pdf(b"BT /F1 12 Tf 72 720 Td (Editie: AccountView Team) Tj ET"))
    out = subprocess.run([sys.executable, "-m", "tui.checks.licence_pdf", "--extract", str(path)],
                         capture_output=True, env=subprocess_env, timeout=30, check=True).stdout
    assert json.loads(out) == {"pages": 1, "encrypted": False, "text": "Editie: AccountView Team"}


# ---------------------------------------------------------------- the tolerant parser on text


def test_parser_value_on_the_next_line_and_product_line() -> None:
    fields = parse_licence_text("Klantnummer\n  778899\nProduct: AccountView Business 10.1\nModule\nAutoReport koppeling\n")
    assert fields["customer"] == "778899"
    assert (fields["edition"], fields["version"]) == ("Business", "10.1")
    assert fields["modules"] == ["AutoReport koppeling"] and fields["autoreport_module"]


def test_parser_inline_modules_dutch_comma_version() -> None:
    fields = parse_licence_text("Licentienr.: X-1\nEditie: Team\nVersie: 9,8\nModules: Financieel; AutoReport-koppeling; Orders\n")
    assert fields["licence_number"] == "X-1"
    assert fields["version"] == "9.8"
    assert fields["modules"] == ["Financieel", "AutoReport-koppeling", "Orders"]


def test_parser_without_labels_searches_the_text() -> None:
    fields = parse_licence_text("Uw licentie voor AccountView Team 9.8\nInclusief de AutoReport-koppeling\n")
    assert (fields["edition"], fields["version"], fields["autoreport_module"]) == ("Team", "9.8", True)
    assert parse_licence_text("Productcode: 12\nModules: Financieel\n")["edition"] is None  # "Productcode" is not "Product"


def test_module_list_decides_when_there_is_one() -> None:
    fields = parse_licence_text("Modules:\n- Financieel\n\nNiet inbegrepen: AutoReport-koppeling\n")
    assert fields["modules"] == ["Financieel"] and not fields["autoreport_module"]


# ---------------------------------------------------------------- version


@pytest.mark.parametrize("text, expected", [
    ("9.8", (9, 8)), ("10.0", (10, 0)), ("AccountView 9.8b", (9, 8)), ("Versie 9,8 SP1", (9, 8)),
    ("9.10", (9, 10)), ("9.7.3", (9, 7, 3)), ("", None), ("geen", None), ("2024.1", None),
])
def test_find_av_version_in_free_text(text: str, expected: tuple[int, ...] | None) -> None:
    assert versions.find_av_version(text) == expected


def test_meets_minimum() -> None:
    assert versions.meets_minimum((9, 8)) and versions.meets_minimum((9, 8, 0)) and versions.meets_minimum((9, 10))
    assert versions.meets_minimum((10,)) and not versions.meets_minimum((9, 7, 9))


async def test_version_check() -> None:
    ok = await version.run(version.Params(version="10.0"), CheckContext(lang="en"))
    assert (ok.status, ok.evidence) == ("ok", {"version": "10.0", "minimum": "9.8"})
    old = await version.run(version.Params(version="9.7"), CheckContext(lang="nl"))
    assert old.status == "fail" and old.hint.startswith("Vraag de update aan.") and "Help > Info" in old.hint
    bad = await version.run(version.Params(version="negen"), CheckContext(lang="en"))
    assert bad.status == "fail" and "not a version number" in bad.message
