# Source this file. Stops a process group started with `setsid` whose leader's PID is in PIDFILE:
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
