#!/usr/bin/env bash
# The current Keystone release from PyPI (version pinned in scripts/toolchain.env, dependencies in
# scripts/keystone-pypi.lock, each wheel pinned by sha256) in a virtualenv of Debian's
# /usr/bin/python3 (the Python Debian's mod_wsgi embeds, so Apache can serve it with python-home).
# Prints the virtualenv's folder.
#   scripts/keystone-pypi.sh            build it when missing (cached, keyed by the pins)
# It lives under /var/cache (OKF_KEYSTONE_VENVS): the `keystone` user that runs Keystone must
# read it, and cannot read root's home.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/toolchain.env
source "$here/toolchain.env"
py=/usr/bin/python3
[ -x "$py" ] || { echo "keystone-pypi: $py is missing (apt-get install python3 python3-venv)" >&2; exit 1; }
pyver=$("$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
lock="$here/keystone-pypi.lock"
key=$(sha256sum <"$lock" | cut -c1-12)
venv="${OKF_KEYSTONE_VENVS:-/var/cache/okf-keystone}/keystone-$OKF_KEYSTONE_PYPI_VERSION-py$pyver-$key"
if [ -f "$venv/.complete" ]; then echo "$venv"; exit 0; fi
t0=$SECONDS
echo "keystone-pypi: installing keystone $OKF_KEYSTONE_PYPI_VERSION into $venv" >&2
rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
chmod 755 "$(dirname "$venv")"
"$py" -m venv "$venv" || { echo "keystone-pypi: '$py -m venv' failed (apt-get install python3-venv)" >&2; exit 1; }
# Every wheel pinned by sha256 (scripts/pypi-lock.sh): pip refuses any other file.
"$venv/bin/pip" install -q --disable-pip-version-check --only-binary=:all: --require-hashes \
  --no-deps -r "$lock" >&2
"$venv/bin/keystone-manage" --version >&2 2>/dev/null || true
chmod -R a+rX "$venv"
touch "$venv/.complete"
echo "keystone-pypi: ready in $((SECONDS - t0)) s" >&2
echo "$venv"
