#!/usr/bin/env bash
# The test suite on the official Windows CPython 3.13 (embeddable build) under Wine.
#
#   scripts/windows-tests.sh                      # the whole suite, -n 2
#   scripts/windows-tests.sh tests/test_x.py -q   # arguments go to pytest instead of "-n 2"
#
# Sets up, once, in .cache/windows (KOPPEL_WINDOWS_CACHE to move it): a Wine prefix, python.exe with
# koppel's Windows wheels (runtime + test extra), and two harness-only pieces (never shipped): a
# bcryptprimitives.dll shim (Wine 8 lacks ProcessPrng, which pydantic-core imports) and a
# sitecustomize.py that makes platform's WMI query raise OSError (it aborts the process under Wine).
# Needs wine, wine64, gcc-mingw-w64-x86-64 (installed with apt when run as root) and a host python
# with pip (PYTHON, default python3) to fetch the wheels.
set -euo pipefail
# shellcheck source=scripts/windows-lib.sh
. "$(dirname "$0")/windows-lib.sh"

PY_DIR=$CACHE/python
SITE=$CACHE/site-packages-test

need_apt_packages
ensure_wine_prefix
ensure_embedded_python "$PY_DIR"
ensure_windows_wheels "$SITE" test
cp "$ROOT/scripts/windows/sitecustomize.py" "$SITE/sitecustomize.py"
ensure_prng_shim "$PY_DIR"
write_pth "$PY_DIR" "$(winpath "$SITE")" "$(winpath "$ROOT")"

cd "$ROOT"
[ $# -gt 0 ] || set -- -n 2
say "running the suite on Windows CPython: pytest $*"
# Wine passes the Unix environment on; a Windows server has none of the host's CA settings (they name
# /etc/ssl/... files): the tests see what Windows would (the pip fetch above may have needed them)
unset SSL_CERT_FILE SSL_CERT_DIR REQUESTS_CA_BUNDLE CURL_CA_BUNDLE
# -p no:cacheprovider: the Linux run owns .pytest_cache
wine_run "$PY_DIR/python.exe" -m pytest -p no:cacheprovider "$@"
