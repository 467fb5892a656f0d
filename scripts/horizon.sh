#!/usr/bin/env bash
# A throw-away Horizon (Debian's openstack-dashboard) on loopback with a stack's rendered websso
# settings, for the login-flow tests. Nothing under /etc changes: a private settings module loads
# Debian's settings, then the rendered snippet, then what a loopback test needs.
#
#   scripts/horizon.sh start DIR PORT SNIPPET   serve on http://127.0.0.1:PORT, print the URL
#   scripts/horizon.sh stop DIR                 stop it (by PID)
#
# SNIPPET is the rendered horizon/local_settings.d/_50_okf_websso.py. Django's development server
# serves it (`--insecure` for the static files); fine on loopback, not for production.
set -euo pipefail
cmd=${1:?usage: $0 start|stop DIR [PORT SNIPPET]}
dir=${2:?DIR}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/lib/process-group.sh
source "$here/lib/process-group.sh"

# The login page answers (200), or sends to the login (302): Horizon is serving.
horizon_ok() {
  local url="http://127.0.0.1:$1/auth/login/"
  okf_http_ok "$url" || [ "$(curl -s -o /dev/null -w '%{http_code}' "$url")" = 302 ]
}

case "$cmd" in
  start)
    port=${3:?PORT} snippet=${4:?SNIPPET}
    "$here/install-debian-deps.sh" horizon >&2
    mkdir -p "$dir" && dir=$(realpath "$dir")
    snippet=$(realpath "$snippet")
    cat >"$dir/okf_horizon_settings.py" <<PY
# Debian's Horizon settings, then the stack's rendered websso snippet, then loopback test settings.
from openstack_dashboard.settings import *  # noqa: F401,F403

with open("$snippet") as _f:
    exec(_f.read())

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECRET_KEY = "okf-horizon-test-only"
# Sessions in the cache (Horizon's default), which is process-local here: one server process.
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
COMPRESS_OFFLINE = False
COMPRESS_ENABLED = False
PY
    if [ -f "$dir/horizon.pid" ] && kill -0 "$(cat "$dir/horizon.pid")" 2>/dev/null; then
      echo "http://127.0.0.1:$port"; exit 0
    fi
    DJANGO_SETTINGS_MODULE=okf_horizon_settings PYTHONPATH="$dir" setsid /usr/bin/python3 \
      /usr/share/openstack-dashboard/manage.py runserver --insecure --noreload "127.0.0.1:$port" \
      >"$dir/horizon.log" 2>&1 </dev/null &
    echo $! >"$dir/horizon.pid"
    if okf_wait_ready "$dir/horizon.pid" 150 horizon_ok "$port"; then
      echo "http://127.0.0.1:$port"; exit 0
    fi
    echo "horizon.sh: Horizon did not answer on port $port; last lines of $dir/horizon.log:" >&2
    tail -n 30 "$dir/horizon.log" >&2 || true
    okf_stop_group "$dir/horizon.pid" # a failed start stops what it started
    exit 1
    ;;
  stop) okf_stop_group "$dir/horizon.pid" ;;
  *) echo "usage: $0 start|stop DIR [PORT SNIPPET]" >&2; exit 2 ;;
esac
