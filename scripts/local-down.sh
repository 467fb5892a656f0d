#!/usr/bin/env bash
# Stops the local environment: the Keycloak and Keystone processes local-up.sh started (by PID,
# state in .local/), or the containers and their volumes in docker mode. The local Pulumi state
# (.pulumi-state), the services' databases (.local/) and the rendered files (out/dev) go too, but
# only when confirmed with --yes:
#   scripts/local-down.sh         stop everything; keep the state and databases, say so
#   scripts/local-down.sh --yes   the same, and delete .pulumi-state, .local and out/dev
# Without --yes a later local-up.sh refreshes the kept state first. Never reads stdin.
set -uo pipefail
exec </dev/null
cd "$(dirname "$0")/.." || exit 1
confirm=0
case "${1:-}" in
  --yes) confirm=1 ;;
  "") ;;
  *) echo "usage: $0 [--yes]" >&2; exit 2 ;;
esac

for svc in keycloak keystone; do
  if [ -f ".local/$svc/$svc.pid" ] || [ -f ".local/$svc/httpd.pid" ]; then
    case $svc in
      keycloak) bash scripts/keycloak.sh stop .local/keycloak ;;
      keystone) bash scripts/apache-keystone.sh stop .local/keystone ;;
    esac
    echo "local-down: stopped $svc"
  fi
done

if ! command -v docker >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then
  echo "local-down: no running Docker engine; no containers to remove"
elif ! docker compose version >/dev/null 2>&1; then
  echo "local-down: docker compose is missing (package docker-compose-plugin)" >&2
  exit 1
else
  docker compose down -v --remove-orphans || exit 1
fi

if [ $confirm = 1 ]; then
  rm -rf .pulumi-state .local out/dev
  echo "local-down: removed .pulumi-state, .local and out/dev"
elif [ -d .pulumi-state ]; then
  echo "local-down: kept .pulumi-state (its dev stack now describes deleted objects); run '$0 --yes' to delete it"
fi
