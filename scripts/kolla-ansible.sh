#!/usr/bin/env bash
# kolla-ansible from PyPI (version pinned in scripts/toolchain.env, every wheel pinned by sha256 in
# scripts/kolla-ansible.lock, ansible-core among them) in a virtualenv cached under
# ${OKF_CACHE:-~/.cache/okf-toolchain}/kolla-ansible-<version>-<lock digest>. The kolla suite renders
# its keystone role's own templates with it. Prints the virtualenv's folder (last line).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/toolchain.env
source "$here/toolchain.env"
cache=${OKF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/okf-toolchain}
lock="$here/kolla-ansible.lock"
venv="$cache/kolla-ansible-$OKF_KOLLA_ANSIBLE_VERSION-$(sha256sum "$lock" | cut -c1-12)"
if [ -f "$venv/.complete" ]; then echo "$venv"; exit 0; fi
py=$(command -v python3) || { echo "kolla-ansible: python3 is missing (apt-get install python3 python3-venv)" >&2; exit 1; }
t0=$SECONDS
echo "kolla-ansible: installing kolla-ansible $OKF_KOLLA_ANSIBLE_VERSION into $venv" >&2
rm -rf "$venv"
"$py" -m venv "$venv" || { echo "kolla-ansible: '$py -m venv' failed (apt-get install python3-venv)" >&2; exit 1; }
"$venv/bin/pip" install -q --disable-pip-version-check --only-binary=:all: --require-hashes \
  --no-deps -r "$lock" >&2
"$venv/bin/ansible-playbook" --version >&2
touch "$venv/.complete"
echo "kolla-ansible: ready in $((SECONDS - t0)) s" >&2
echo "$venv"
