#!/usr/bin/env bash
# A throw-away OpenStack Swift on loopback with its S3 API, for the state-backend suite: Debian's
# Swift packages, one node, one device, one replica, tempauth. Everything lives in DIR; nothing
# touches /etc/swift or a system service.
#
#   scripts/swift.sh start DIR PORT   -> prints the S3 endpoint (http://127.0.0.1:PORT)
#   scripts/swift.sh stop DIR         (the data stays; `start` again serves it)
#   scripts/swift.sh status DIR
#
# The proxy listens on PORT; the account, container and object servers on PORT+1..PORT+3 and the
# memcached that tempauth needs on PORT+4.
# The S3 credentials are one tempauth user: access key `okf:state`, secret key from
# $OKF_SWIFT_SECRET or else generated once into DIR/secret-key (mode 600). The S3 region is
# `us-east-1` (s3api's `location`); the S3 URL form Pulumi needs is in docs/operations.md.
set -euo pipefail
cmd=${1:?usage: $0 start|stop|status DIR [PORT]}
dir=${2:?DIR}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib/process-group.sh
. "$here/lib/process-group.sh"
servers=(memcached account container object proxy)

default_section() { # NAME PORT SWIFT_DIR: every server on loopback, one process, its files in DIR
  cat <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $2
workers = 0
swift_dir = $3
log_name = swift-$1
log_level = WARNING
EOF
}

server_conf() { # NAME PORT DEVICES SWIFT_DIR
  local name=$1 port=$2 devices=$3 etc=$4
  default_section "$name" "$port" "$etc"
  cat <<EOF
devices = $devices
mount_check = false

[pipeline:main]
pipeline = $name-server

[app:$name-server]
use = egg:swift#$name
EOF
}

proxy_conf() { # PORT SWIFT_DIR SECRET
  local port=$1 etc=$2 secret=$3
  default_section proxy "$port" "$etc"
  cat <<EOF

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy slo dlo proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true

[filter:s3api]
use = egg:swift#s3api
location = us-east-1

[filter:tempauth]
use = egg:swift#tempauth
user_okf_state = $secret .admin

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$((port + 4))

[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
EOF
}

init() { # PORT: configuration and rings, once per DIR
  local port=$1 etc="$dir/etc"
  mkdir -p "$etc" "$dir/srv/d1" "$dir/run" "$dir/log"
  if [ -n "${OKF_SWIFT_SECRET:-}" ]; then
    printf '%s' "$OKF_SWIFT_SECRET" >"$dir/secret-key"
  elif [ ! -s "$dir/secret-key" ]; then
    head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/secret-key"
  fi
  chmod 600 "$dir/secret-key"
  printf '[swift-hash]\nswift_hash_path_suffix = okf-%s\n\n[storage-policy:0]\nname = Policy-0\ndefault = yes\n' \
    "$(basename "$dir")" >"$etc/swift.conf"
  local i=1
  for name in account container object; do
    server_conf "$name" $((port + i)) "$dir/srv" "$etc" >"$etc/$name-server.conf"
    if [ ! -f "$etc/$name.ring.gz" ] || [ "$(cat "$etc/$name.port" 2>/dev/null)" != $((port + i)) ]; then
      rm -f "$etc/$name.builder" "$etc/$name.ring.gz"
      (cd "$etc" && swift-ring-builder "$name.builder" create 6 1 1 >/dev/null &&
        swift-ring-builder "$name.builder" add "r1z1-127.0.0.1:$((port + i))/d1" 100 >/dev/null &&
        { swift-ring-builder "$name.builder" rebalance >/dev/null || [ $? = 1 ]; })
      echo $((port + i)) >"$etc/$name.port"
    fi
    i=$((i + 1))
  done
  proxy_conf "$port" "$etc" "$(cat "$dir/secret-key")" >"$etc/proxy-server.conf"
}

start_one() { # NAME PORT
  local name=$1 port=$2
  okf_stop_group "$dir/run/$name.pid"
  if [ "$name" = memcached ]; then # tempauth keeps its tokens and s3api its signatures' checks here
    setsid memcached -u nobody -l 127.0.0.1 -p $((port + 4)) -U 0 -m 16 >>"$dir/log/$name.log" 2>&1 </dev/null &
  else
    setsid "swift-$name-server" "$dir/etc/$name-server.conf" -v >>"$dir/log/$name.log" 2>&1 </dev/null &
  fi
  echo $! >"$dir/run/$name.pid"
}

case "$cmd" in
  start)
    port=${3:?PORT}
    for p in swift-proxy-server swift-object-server swift-ring-builder memcached; do
      command -v "$p" >/dev/null || "$here/install-debian-deps.sh" swift >&2
    done
    mkdir -p "$dir" && dir=$(realpath "$dir")
    init "$port"
    for name in "${servers[@]}"; do start_one "$name" "$port"; done
    ready=1
    for i in 1 2 3; do # each backend server accepts connections (any HTTP answer will do)
      for _ in $(seq 1 150); do curl -s -o /dev/null "http://127.0.0.1:$((port + i))/" && break; sleep 0.2; done
    done
    okf_wait_http "http://127.0.0.1:$port/healthcheck" 150 || ready=0
    if [ $ready = 1 ]; then
      echo "http://127.0.0.1:$port"
      exit 0
    fi
    echo "swift: the proxy did not answer on port $port; last lines of its log:" >&2
    tail -n 20 "$dir/log/proxy.log" >&2 || true
    exit 1
    ;;
  stop)
    for name in "${servers[@]}"; do okf_stop_group "$dir/run/$name.pid"; done
    ;;
  status)
    for name in "${servers[@]}"; do
      if [ -f "$dir/run/$name.pid" ] && kill -0 "$(cat "$dir/run/$name.pid")" 2>/dev/null; then
        echo "$name: running (pid $(cat "$dir/run/$name.pid"))"
      else
        echo "$name: stopped"
      fi
    done
    ;;
  *) echo "usage: $0 start|stop|status DIR [PORT]" >&2; exit 2 ;;
esac
