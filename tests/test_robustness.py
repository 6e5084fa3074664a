"""Bad input and a hostile disk: one clear line, exit 2, no traceback, and nothing lost.

Read-only state (folder or file), KOPPEL_HOME on a file or on a path still to be made, a save that
fails half-way (a read-only folder; a file-size limit as a stand-in for a full disk), Unicode
answers round-tripping, a broken --playbook, and every headless command with a home that does not
exist yet, an empty --server and an answers file that cannot be read.

File modes do not bind root. So when the suite runs as root (a container), the koppel under test is
started through a small launcher that drops the capabilities that let root ignore them
(CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER): then it is refused exactly as an admin is.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.netservers import refused_port
from tui.playbook.loader import builtin_playbook_path
from tui.state.session import StateUnavailable, open_session

POSIX_ONLY = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes and resource limits")

# Runs argv[1:] with the file-mode overrides of root dropped from the capability bounding set, so
# that they are gone after exec (Linux prctl PR_CAPBSET_DROP = 24; capabilities 1, 2, 3).
BIND_MODES = textwrap.dedent("""
    import ctypes, os, sys
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        if libc.prctl(24, capability, 0, 0, 0) != 0:
            raise SystemExit(f"cannot drop capability {capability}: errno {ctypes.get_errno()}")
    os.execv(sys.argv[1], sys.argv[1:])
""")
# Runs argv[2:] with files limited to argv[1] bytes: a write past it fails with EFBIG ("File too
# large"), the way a full disk fails a write with ENOSPC. SIGXFSZ ignored, as it stays after exec.
LIMIT_FILE_SIZE = textwrap.dedent("""
    import os, resource, signal, sys
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), resource.RLIM_INFINITY))
    os.execv(sys.argv[2], sys.argv[2:])
""")

ANSWERS = '[steps."wizard.beheerder"]\nemail = "beheer@example.nl"\n'
STEP = "vooraf.visma_bereikbaar"


def launcher_for_modes() -> list[str]:
    """The command prefix under which file modes bind this test's koppel."""
    if os.name == "nt" or os.geteuid() != 0:
        return []
    if not sys.platform.startswith("linux"):
        pytest.skip("running as root outside Linux: file modes cannot be made to bind")
    return [sys.executable, "-c", BIND_MODES]


