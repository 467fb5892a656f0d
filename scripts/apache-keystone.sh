#!/usr/bin/env bash
# A throw-away Keystone under Apache mod_wsgi with mod_auth_openidc in front, on loopback, for the
# end-to-end suite. Everything lives in DIR; nothing touches /etc/apache2 or /etc/keystone.
#
#   scripts/apache-keystone.sh start DIR PORT OIDC_CONF KEYSTONE_OVERLAY   -> prints the base URL
#   scripts/apache-keystone.sh stop DIR
#   scripts/apache-keystone.sh configtest DIR PORT OIDC_CONF KEYSTONE_OVERLAY
#
# OIDC_CONF is the rendered mod_auth_openidc configuration (included as is); KEYSTONE_OVERLAY the
# rendered keystone.conf overlay (appended to the private keystone.conf that `keystone.sh init`
# writes; the admin password comes from $OKF_ADMIN_PASSWORD or DIR/admin-password).
# Facts this relies on (LOCAL-SERVICES.md): Apache must run as a non-root user that owns the state
# dir; SQLite needs WAL with one WSGI process; the keystone.conf path reaches mod_wsgi through the
# Apache parent's environment (OS_KEYSTONE_CONFIG_FILES).
set -euo pipefail
cmd=${1:?usage: $0 start|stop|configtest DIR [PORT OIDC_CONF KEYSTONE_OVERLAY]}
dir=${2:?DIR}
here=$(cd "$(dirname "$0")" && pwd)
run_user=keystone

write_conf() {
  local port=$1 oidc=$2 overlay=$3
  "$here/keystone.sh" init "$dir" "$port" "$overlay" >&2
  cat >"$dir/httpd.conf" <<CONF
ServerRoot "/etc/apache2"
ServerName 127.0.0.1
PidFile $dir/httpd.pid
Listen 127.0.0.1:$port
User $run_user
Group $run_user
ErrorLog $dir/apache-error.log
LogLevel warn auth_openidc:info
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule authn_core_module /usr/lib/apache2/modules/mod_authn_core.so
LoadModule authz_user_module /usr/lib/apache2/modules/mod_authz_user.so
LoadModule env_module /usr/lib/apache2/modules/mod_env.so
LoadModule headers_module /usr/lib/apache2/modules/mod_headers.so
LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so
LoadModule wsgi_module /usr/lib/apache2/modules/mod_wsgi.so
LoadModule auth_openidc_module /usr/lib/apache2/modules/mod_auth_openidc.so
TypesConfig /etc/mime.types
# No persistent connections: Node's fetch pools them, and a pooled connection Apache has already
# closed fails the next request with "other side closed" (seen in the system suite after 401s).
KeepAlive Off
WSGIDaemonProcess keystone processes=1 threads=1 user=$run_user group=$run_user display-name=okf-keystone
WSGIScriptAlias / /usr/bin/keystone-wsgi-public process-group=keystone application-group=%{GLOBAL}
WSGIApplicationGroup %{GLOBAL}
WSGIPassAuthorization On
Include $oidc
CONF
}

case "$cmd" in
  start|configtest)
    port=${3:?PORT} oidc=${4:?OIDC_CONF} overlay=${5:?KEYSTONE_OVERLAY}
    "$here/install-debian-deps.sh" apache >&2
    mkdir -p "$dir" && dir=$(realpath "$dir")
    write_conf "$port" "$(realpath "$oidc")" "$(realpath "$overlay")"
    export OS_KEYSTONE_CONFIG_FILES="$dir/keystone.conf"
    if [ "$cmd" = configtest ]; then exec apache2 -f "$dir/httpd.conf" -t; fi
    chown -R "$run_user:$run_user" "$dir"
    apache2 -f "$dir/httpd.conf" -t >&2
    apache2 -f "$dir/httpd.conf" -k start
    for _ in $(seq 1 100); do
      if curl -fsS -o /dev/null "http://127.0.0.1:$port/v3"; then echo "http://127.0.0.1:$port"; exit 0; fi
      sleep 0.2
    done
    echo "apache-keystone: Keystone under Apache did not answer on port $port; see $dir/apache-error.log" >&2
    tail -n 20 "$dir/apache-error.log" >&2 || true
    exit 1
    ;;
  stop)
    if [ -f "$dir/httpd.pid" ]; then
      pid=$(cat "$dir/httpd.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    ;;
  *) echo "usage: $0 start|stop|configtest DIR ..." >&2; exit 2 ;;
esac
