#!/usr/bin/env bash
# Keystone laid out the way kolla-ansible runs it, on loopback, for the kolla suite: Keystone under
# uWSGI, Apache with kolla's own rendered keystone site in front (ProxyPass to uWSGI) and memcached
# for mod_auth_openidc's cache. Everything lives in DIR; nothing touches /etc.
#
#   scripts/kolla-keystone.sh start DIR PORT SITE OVERLAY UWSGI_PORT MEMCACHED_PORT   -> the base URL
#   scripts/kolla-keystone.sh stop DIR
#
# SITE is kolla-ansible's rendered httpd-keystone.conf with its container paths mapped to DIR (the
# caller does it and says how); it brings its own Listen and LoadModule lines. The main httpd.conf
# written here holds only what kolla's image holds outside that site: server root, user, modules.
# OVERLAY is appended to the private keystone.conf of `keystone.sh init`.
set -euo pipefail
cmd=${1:?usage: $0 start|stop DIR ...}
dir=${2:?DIR}
here=$(cd "$(dirname "$0")" && pwd)
run_user=keystone
# shellcheck source=lib/process-group.sh
. "$here/lib/process-group.sh"

stop_all() {
  okf_stop_group "$dir/httpd.pid"
  okf_stop_group "$dir/uwsgi.pid"
  okf_stop_group "$dir/memcached.pid"
}

case "$cmd" in
  start)
    port=${3:?PORT} site=${4:?SITE} overlay=${5:?OVERLAY} uwsgi_port=${6:?UWSGI_PORT} mc_port=${7:?MEMCACHED_PORT}
    "$here/install-debian-deps.sh" kolla >&2
    mkdir -p "$dir" && dir=$(realpath "$dir")
    "$here/keystone.sh" init "$dir" "$port" "$(realpath "$overlay")" >&2
    wsgi=(--wsgi-file /usr/bin/keystone-wsgi-public)
    if [ "${OKF_KEYSTONE_RELEASE:-debian}" = pypi ]; then
      venv=$("$here/keystone-pypi.sh")
      wsgi=(--virtualenv "$venv" --module keystone.wsgi.api:application)
    fi
    cat >"$dir/httpd.conf" <<CONF
ServerRoot "/etc/apache2"
ServerName 127.0.0.1
PidFile $dir/httpd.pid
User $run_user
Group $run_user
ErrorLog $dir/apache-main-error.log
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule authn_core_module /usr/lib/apache2/modules/mod_authn_core.so
LoadModule authz_user_module /usr/lib/apache2/modules/mod_authz_user.so
LoadModule auth_openidc_module /usr/lib/apache2/modules/mod_auth_openidc.so
KeepAlive Off
Include $(realpath "$site")
CONF
    chown -R "$run_user:$run_user" "$dir"
    trap 'stop_all' ERR
    memcached -l 127.0.0.1 -p "$mc_port" -u "$run_user" -d -P "$dir/memcached.pid"
    # A daemonized memcached that cannot bind its port exits after its parent reported success.
    for _ in $(seq 1 25); do [ -s "$dir/memcached.pid" ] && break; sleep 0.2; done
    if ! { [ -s "$dir/memcached.pid" ] && kill -0 "$(cat "$dir/memcached.pid")" 2>/dev/null; }; then
      echo "kolla-keystone: memcached did not start on port $mc_port (is it taken?)" >&2
      stop_all
      exit 1
    fi
    # One process, one thread: Keystone's SQLite database. The buffer is kolla's (its uwsgi.ini:
    # buffer-size = 65535): a login's OIDC-* variables outgrow uWSGI's default 4 KB, and uWSGI
    # then drops the request. uWSGI runs from this command line rather than kolla's uwsgi.ini,
    # which names Keystone's newer WSGI module and uWSGI's built-in HTTP router.
    uwsgi --plugin python3 --uwsgi-socket "127.0.0.1:$uwsgi_port" "${wsgi[@]}" --master \
      --buffer-size 65535 \
      --processes 1 --threads 1 --uid "$run_user" --gid "$run_user" --lazy-apps \
      --env "OS_KEYSTONE_CONFIG_FILES=$dir/keystone.conf" \
      --pidfile "$dir/uwsgi.pid" --daemonize "$dir/uwsgi.log"
    apache2 -f "$dir/httpd.conf" -t >&2
    apache2 -f "$dir/httpd.conf" -k start
    okf_keystone_ready kolla-keystone "$dir/httpd.pid" "$port" "$dir/uwsgi.log" 150 || { stop_all; exit 1; }
    trap - ERR
    ;;
  stop) stop_all ;;
  *) echo "usage: $0 start|stop DIR ..." >&2; exit 2 ;;
esac
