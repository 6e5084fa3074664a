#!/usr/bin/env bash
# The portable Windows zip: unzip it on the server, type `koppel` in its folder; no Python, no network.
#
#   scripts/build-windows-zip.sh           # builds dist/koppel-<version>-windows-x64.zip
#   scripts/build-windows-zip.sh --smoke   # and runs the unzipped copy under Wine
#
# Contents: python\ (the official embeddable CPython 3.13, its python313._pth pointing at lib\ and
# app\), lib\ (koppel's runtime dependencies as win_amd64 wheels, unpacked), app\tui\ (koppel),
# koppel.cmd (the launcher). The test harness's shim and sitecustomize are never in it.
set -euo pipefail
# shellcheck source=scripts/windows-lib.sh
. "$(dirname "$0")/windows-lib.sh"

VERSION=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$ROOT/tui/__init__.py")
NAME=koppel-$VERSION-windows-x64
OUT=$ROOT/dist/$NAME.zip
STAGE=$CACHE/zip/$NAME

need_apt_packages
rm -rf "$STAGE"
mkdir -p "$STAGE/app" "$ROOT/dist"
ensure_embedded_python "$STAGE/python"
write_pth "$STAGE/python" '..\lib' '..\app'
ensure_windows_wheels "$CACHE/site-packages-app"
cp -r "$CACHE/site-packages-app/." "$STAGE/lib/"
rm -f "$STAGE/lib/.koppel-stamp"
find "$STAGE/lib" -type d -name __pycache__ -prune -exec rm -rf {} +
(cd "$ROOT" && git ls-files -z tui | xargs -0 -I{} cp --parents {} "$STAGE/app/")
cp "$ROOT/LICENSE" "$STAGE/LICENSE.txt"
printf '%s\r\n' '@echo off' 'rem koppel, portable: the Python beside this file, no installation' \
  'setlocal' '"%~dp0python\python.exe" -m tui %*' 'exit /b %ERRORLEVEL%' >"$STAGE/koppel.cmd"
rm -f "$OUT"
(cd "$CACHE/zip" && zip -qr -9 "$OUT" "$NAME")
say "built $OUT ($(du -k "$OUT" | cut -f1) KB)"

[ "${1:-}" = "--smoke" ] || exit 0

# the unzipped copy under Wine, with a fresh home; the ProcessPrng shim is added for Wine only
ensure_wine_prefix
SMOKE=$(mktemp -d)
trap 'rm -rf "$SMOKE"' EXIT
unzip -q "$OUT" -d "$SMOKE"
ensure_prng_shim "$SMOKE/$NAME/python"
export KOPPEL_HOME=$SMOKE/home
LAUNCHER=$(winpath "$SMOKE/$NAME/koppel.cmd")
smoke() {
  local out
  out=$(wine_run cmd /c "$LAUNCHER" "$@") || { say "smoke test failed: koppel $*"; printf '%s\n' "$out" >&2; return 1; }
  printf '%s\n' "$out" | tr -d '\r'
}
smoke --version | grep -qx "koppel $VERSION" || { say "--version did not say koppel $VERSION"; exit 1; }
smoke answers import NUL --server AV-SRV01 >/dev/null
smoke status --server AV-SRV01 --json | "$HOST_PYTHON" -c 'import json, sys; data = json.load(sys.stdin); assert data["server"] == "av-srv01", data'
smoke playbook show | grep -q "Opties > Visma-diensten activeren" || { say "playbook show did not show the checklist"; exit 1; }
say "smoke test passed: the unzipped copy runs --version, status --json, playbook show under Wine"
