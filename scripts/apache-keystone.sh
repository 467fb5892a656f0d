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
# The httpd.conf comes from scripts/lib/keystone-httpd-conf.sh (shared with the docker image); the
# keystone.conf path reaches mod_wsgi through the Apache parent's environment
# (OS_KEYSTONE_CONFIG_FILES).
set -euo pipefail
cmd=${1:?usage: $0 start|stop|configtest DIR [PORT OIDC_CONF KEYSTONE_OVERLAY]}
dir=${2:?DIR}
here=$(cd "$(dirname "$0")" && pwd)
run_user=keystone
# shellcheck source=lib/process-group.sh
. "$here/lib/process-group.sh"
# shellcheck source=lib/keystone-httpd-conf.sh
. "$here/lib/keystone-httpd-conf.sh"

write_conf() {
  local port=$1 oidc=$2 overlay=$3
  "$here/keystone.sh" init "$dir" "$port" "$overlay" >&2
  local venv=""
  if [ "${OKF_KEYSTONE_RELEASE:-debian}" = pypi ]; then venv=$("$here/keystone-pypi.sh"); fi
  okf_keystone_httpd_conf "$dir/httpd.conf" "$dir" "127.0.0.1:$port" 127.0.0.1 "$dir/apache-error.log" "$oidc" "$run_user" "$venv"
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
    # A failed start stops what it started.
    okf_keystone_ready apache-keystone "$dir/httpd.pid" "$port" "$dir/apache-error.log" 100 ||
      { okf_stop_group "$dir/httpd.pid"; exit 1; }
    ;;
  stop) okf_stop_group "$dir/httpd.pid" ;;
  *) echo "usage: $0 start|stop|configtest DIR ..." >&2; exit 2 ;;
esac
