# Shared by scripts/demo and scripts/test: install what is missing, nothing else.
# Debian packages are installed only when absent; the virtualenv is created once and kept
# in step with the requirements file.

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

ensure_venv() {
  local requirements=$1
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
  local stamp=".venv/.installed-$(basename "$requirements")"
  if [[ ! -f "$stamp" || "$requirements" -nt "$stamp" || requirements.txt -nt "$stamp" ]]; then
    echo "==> installing Python packages from $requirements"
    .venv/bin/python -m pip install -q --disable-pip-version-check -r "$requirements" 2>&1 | grep -v "is ignored" || true
    .venv/bin/python -c "import django" # fail here, loudly, if the install did not work
    touch "$stamp"
  fi
}
