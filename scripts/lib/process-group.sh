# shellcheck shell=bash
# Source this file. Helpers for the services the scripts start by PID.
#
# Stops a process group started with `setsid` whose leader's PID is in PIDFILE:
# TERM to the whole group, up to 20 s for the leader to exit, then KILL; the PID file goes.
#   okf_stop_group PIDFILE
okf_stop_group() {
  local file=$1 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$file"
}

# Waits up to TRIES x 0.2 s (default 150) for URL to answer with a 2xx; returns 1 if it never does.
#   okf_wait_http URL [TRIES]
okf_wait_http() {
  local url=$1 tries=${2:-150}
  for _ in $(seq 1 "$tries"); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

# Waits for Keystone on 127.0.0.1:PORT and prints its base URL; or says so with the last lines of
# LOG and exits 1.   okf_keystone_ready WHO PORT LOG [TRIES]
okf_keystone_ready() {
  local who=$1 port=$2 log=$3 tries=${4:-150}
  if okf_wait_http "http://127.0.0.1:$port/v3" "$tries"; then
    echo "http://127.0.0.1:$port"
    exit 0
  fi
  echo "$who: Keystone did not answer on port $port; last lines of $log:" >&2
  tail -n 20 "$log" >&2 || true
  exit 1
}
