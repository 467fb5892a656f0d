# shellcheck shell=bash
# Source this file. The one way the scripts stop and wait for the services they start by PID.
# Nothing here exits: every helper returns a status, and the calling script decides.
#
# Stops the service whose PID is in PIDFILE: TERM to its process group (when it leads one, as
# `setsid` makes it) or else to it and its children, up to 20 s for it to exit, then KILL to the
# same; the PID file goes.
#   okf_stop_group PIDFILE
okf_stop_group() {
  local file=$1 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  okf_signal "$pid" TERM
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  okf_signal "$pid" KILL
  rm -f "$file"
}

# Sends SIGNAL to PID's process group, or when PID leads none, to PID's children and PID.
okf_signal() {
  local pid=$1 sig=$2
  kill "-$sig" -- "-$pid" 2>/dev/null && return 0
  pkill "-$sig" -P "$pid" 2>/dev/null || true
  kill "-$sig" "$pid" 2>/dev/null || true
}

# Waits up to TRIES x 0.2 s for CHECK (a command) to succeed while the service in PIDFILE lives;
# returns 1 when it never does or the service died.
#   okf_wait_ready PIDFILE TRIES CHECK [ARGS...]
okf_wait_ready() {
  local file=$1 tries=$2
  shift 2
  for _ in $(seq 1 "$tries"); do
    "$@" && return 0
    [ -f "$file" ] && kill -0 "$(cat "$file")" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}

# An HTTP check for okf_wait_ready: URL answers with a 2xx.
okf_http_ok() { curl -fsS -o /dev/null "$1" 2>/dev/null; }

# Waits up to TRIES x 0.2 s (default 150) for URL to answer with a 2xx; returns 1 if it never does.
#   okf_wait_http URL [TRIES]
okf_wait_http() {
  local url=$1 tries=${2:-150}
  for _ in $(seq 1 "$tries"); do
    okf_http_ok "$url" && return 0
    sleep 0.2
  done
  return 1
}

# Waits for the Keystone in PIDFILE on 127.0.0.1:PORT and prints its base URL; or says so with the
# last lines of LOG and returns 1.   okf_keystone_ready WHO PIDFILE PORT LOG [TRIES]
okf_keystone_ready() {
  local who=$1 file=$2 port=$3 log=$4 tries=${5:-150}
  if okf_wait_ready "$file" "$tries" okf_http_ok "http://127.0.0.1:$port/v3"; then
    echo "http://127.0.0.1:$port"
    return 0
  fi
  echo "$who: Keystone did not answer on port $port; last lines of $log:" >&2
  tail -n 20 "$log" >&2 || true
  return 1
}
