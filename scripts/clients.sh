#!/usr/bin/env bash
# The OpenStack command-line clients federated users run, from PyPI at the versions pinned in
# scripts/toolchain.env, in a virtualenv cached under ${OKF_CACHE:-~/.cache/okf-toolchain}/clients-<versions>.
# Prints the virtualenv's bin folder (last line). Debian's python3-keystoneauth1 (5.0) lacks the
# device authorization grant (`v3oidcdeviceauthz`), which arrived in keystoneauth1 5.2.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/toolchain.env
source "$here/toolchain.env"
cache=${OKF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/okf-toolchain}
venv="$cache/clients-keystoneauth1-$OKF_KEYSTONEAUTH_VERSION-osc-$OKF_OPENSTACKCLIENT_VERSION-$(sha256sum "$here/clients.lock" | cut -c1-12)"
if [ -f "$venv/.complete" ]; then echo "$venv/bin"; exit 0; fi
py=$(command -v python3) || { echo "clients: python3 is missing (apt-get install python3 python3-venv)" >&2; exit 1; }
t0=$SECONDS
echo "clients: installing keystoneauth1 $OKF_KEYSTONEAUTH_VERSION and python-openstackclient $OKF_OPENSTACKCLIENT_VERSION into $venv" >&2
# A virtualenv records its own path, so it is built in place; .complete marks a finished one.
rm -rf "$venv"
"$py" -m venv "$venv" || { echo "clients: '$py -m venv' failed (Debian: apt-get install python3-venv)" >&2; exit 1; }
# Every wheel pinned by sha256 in scripts/clients.lock (scripts/pypi-lock.sh clients).
"$venv/bin/pip" install -q --disable-pip-version-check --only-binary=:all: --require-hashes \
  --no-deps -r "$here/clients.lock" >&2
"$venv/bin/openstack" --version >&2
touch "$venv/.complete"
echo "clients: ready in $((SECONDS - t0)) s" >&2
echo "$venv/bin"
