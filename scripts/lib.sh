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

ensure_venv() {
  local requirements=$1
  if [[ ! -x .venv/bin/python ]]; then
    echo "==> creating the virtualenv"
    if ! python3 -m venv .venv 2>/dev/null; then
      rm -rf .venv
      ensure_apt python3-venv
      python3 -m venv .venv
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