def run(args: list[str], env: dict[str, str], *, prefix: list[str] = (), home: Path | None = None,
        stdin: str | None = None) -> subprocess.CompletedProcess:
    """koppel as a real process; never a traceback, whatever happens."""
    if home is not None:
        env = {**env, "KOPPEL_HOME": str(home)}
    done = subprocess.run([*prefix, sys.executable, "-m", "tui", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=60, input=stdin or "")
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    return done


def one_line(done: subprocess.CompletedProcess) -> str:
    """The single line koppel says on stderr, without its 'koppel: ' prefix."""
    assert done.stderr.startswith("koppel: ") and done.stderr.count("\n") == 1, done.stderr
    return done.stderr.removeprefix("koppel: ").rstrip("\n")


@pytest.fixture
def answers_file(tmp_path: Path) -> Path:
    path = tmp_path / "answers.toml"
    path.write_text(ANSWERS, encoding="utf-8")
    return path


@pytest.fixture
def writable_again(tmp_path: Path) -> Iterator[list[Path]]:
    """Paths a test makes read-only get their modes back, so the temp folder can be removed."""
    paths: list[Path] = []
    yield paths
    for path in paths:
        path.chmod(stat.S_IMODE(path.stat().st_mode) | stat.S_IWUSR | stat.S_IXUSR * path.is_dir())


# --- read-only state ---------------------------------------------------------------------------


@POSIX_ONLY
@pytest.mark.parametrize("what", ["folder", "file"])
def test_read_only_state_is_one_clear_line_and_stays_untouched(
    what: str, koppel_home: Path, answers_file: Path, subprocess_env: dict[str, str], writable_again: list[Path]
) -> None:
    bind = launcher_for_modes()
    assert run(["answers", "import", str(answers_file), "--server", "srv"], subprocess_env).returncode == 0
    state = koppel_home / "state" / "srv.json"
    before = state.read_bytes()
    target = state.parent if what == "folder" else state
    target.chmod(0o555 if what == "folder" else 0o444)
    writable_again.append(target)
    expected = "Permission denied" if what == "folder" else f"{state} is alleen-lezen"  # the admin's language (nl)

    imported = run(["answers", "import", str(answers_file), "--server", "srv"], subprocess_env, prefix=bind)
    assert imported.returncode == 2 and expected in one_line(imported)
    assert "kan " in one_line(imported)  # "kan niet worden gewijzigd", "kan de map ... niet gebruiken"
    tui = run(["--server", "srv"], subprocess_env, prefix=bind)  # the app's road: open_session, before any screen
    assert tui.returncode == 2 and expected in one_line(tui) and one_line(tui).endswith("alleen kijken: koppel --read-only")
    looking = run(["status", "--server", "srv", "--json"], subprocess_env, prefix=bind)
    assert looking.returncode == 0 and json.loads(looking.stdout)["server"] == "srv"
    assert state.read_bytes() == before


# --- KOPPEL_HOME -------------------------------------------------------------------------------

STATE_COMMANDS = [
    ["status"], ["status", "--json"], ["report", "-o", "-"], ["report", "--json", "-o", "-"], ["answers", "export"],
    ["answers", "import", "{answers}"], ["reset", "--yes"], ["check", "--only", "wizard.gateway_rechten"],
]
READING_COMMANDS = [c for c in STATE_COMMANDS if c[0] in ("status", "report", "reset")]
OTHER_COMMANDS = [
    ["servers"], ["servers", "--json"], ["playbook", "show"], ["playbook", "show", "--json"],
    ["playbook", "validate", str(builtin_playbook_path())], ["probe", "tcp", "127.0.0.1", "{port}"],
    ["probe", "https", "https://127.0.0.1:{port}/"], ["license", "{missing}.pdf"], ["extract", "{missing}.zip", "{missing}"],
]


def filled(command: list[str], answers: Path, missing: Path) -> list[str]:
    values = {"answers": answers, "port": refused_port(), "missing": missing}
    return [part.format(**values) for part in command]


@pytest.mark.parametrize("command", [*STATE_COMMANDS, ["servers"], []], ids=lambda c: " ".join(c) or "app")
def test_koppel_home_on_a_file_is_named_plainly(
    command: list[str], tmp_path: Path, answers_file: Path, subprocess_env: dict[str, str]
) -> None:
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x", encoding="utf-8")
    homes = [a_file, a_file / "below"] if command == ["status"] else [a_file]  # a path through a file, too
    for home in homes:
        done = run(filled(command, answers_file, tmp_path / "missing"), subprocess_env, home=home)
        assert done.returncode == 2 and f"{a_file} is een bestand, geen map" in one_line(done)  # nl: the locale's
    assert a_file.read_text(encoding="utf-8") == "x"


def test_open_session_on_a_file_raises_a_session_error(tmp_path: Path) -> None:
    a_file = tmp_path / "home"
    a_file.touch()
    with pytest.raises(StateUnavailable, match=f"cannot use koppel's folder {re.escape(str(a_file))} for server srv: .* is a file"):
        open_session(a_file, "srv")


def test_a_koppel_home_that_does_not_exist_yet_is_made(tmp_path: Path, answers_file: Path, subprocess_env: dict[str, str]) -> None:
    home = tmp_path / "not" / "yet" / "there"
    imported = run(["answers", "import", str(answers_file), "--server", "srv"], subprocess_env, home=home)
    assert imported.returncode == 0, imported.stderr
    assert (home / "state" / "srv.json").is_file()
    if os.name != "nt":
        assert stat.S_IMODE((home / "state").stat().st_mode) == 0o700  # other users cannot read it
    listed = run(["servers", "--json"], subprocess_env, home=home)
    assert [row["server"] for row in json.loads(listed.stdout)] == ["srv"]


def test_home_and_playbook_before_the_command_are_honoured(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    home = tmp_path / "given-home"
    assert run(["--home", str(home), "answers", "import", os.devnull, "--server", "srv"], subprocess_env).returncode == 0
    done = run(["--home", str(home), "--lang", "en", "status", "--server", "srv"], subprocess_env)
    assert done.returncode == 0 and done.stdout.startswith("srv: 0/") and "Requirements" in done.stdout
    assert (home / "state").is_dir()
    later = run(["--home", str(tmp_path / "first"), "status", "--home", str(home), "--server", "srv"], subprocess_env)
    assert later.returncode == 0 and not (tmp_path / "first").exists()  # the one after the command wins


# --- a save that fails -------------------------------------------------------------------------

FAILING_SAVE = textwrap.dedent("""
    import json, os, sys
    from pathlib import Path
    from tui.state.session import SaveFailed, open_session

    session = open_session(sys.argv[1], "srv", lang="en")
    session.confirm("{step}", note="first")
    state = session.store.path
    before = state.read_bytes()
    state.parent.chmod(0o555)
    try:
        session.reopen("{step}")
        said = None
    except SaveFailed as error:
        said = str(error)
    on_disk = state.read_bytes()
    in_memory = session.state.steps["{step}"].status
    state.parent.chmod(0o700)
    session.close()  # the disk allows it again: the change kept in memory is written now
    print(json.dumps({{"said": said, "unchanged": on_disk == before, "in_memory": in_memory,
                      "on_disk": json.loads(on_disk)["steps"]["{step}"]["status"],
                      "after_close": json.loads(state.read_bytes())["steps"]["{step}"]["status"],
                      "left": sorted(p.name for p in state.parent.iterdir())}}))
""").format(step=STEP)


@POSIX_ONLY
def test_a_failed_save_keeps_the_previous_file_and_says_so(koppel_home: Path, subprocess_env: dict[str, str]) -> None:
    done = subprocess.run([*launcher_for_modes(), sys.executable, "-c", FAILING_SAVE, str(koppel_home)],
                          capture_output=True, text=True, env=subprocess_env, timeout=60)
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout)
    assert outcome["said"].startswith("Could not save the progress of srv: Permission denied: ")
    assert outcome["said"].endswith("The file on disk is the previous version; the change is kept while koppel runs.")
    assert outcome["unchanged"] and outcome["on_disk"] == "confirmed" and outcome["in_memory"] == "todo"
    assert outcome["after_close"] == "todo"
    assert not [name for name in outcome["left"] if name.endswith(".tmp")]


@POSIX_ONLY
def test_a_full_disk_during_an_import_loses_nothing(
    koppel_home: Path, answers_file: Path, subprocess_env: dict[str, str]
) -> None:
    assert run(["answers", "import", os.devnull, "--server", "srv"], subprocess_env).returncode == 0
    assert run(["answers", "import", str(answers_file), "--server", "srv"], subprocess_env).returncode == 0
    state = koppel_home / "state" / "srv.json"
    before = state.read_bytes()
    bigger = answers_file.parent / "bigger.toml"
    bigger.write_text(ANSWERS + '\n[steps."wizard.autorisatie"]\nemail = "a@example.nl"\nsso = true\n'
                      'voornaam = "Anna"\nachternaam = "de Vries"\n', encoding="utf-8")
    full = [sys.executable, "-c", LIMIT_FILE_SIZE, str(len(before))]  # room for the small files, not the new state
    done = run(["answers", "import", str(bigger), "--server", "srv", "--lang", "en"], subprocess_env, prefix=full)
    assert done.returncode == 2
    said = one_line(done)
    assert said.startswith("Could not save the progress of srv: File too large: ") and "previous version" in said
    assert state.read_bytes() == before and json.loads(before)["steps"]["wizard.beheerder"]["answers"]
    assert not list(state.parent.glob("*.tmp")) and not list(state.parent.glob(".*.tmp"))
    again = run(["answers", "import", str(bigger), "--server", "srv"], subprocess_env)  # room again: it goes in
    assert again.returncode == 0 and "voornaam" in state.read_text(encoding="utf-8")


# --- Unicode -----------------------------------------------------------------------------------

UNICODE_ANSWERS = """\
administraties = ["Démo BV 🚀", "شركة الاختبار", "עברית בע\\"מ"]

[steps."wizard.autorisatie"]
email = "beheer@example.nl"
sso = true
voornaam = "Zoë 😀"
achternaam = "كريم\u200f"

[steps."onderneming.aanmaken@Démo BV 🚀"]
ondernemingcode = "DEMO🚀"
omschrijving = "Démo — \u200fע״מ"

[steps."onderneming.aanmaken@شركة الاختبار"]
ondernemingcode = "شركة"
omschrijving = "الاختبار 👍"
"""


def test_unicode_answers_round_trip_through_export_and_import(
    tmp_path: Path, koppel_home: Path, subprocess_env: dict[str, str]
) -> None:
    source = tmp_path / "unicode.toml"
    source.write_text(UNICODE_ANSWERS, encoding="utf-8")
    assert run(["answers", "import", str(source), "--server", "first"], subprocess_env).returncode == 0
    # to stdout, redirected (a pipe): UTF-8 whatever the console's code page
    exported = subprocess.run([sys.executable, "-m", "tui", "answers", "export", "--server", "first"], capture_output=True,
                              env={**subprocess_env, "PYTHONIOENCODING": "cp437"}, timeout=60)
    assert exported.returncode == 0
    copy = tmp_path / "copy.toml"
    copy.write_bytes(exported.stdout)
    assert run(["answers", "import", str(copy), "--server", "second"], subprocess_env).returncode == 0
    assert run(["answers", "export", "--server", "second", "-o", str(tmp_path / "again.toml")], subprocess_env).returncode == 0
    again = (tmp_path / "again.toml").read_text(encoding="utf-8")
    assert again == exported.stdout.decode("utf-8").replace("first", "second")

    session = open_session(koppel_home, "second", read_only=True)
    assert session.state.administraties == ["Démo BV 🚀", "شركة الاختبار", 'עברית בע"מ']
    assert session.answers("wizard.autorisatie")["voornaam"] == "Zoë 😀"
    assert session.answers("wizard.autorisatie")["achternaam"] == "كريم\u200f"
    assert session.answers("onderneming.aanmaken@Démo BV 🚀") == {"ondernemingcode": "DEMO🚀", "omschrijving": "Démo — \u200fע״מ"}
    report = run(["report", "-o", "-", "--server", "second"], subprocess_env)
    assert "Onderneming aanmaken (شركة الاختبار)" in report.stdout and "Omschr onderneming: الاختبار 👍" in report.stdout  # the field by its label


@pytest.mark.parametrize("name, suggestion", [("sérveur", "serveur"), ("srv-🚀", "srv"), ("שרת", None)])
def test_a_unicode_server_name_is_refused_with_a_suggestion(name: str, suggestion: str | None, subprocess_env: dict[str, str]) -> None:
    done = run(["status", "--server", name], subprocess_env)
    said = one_line(done)
    assert done.returncode == 2 and "niet-ASCII" in said  # the admin's language (KOPPEL_LANG=nl)
    assert (f"bijv. '{suggestion}'" in said) if suggestion else ("bijv." not in said)


# --- a broken playbook -------------------------------------------------------------------------

BROKEN_PLAYBOOK = """\
id = "broken"
title = "Broken"

[[sections]]
id = "a"
title = "A"

[[sections.steps]]
id = "a.first"
title = "First"
kind = "manual"
requires = ["a.frist"]
"""


@pytest.mark.parametrize("where", ["before", "after", "app"])
def test_a_playbook_with_errors_is_refused_with_its_located_message(
    where: str, tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    playbook = tmp_path / "bad.toml"
    playbook.write_text(BROKEN_PLAYBOOK, encoding="utf-8")
    args = {"before": ["--playbook", str(playbook), "status"], "after": ["status", "--playbook", str(playbook)],
            "app": ["--playbook", str(playbook)]}[where]
    done = run(args, subprocess_env)
    assert done.returncode == 2
    assert one_line(done) == f"{playbook.name}: sections[0].steps[0].requires: unknown step 'a.frist' (did you mean 'a.first'?)"


# --- every headless command against bad input ----------------------------------------------------


def check_usual_outcome(command: list[str], done: subprocess.CompletedProcess) -> None:
    """What a command without state says here: a refused port is a problem found (1), a missing
    PDF or zip is bad input (2), the playbook is fine (0)."""
    if command[0] in ("license", "extract"):
        assert done.returncode == 2 and one_line(done).startswith("bestand niet gevonden: ")
    else:
        assert done.returncode == (1 if command[0] == "probe" else 0), done.stderr


@pytest.mark.parametrize("command", [*STATE_COMMANDS, *OTHER_COMMANDS], ids=lambda c: " ".join(c))
def test_every_command_with_a_home_that_does_not_exist_yet(
    command: list[str], tmp_path: Path, answers_file: Path, subprocess_env: dict[str, str]
) -> None:
    home = tmp_path / "fresh" / "home"
    done = run([*filled(command, answers_file, tmp_path / "missing"), "--home", str(home), "--server", "srv"], subprocess_env)
    if command in READING_COMMANDS:  # nothing to read: said, never an empty 0/25
        assert done.returncode == 1 and one_line(done).startswith("geen voortgang voor srv; bekend: nog geen")
    elif command in STATE_COMMANDS or command[0] == "servers":
        assert done.returncode == 0, done.stderr
        assert (home / "state").is_dir() is (command[0] != "servers")  # servers only looks: it makes nothing
    else:
        check_usual_outcome(command, done)


@pytest.mark.parametrize("command", [*STATE_COMMANDS, []], ids=lambda c: " ".join(c) or "app")
def test_every_command_with_an_empty_server_name(
    command: list[str], tmp_path: Path, answers_file: Path, koppel_home: Path, subprocess_env: dict[str, str]
) -> None:
    done = run([*filled(command, answers_file, tmp_path / "missing"), "--server", ""], subprocess_env)
    assert done.returncode == 2 and one_line(done) == "de servernaam is leeg"
    assert not list((koppel_home / "state").glob("*.json"))  # no state made for a nameless server


@pytest.mark.parametrize("command", OTHER_COMMANDS, ids=lambda c: " ".join(c))
def test_commands_without_state_ignore_an_empty_server_name(
    command: list[str], tmp_path: Path, answers_file: Path, subprocess_env: dict[str, str]
) -> None:
    done = run([*filled(command, answers_file, tmp_path / "missing"), "--server", ""], subprocess_env)
    check_usual_outcome(command, done)


def unreadable(kind: str, tmp_path: Path, writable_again: list[Path]) -> tuple[Path, str]:
    """An answers file koppel cannot use, and the words it should say."""
    path = tmp_path / f"answers-{kind}.toml"
    if kind == "folder":
        path.mkdir()
        return path, f"Is a directory: {path}"
    if kind == "missing":
        return path, f"bestand niet gevonden: {path}"
    if kind == "not-utf8":
        path.write_bytes(ANSWERS.replace("beheer", "b\xe9heer").encode("cp1252"))
        return path, f"{path}: geen UTF-8-tekst; sla het op als UTF-8"
    path.write_text(ANSWERS, encoding="utf-8")
    path.chmod(0)
    writable_again.append(path)
    return path, f"Permission denied: {path}"


@pytest.mark.parametrize("kind", ["folder", "missing", "not-utf8", pytest.param("no-permission", marks=POSIX_ONLY)])
def test_an_answers_file_that_cannot_be_read(
    kind: str, tmp_path: Path, koppel_home: Path, subprocess_env: dict[str, str], writable_again: list[Path]
) -> None:
    path, words = unreadable(kind, tmp_path, writable_again)
    prefix = launcher_for_modes() if kind == "no-permission" else []
    done = run(["answers", "import", str(path), "--server", "srv"], subprocess_env, prefix=prefix)
    assert done.returncode == 2 and words in one_line(done)
    assert not (koppel_home / "state" / "srv.json").exists()  # read before the state is touched
