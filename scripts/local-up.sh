#!/usr/bin/env bash
# The main job on the local default: Keycloak and Keystone in Docker (docker-compose.yaml), a local
# file state backend with a local passphrase, `pulumi up` on the dev stack, whose last step is the
# smoke check (a real login of the dev stack's test user through Keycloak and Keystone). Without Docker or the Pulumi CLI it says what is missing and how to
# install it, and runs what works offline (render, mapping explain); OKF_OFFLINE=1 asks for that
# mode explicitly. Never reads stdin.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh || exit 1
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error || exit 1

missing=()
[ "${OKF_OFFLINE:-}" = 1 ] && missing+=("nothing: offline mode was requested (OKF_OFFLINE=1)")
if ! command -v docker >/dev/null 2>&1; then
  missing+=("docker: install Docker Engine (https://docs.docker.com/engine/install/) - the 'docker.io' Debian package works too")
elif ! docker info >/dev/null 2>&1; then
  missing+=("a running Docker engine: start it (sudo systemctl start docker) or check permissions on /var/run/docker.sock")
elif ! docker compose version >/dev/null 2>&1; then
  missing+=("docker compose: install the Compose plugin (package docker-compose-plugin)")
fi
if ! command -v pulumi >/dev/null 2>&1; then
  missing+=("pulumi: install the Pulumi CLI (https://www.pulumi.com/docs/install/)")
fi

offline() {
  echo "== offline mode: rendering the dev stack's host configuration and explaining its mapping"
  npm run --silent render -- --stack dev --out out/dev || return 1
  npm run --silent mapping -- explain --stack dev --claims mappings/examples/dev-alice.json || return 1
  echo "== offline mode done: files in out/dev; install the missing tools above for the full run"
}

if [ ${#missing[@]} -gt 0 ]; then
  echo "local-up: cannot run the full local environment; missing:"
  for m in "${missing[@]}"; do echo "  - $m"; done
  offline
  exit $?
fi

set -e
docker compose up -d --build --wait
export PULUMI_CONFIG_PASSPHRASE=${PULUMI_CONFIG_PASSPHRASE:-local-dev-passphrase}
export PULUMI_BACKEND_URL=${PULUMI_BACKEND_URL:-file://$PWD/.pulumi-state}
mkdir -p .pulumi-state
pulumi login "$PULUMI_BACKEND_URL" >/dev/null
pulumi stack select --create dev --non-interactive
# The dynamic Keystone provider and the OpenStack provider both read the dev stack's credentials.
# The update fails if the smoke check (resource smoke-check-login) cannot log in.
pulumi up --yes --non-interactive --stack dev
echo "== what the dev stack's mapping grants (offline evaluation)"
npm run --silent mapping -- explain --stack dev --claims mappings/examples/dev-alice.json
echo "local-up: done. Keycloak http://localhost:8080 (admin/admin), Keystone http://localhost:5000/v3"
