#!/usr/bin/env bash
# Creates .venv with Python 3.12+ and installs the project into it, once.
# Re-running is cheap: it reinstalls only when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
    local candidates=("${PYTHON:-}" python3.13 python3.12 python3)
    # pyenv's shims refuse a version that is not selected; ask pyenv directly.
    if command -v pyenv >/dev/null 2>&1; then
        local root
        root=$(pyenv root)
        candidates+=("$root"/versions/3.1[2-9]*/bin/python3)
    fi
    for py in "${candidates[@]}"; do
        [ -n "$py" ] || continue
        if "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
            command -v "$py" 2>/dev/null || echo "$py"
            return 0
        fi
    done
    return 1
}

if [ ! -x .venv/bin/python ]; then
    if ! py=$(find_python); then
        echo "error: this project needs Python 3.12 or newer, and none was found." >&2
        echo "Install one (e.g. 'pyenv install 3.12') or set PYTHON=/path/to/python3.12." >&2
        exit 1
    fi
    echo "Creating .venv with $py ($("$py" --version))"
    "$py" -m venv .venv
fi

stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "Installing the project and its pinned dependencies into .venv …"
    log=.venv/pip.log
    if ! { .venv/bin/python -m pip install --disable-pip-version-check --upgrade pip &&
           .venv/bin/python -m pip install --disable-pip-version-check -e ".[dev]"; } >"$log" 2>&1; then
        cat "$log" >&2
        echo "error: installing the dependencies failed (full log above, also in $log)." >&2
        exit 1
    fi
    touch "$stamp"
fi

# Compiled message catalogues are build products (not committed): compile them
# in Python, so no system gettext is needed.
.venv/bin/python scripts/compile_messages.py
