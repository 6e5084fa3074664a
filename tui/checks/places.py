"""Where the files of the note end up by default: the admin's Downloads folder and the gateway folder.

The note (AV-638111, "Vooraf") has the admin download the licence PDF and ``opg_Installer.zip``
and unpack the zip; it names no folder, so the defaults are the browser's usual Downloads folder
and a folder ``opg_Installer`` next to the zip. Every check takes an explicit path as well.
"""

from __future__ import annotations

from pathlib import Path

GATEWAY_ZIP_NAME = "opg_Installer.zip"  # the file name the note uses ("Gateway", instruction 1)
SETUP_EXE = "setup.exe"


def downloads_dir() -> Path:
    """The user's Downloads folder: the shell's known folder on Windows (wherever the admin or a
    policy moved it, via SHGetKnownFolderPath), the XDG download folder or ~/Downloads elsewhere.

    When the terminal runs as another (administrator) account, this is that account's folder.
    """
    from platformdirs import user_downloads_dir

    return Path(user_downloads_dir())


def default_gateway_zip() -> Path:
    return downloads_dir() / GATEWAY_ZIP_NAME


def default_gateway_folder(zip_path: Path | None = None) -> Path:
    """The folder the zip unpacks into: next to the zip, named after it without ``.zip``."""
    zip_path = zip_path or default_gateway_zip()
    return zip_path.with_name(zip_path.stem)


def find_setup_exe(folder: Path, max_depth: int = 4) -> Path | None:
    """The shallowest ``setup.exe`` (any case) under folder; None when there is none."""
    level = [folder]
    for _ in range(max_depth + 1):
        next_level: list[Path] = []
        for directory in level:
            try:
                entries = sorted(directory.iterdir(), key=lambda p: p.name.lower())
            except OSError:
                continue
            for entry in entries:
                if entry.name.lower() == SETUP_EXE and entry.is_file():
                    return entry
                if entry.is_dir() and not entry.is_symlink():
                    next_level.append(entry)
        level = next_level
    return None
