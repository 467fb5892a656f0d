#!/usr/bin/env bash
# Installs the Debian packages the integration, end-to-end and system suites need, when missing.
# Usage: scripts/install-debian-deps.sh [keystone|apache|kolla|horizon|swift|postgres|all]   (default: all; all adds Chromium,
# which the browser logins drive through playwright-core, and Maven for Keycloak's distribution)
# Safe to call concurrently: a lock serialises apt. Needs root on Debian 12.
set -euo pipefail
want="${1:-all}"
pkgs=(keystone python3-openstackclient procps curl)
case "$want" in
  keystone) ;;
  horizon) pkgs+=(openstack-dashboard) ;;
  postgres) pkgs+=(postgresql-15 python3-psycopg2) ;;
  swift) pkgs+=(swift swift-proxy swift-account swift-container swift-object memcached) ;;
  apache) pkgs+=(apache2 libapache2-mod-wsgi-py3 libapache2-mod-auth-openidc openssl) ;;
  kolla) pkgs+=(apache2 libapache2-mod-auth-openidc uwsgi-core uwsgi-plugin-python3 memcached openssl) ;;
  all) pkgs+=(apache2 libapache2-mod-wsgi-py3 libapache2-mod-auth-openidc openssl chromium maven openstack-dashboard swift swift-proxy swift-account swift-container swift-object memcached openssh-server shellcheck uwsgi-core uwsgi-plugin-python3) ;;
  *) echo "usage: $0 [keystone|apache|horizon|swift|postgres|all]" >&2; exit 2 ;;
esac
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "install-debian-deps: missing ${missing[*]} and cannot install them (needs root on Debian)" >&2
  exit 1
fi
# The lock and the apt-update stamp live in a folder only root can write: in a world-writable one
# (/tmp) another local user could plant a symlink there, and root's `>` would truncate its target.
state_dir=${OKF_DEPS_STATE_DIR:-/var/lib/okf-deps}
mkdir -p "$state_dir"
chmod 0700 "$state_dir"
if [ -L "$state_dir" ] || [ "$(stat -c %u "$state_dir")" != 0 ]; then
  echo "install-debian-deps: $state_dir must be a folder owned by root, not a link" >&2
  exit 1
fi
exec 9>"$state_dir/apt.lock"
flock 9
export DEBIAN_FRONTEND=noninteractive
# The keystone package tries to start its own service; a policy-rc.d that forbids it keeps the
# machine quiet and the ports free (we start our own throw-away instances).
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; made_policy=1; fi
trap '[ $made_policy = 1 ] && rm -f "$policy"' EXIT
stamp=$state_dir/apt-updated
if [ ! -e "$stamp" ] || [ -n "$(find "$stamp" -mmin +360 2>/dev/null)" ]; then
  apt-get update -qq && touch "$stamp"
fi
echo "install-debian-deps: installing ${missing[*]}" >&2
# A package's configure step can fail once on a fresh machine (seen with openstack-dashboard's
# postinst); finishing the configuration and installing again succeeds.
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
  { dpkg --configure -a >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
