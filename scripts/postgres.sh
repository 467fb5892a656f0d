#!/usr/bin/env bash
# A throw-away PostgreSQL (Debian 12's 15) on loopback for Keystone, as production runs it: the
# login benchmark's database. Everything lives in DIR, owned by the `postgres` user the Debian
# package creates; nothing touches /etc/postgresql or a system service.
#
#   scripts/postgres.sh start DIR PORT   -> prints Keystone's SQLAlchemy URL for database `keystone`
#   scripts/postgres.sh database DIR PORT NAME   -> a new, empty database NAME (dropped first if it
#                                                  exists), owned by `keystone`; prints its URL
#   scripts/postgres.sh stop DIR
#
# The `keystone` role's password is generated once into DIR/keystone-password (mode 600).
set -euo pipefail
cmd=${1:?usage: $0 start|database|stop DIR [PORT] [NAME]}
dir=${2:?DIR}
here=$(cd "$(dirname "$0")" && pwd)
bin=/usr/lib/postgresql/15/bin
as_pg() { runuser -u postgres -- "$@"; }

case "$cmd" in
  start)
    port=${3:?PORT}
    if ! { [ -x "$bin/initdb" ] && python3 -c 'import psycopg2' 2>/dev/null; }; then
      "$here/install-debian-deps.sh" postgres >&2
    fi
    mkdir -p "$dir" && dir=$(realpath "$dir")
    chown postgres:postgres "$dir"
    if [ ! -s "$dir/data/PG_VERSION" ]; then
      as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
      head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$dir/keystone-password"
      chmod 600 "$dir/keystone-password"
    fi
    mkdir -p "$dir/run" && chown postgres:postgres "$dir/run"
    # Sized for a benchmark on a small machine: enough connections for several mod_wsgi processes
    # with SQLAlchemy's pools, durable commits as in production.
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
      -o "-p $port -k $dir/run -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB" start >/dev/null
    pw=$(cat "$dir/keystone-password")
    if ! as_pg "$bin/psql" -h "$dir/run" -p "$port" -tAc "select 1 from pg_roles where rolname='keystone'" | grep -q 1; then
      as_pg "$bin/psql" -h "$dir/run" -p "$port" -q -c "create role keystone login password '$pw'"
      as_pg "$bin/psql" -h "$dir/run" -p "$port" -q -c "create database keystone owner keystone"
    fi
    echo "postgresql+psycopg2://keystone:$pw@127.0.0.1:$port/keystone"
    ;;
  database)
    port=${3:?PORT} name=${4:?NAME}
    [[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "postgres.sh: NAME='$name' must be a lower-case SQL identifier" >&2; exit 2; }
    dir=$(realpath "$dir")
    as_pg "$bin/psql" -h "$dir/run" -p "$port" -q -c "drop database if exists $name" -c "create database $name owner keystone"
    echo "postgresql+psycopg2://keystone:$(cat "$dir/keystone-password")@127.0.0.1:$port/$name"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    ;;
  *) echo "usage: $0 start|database|stop DIR [PORT] [NAME]" >&2; exit 2 ;;
esac
