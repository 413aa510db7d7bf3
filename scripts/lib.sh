# Shared by ./run and ./test: find Python ≥ 3.12, make .venv, write .env.
# shellcheck shell=bash

find_python() {
  local candidates=()
  [ -n "${XIESHANG_PYTHON:-}" ] && candidates+=("$XIESHANG_PYTHON")
  candidates+=(python3.13 python3.12 python3)
  for dir in "$HOME"/.pyenv/versions/3.1[2-9]* /usr/local/bin /usr/bin; do
    for exe in "$dir"/bin/python3 "$dir"/python3.13 "$dir"/python3.12; do
      [ -x "$exe" ] && candidates+=("$exe")
    done
  done
  for c in "${candidates[@]}"; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
      command -v "$c"
      return 0
    fi
  done
  return 1
}

ensure_venv() {
  local requirements=$1
  if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
    local py
    if ! py=$(find_python); then
      echo "xieshang needs Python 3.12 or newer, and none was found." >&2
      echo "Install one (e.g. 'pyenv install 3.12') or set XIESHANG_PYTHON=/path/to/python3.12." >&2
      exit 1
    fi
    echo "Creating .venv with $py"
    rm -rf .venv
    PYENV_VERSION=$("$py" -c 'import platform; print(platform.python_version())') "$py" -m venv .venv
  fi
  # Reinstall only when the requirement files changed.
  local stamp=.venv/.installed-$(cat requirements/*.txt | sha256sum | cut -c1-16)-$(basename "$requirements")
  if [ ! -f "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
    touch "$stamp"
  fi
}

ensure_env_file() {
  # Secrets for this checkout only; production sets them in the environment.
  if [ ! -f .env ]; then
    .venv/bin/python - <<'PY'
import base64, os, secrets
lines = [
    "# Written by ./run or ./test for this checkout. Never commit; production sets these itself.",
    f"XIESHANG_SECRET_KEY={secrets.token_urlsafe(50)}",
    f"XIESHANG_DATA_KEYS=k1:{base64.b64encode(os.urandom(16)).decode()}",
    f"XIESHANG_DATA_INDEX_KEY={secrets.token_urlsafe(32)}",
]
with open(".env", "w", encoding="utf-8") as fh:
    fh.write("\n".join(lines) + "\n")
os.chmod(".env", 0o600)
PY
    echo "Wrote .env with fresh keys for this checkout."
  fi
}
