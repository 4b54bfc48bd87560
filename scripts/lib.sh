# Shared by scripts/demo and scripts/test: install what is missing, nothing else.
# Debian packages are installed only when absent; the virtualenv is created once and kept
# in step with a lock file.

ensure_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    echo "==> installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# The interpreter the virtualenv is made from: $XUEJIAO_PYTHON when set; else Debian's own
# python3 when it is 3.11 or newer, the one production runs (docs/deployment.md) and built
# with its compiler's profile-guided optimisations; else the first python3 on the PATH.
venv_python() {
  if [[ -n "${XUEJIAO_PYTHON:-}" ]]; then
    echo "$XUEJIAO_PYTHON"
  elif [[ -x /usr/bin/python3 ]] && /usr/bin/python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo /usr/bin/python3
  else
    echo python3
  fi
}

# Make the virtualenv once, and keep its packages exactly those of a lock file (scripts/lock
# writes the locks from the requirements*.txt ranges). pip installs with --require-hashes, so
# what lands is byte for byte what was locked. The installed lock's checksum is kept in the
# virtualenv: when the lock changes (a pull, a branch, scripts/lock), the next command brings
# the packages in step and removes those the lock no longer names. The development lock holds
# every runtime pin, so a virtualenv made for the tests serves the demo as it is.
ensure_venv() {
  local lock=$1
  if [[ ! -x .venv/bin/python ]]; then
    local python
    python=$(venv_python)
    echo "==> creating the virtualenv ($("$python" --version))"
    if ! "$python" -m venv .venv 2>/dev/null; then
      rm -rf .venv
      ensure_apt python3-venv
      "$python" -m venv .venv
    fi
  fi
  local stamp=.venv/.installed-lock wanted
  wanted="$lock $(sha256sum "$lock" | cut -d' ' -f1)"
  if [[ -f "$stamp" ]]; then
    local installed
    installed=$(cat "$stamp")
    [[ "$installed" == "$wanted" ]] && return 0
    # A virtualenv in step with the development lock already holds the runtime lock.
    if [[ "$lock" == requirements.lock && "$installed" == "requirements-dev.lock $(sha256sum requirements-dev.lock | cut -d' ' -f1)" ]]; then
      return 0
    fi
  fi
  echo "==> installing Python packages from $lock"
  .venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r "$lock" 2>&1 | grep -v "is ignored" || true
  # Remove what the lock no longer names (a dropped package, or a tool of the other lock).
  local extra
  extra=$(.venv/bin/python - "$lock" <<'PY'
import re, sys
from importlib.metadata import distributions

def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()

locked = {norm(m.group(1)) for m in re.finditer(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", open(sys.argv[1]).read(), re.M)}
keep = locked | {"pip", "setuptools", "wheel"}
print(" ".join(sorted({norm(d.metadata["Name"]) for d in distributions()} - keep)))
PY
)
  if [[ -n "$extra" ]]; then
    echo "==> removing packages the lock does not name: $extra"
    # shellcheck disable=SC2086
    .venv/bin/python -m pip uninstall -q -y $extra
  fi
  .venv/bin/python -c "import django" # fail here, loudly, if the install did not work
  echo "$wanted" >"$stamp"
}
