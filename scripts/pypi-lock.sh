#!/usr/bin/env bash
# Regenerates the hash-pinned PyPI locks the virtualenvs install with `pip install --require-hashes`:
#   scripts/pypi-lock.sh keystone   scripts/keystone-pypi.lock (keystone at OKF_KEYSTONE_PYPI_VERSION,
#                                   its dependencies at the versions the lock already pins)
#   scripts/pypi-lock.sh clients    scripts/clients.lock (keystoneauth1 and python-openstackclient at
#                                   the versions in scripts/toolchain.env, dependencies as resolved now)
#   scripts/pypi-lock.sh kolla      scripts/kolla-ansible.lock (kolla-ansible at OKF_KOLLA_ANSIBLE_VERSION,
#                                   ansible-core and the rest as resolved now)
# Wheels only, for Debian 12's Python 3.11 on x86_64; review the diff like any other pin change.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/toolchain.env
source "$here/toolchain.env"
what=${1:?usage: $0 keystone|clients|kolla}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 -m venv "$tmp/venv"
case "$what" in
  keystone)
    lock="$here/keystone-pypi.lock"
    grep -E '^[A-Za-z0-9]' "$lock" | sed 's/ .*//' >"$tmp/constraints"
    "$tmp/venv/bin/pip" download -q --disable-pip-version-check --only-binary=:all: \
      -c "$tmp/constraints" "keystone==$OKF_KEYSTONE_PYPI_VERSION" -d "$tmp/wheels"
    header="# Every package of the PyPI Keystone's virtualenv (scripts/keystone-pypi.sh), pinned with the
# sha256 of its wheel: resolved for keystone==$OKF_KEYSTONE_PYPI_VERSION under the upper-constraints of the
# OpenStack requirements project (master, 2026-08-22, commit 3353677). Regenerate with
# scripts/pypi-lock.sh keystone." ;;
  clients)
    lock="$here/clients.lock"
    "$tmp/venv/bin/pip" download -q --disable-pip-version-check --only-binary=:all: \
      "keystoneauth1==$OKF_KEYSTONEAUTH_VERSION" "python-openstackclient==$OKF_OPENSTACKCLIENT_VERSION" \
      -d "$tmp/wheels"
    header="# Every package of the OpenStack clients' virtualenv (scripts/clients.sh), pinned with the sha256
# of its wheel: keystoneauth1==$OKF_KEYSTONEAUTH_VERSION and python-openstackclient==$OKF_OPENSTACKCLIENT_VERSION with their
# dependencies. Regenerate with scripts/pypi-lock.sh clients." ;;
  kolla)
    lock="$here/kolla-ansible.lock"
    "$tmp/venv/bin/pip" download -q --disable-pip-version-check --only-binary=:all: \
      "kolla-ansible==$OKF_KOLLA_ANSIBLE_VERSION" "ansible==$OKF_ANSIBLE_VERSION" -d "$tmp/wheels"
    header="# Every package of the kolla-ansible virtualenv (scripts/kolla-ansible.sh), pinned with the sha256
# of its wheel: kolla-ansible==$OKF_KOLLA_ANSIBLE_VERSION and ansible==$OKF_ANSIBLE_VERSION (its collections) with
# ansible-core and the rest of their dependencies.
# Regenerate with scripts/pypi-lock.sh kolla." ;;
  *) echo "pypi-lock: unknown lock $what" >&2; exit 2 ;;
esac
{
  echo "$header"
  for w in "$tmp/wheels"/*.whl; do
    f=$(basename "$w")
    name=${f%%-*}; rest=${f#*-}; version=${rest%%-*}
    printf '%s==%s --hash=sha256:%s\n' "${name//_/-}" "$version" "$(sha256sum "$w" | cut -d' ' -f1)"
  done | sort -f
} >"$lock"
echo "pypi-lock: wrote $lock ($(grep -c -- '--hash' "$lock") packages)"
