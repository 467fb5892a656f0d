#!/usr/bin/env bash
# A throw-away Keystone on loopback with its own config and SQLite database in DIR (or the database
# $OKF_KEYSTONE_DB_URL names, e.g. scripts/postgres.sh's PostgreSQL).
#
#   scripts/keystone.sh init DIR PORT [OVERLAY]  write DIR/keystone.conf (+ OVERLAY), create the DB, keys, admin
#   scripts/keystone.sh start DIR PORT           init if needed, serve with keystone-wsgi-public, print the URL
#   scripts/keystone.sh stop DIR                 stop the server started by `start` (by PID)
#   scripts/keystone.sh status DIR               exit 0 when it answers
#
# Which Keystone: OKF_KEYSTONE_RELEASE=debian (default: Debian 12's Keystone 22) or pypi (the
# release pinned in scripts/toolchain.env, from scripts/keystone-pypi.sh).
# Installs Keystone from Debian when missing (as root). The admin password comes from
# $OKF_ADMIN_PASSWORD or is generated into DIR/admin-password (mode 0600). Everything runs as the
# `keystone` user the Debian package creates, which owns DIR (Apache's mod_wsgi needs that too).
# keystone-manage prints a harmless eventlet traceback at exit: only exit codes are checked.
set -euo pipefail
cmd=${1:?usage: $0 init|start|stop|status DIR [PORT]}
dir=${2:?DIR}
here=$(cd "$(dirname "$0")" && pwd)
run_user=keystone

# shellcheck source=lib/process-group.sh
. "$here/lib/process-group.sh"

case "${OKF_KEYSTONE_RELEASE:-debian}" in
  debian) manage=keystone-manage venv= ;;
  pypi) venv=$("$here/keystone-pypi.sh") && manage="$venv/bin/keystone-manage" || exit 1 ;;
  *) echo "keystone.sh: OKF_KEYSTONE_RELEASE must be debian or pypi, not '$OKF_KEYSTONE_RELEASE'" >&2; exit 2 ;;
esac

init() {
  local port=$1 overlay=${2:-}
  "$here/install-debian-deps.sh" keystone >&2
  mkdir -p "$dir"
  dir=$(realpath "$dir")
  cat >"$dir/keystone.conf" <<CONF
[DEFAULT]
use_stderr = false
log_file = $dir/keystone.log
[database]
connection = ${OKF_KEYSTONE_DB_URL:-sqlite:///$dir/keystone.db}
[token]
provider = fernet
[fernet_tokens]
key_repository = $dir/fernet-keys
[credential]
key_repository = $dir/credential-keys
CONF
  if [ -n "$overlay" ]; then
    cat "$overlay" >>"$dir/keystone.conf"
  else
    printf '[auth]\nmethods = password,token,openid,mapped,application_credential\n[openid]\nremote_id_attribute = HTTP_OIDC_ISS\n' >>"$dir/keystone.conf"
  fi
  [ -f "$dir/keystone.db" ] || [ -f "$dir/db-initialised" ] && return 0
  local pw=${OKF_ADMIN_PASSWORD:-}
  [ -n "$pw" ] || pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  (umask 077 && printf '%s' "$pw" >"$dir/admin-password")
  chown -R "$run_user:$run_user" "$dir"
  local km=(runuser -u "$run_user" -- "$manage" --config-file "$dir/keystone.conf")
  km_step() { # keystone-manage STEP...: quiet when it works, its output when it fails
    local out
    out=$("${km[@]}" "$@" 2>&1) || { echo "keystone.sh: keystone-manage $1 failed:" >&2; echo "$out" | tail -n 20 >&2; return 1; }
  }
  km_step db_sync || return 1
  km_step fernet_setup --keystone-user "$run_user" --keystone-group "$run_user" || return 1
  km_step credential_setup --keystone-user "$run_user" --keystone-group "$run_user" || return 1
  # With a region: API clients (the OpenStack provider, the CLI) pick the identity endpoint of their
  # region from the catalog, and find none in a region-less one.
  km_step bootstrap --bootstrap-password "$pw" --bootstrap-region-id "${OKF_KEYSTONE_REGION:-RegionOne}" \
    --bootstrap-public-url "http://127.0.0.1:$port/v3/" --bootstrap-admin-url "http://127.0.0.1:$port/v3/" \
    --bootstrap-internal-url "http://127.0.0.1:$port/v3/" || return 1
  if [ -n "${OKF_KEYSTONE_DB_URL:-}" ]; then
    touch "$dir/db-initialised"
  else
    # SQLite: WAL, or concurrent requests fail with "database is locked" (docs/local-services.md).
    runuser -u "$run_user" -- /usr/bin/python3 -c "import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute('PRAGMA journal_mode=WAL')" "$dir/keystone.db"
  fi
}

case "$cmd" in
  init) init "${3:?PORT}" "${4:-}" ;;
  start)
    port=${3:?PORT}
    init "$port"
    dir=$(realpath "$dir")
    if [ -f "$dir/keystone.pid" ] && kill -0 "$(cat "$dir/keystone.pid")" 2>/dev/null; then
      echo "http://127.0.0.1:$port"; exit 0
    fi
    chown -R "$run_user:$run_user" "$dir"
    if [ -n "$venv" ]; then
      # The PyPI release has no keystone-wsgi-public: serve its WSGI module with wsgiref, as
      # that script does for Debian's.
      # The port goes in the environment: the WSGI module parses the command line as its own.
      runuser -u "$run_user" -- setsid env OS_KEYSTONE_CONFIG_FILES="$dir/keystone.conf" OKF_PORT="$port" "$venv/bin/python" -c \
        'import os; from wsgiref.simple_server import make_server; from keystone.wsgi.api import application; make_server("127.0.0.1", int(os.environ["OKF_PORT"]), application).serve_forever()' \
        >"$dir/server.log" 2>&1 </dev/null &
    else
      runuser -u "$run_user" -- setsid /usr/bin/keystone-wsgi-public --host 127.0.0.1 --port "$port" -- --config-file "$dir/keystone.conf" \
        >"$dir/server.log" 2>&1 </dev/null &
    fi
    echo $! >"$dir/keystone.pid"
    # A failed start stops what it started.
    okf_keystone_ready keystone.sh "$dir/keystone.pid" "$port" "$dir/server.log" ||
      { okf_stop_group "$dir/keystone.pid"; exit 1; }
    ;;
  stop) okf_stop_group "$dir/keystone.pid" ;;
  status) port=${3:?PORT}; curl -fsS -o /dev/null "http://127.0.0.1:$port/v3" ;;
  *) echo "usage: $0 init|start|stop|status DIR [PORT]" >&2; exit 2 ;;
esac
