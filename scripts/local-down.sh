#!/usr/bin/env bash
# Removes the local environment: the containers and their volumes (Keycloak's and Keystone's
# databases). The local Pulumi state (.pulumi-state) and the rendered files (out/dev) describe what
# was in those databases, so they go too, but only when confirmed with --yes:
#   scripts/local-down.sh         stop and remove containers and volumes; keep the state, say so
#   scripts/local-down.sh --yes   the same, and delete .pulumi-state and out/dev
# Without --yes a later local-up.sh refreshes the kept state first. Never reads stdin.
set -uo pipefail
exec </dev/null
cd "$(dirname "$0")/.."
confirm=0
case "${1:-}" in
  --yes) confirm=1 ;;
  "") ;;
  *) echo "usage: $0 [--yes]" >&2; exit 2 ;;
esac

if ! command -v docker >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then
  echo "local-down: no running Docker engine; no containers to remove"
elif ! docker compose version >/dev/null 2>&1; then
  echo "local-down: docker compose is missing (package docker-compose-plugin)" >&2
  exit 1
else
  docker compose down -v --remove-orphans || exit 1
fi

if [ $confirm = 1 ]; then
  rm -rf .pulumi-state out/dev
  echo "local-down: removed .pulumi-state and out/dev"
elif [ -d .pulumi-state ]; then
  echo "local-down: kept .pulumi-state (its dev stack now describes deleted objects); run '$0 --yes' to delete it"
fi
