#!/usr/bin/env bash
# Tears the local environment down: destroys the dev stack (when the Pulumi CLI is there) and
# stops the containers. With --yes it also deletes the local state and the containers' volumes.
set -uo pipefail
cd "$(dirname "$0")/.."
export PULUMI_CONFIG_PASSPHRASE=${PULUMI_CONFIG_PASSPHRASE:-local-dev-passphrase}
export PULUMI_BACKEND_URL=${PULUMI_BACKEND_URL:-file://$PWD/.pulumi-state}
if command -v pulumi >/dev/null 2>&1 && [ -d .pulumi-state ]; then
  pulumi login "$PULUMI_BACKEND_URL" >/dev/null && pulumi destroy --yes --non-interactive --stack dev || true
fi
if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  if [ "${1:-}" = "--yes" ]; then docker compose down -v; else docker compose down; fi
fi
if [ "${1:-}" = "--yes" ]; then rm -rf .pulumi-state out/dev; fi
