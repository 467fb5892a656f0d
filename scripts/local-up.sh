#!/usr/bin/env bash
# The main job on the local default (README quick start): Keycloak and Keystone in Docker
# (docker-compose.yaml), a local file state backend with the dev stack's passphrase, `pulumi up` on
# the dev stack, then a smoke check. The dev stack's own smoke check (a real login of its test user
# through Keycloak and Keystone) runs inside `pulumi up` and fails the update when it breaks.
#
# Without a Docker engine, Docker Compose or the Pulumi CLI it lists what is missing and how to
# install it (one line each), runs what works offline (render, mapping explain) and exits 0 under an
# "offline mode" banner. OKF_OFFLINE=1 asks for offline mode explicitly. Any other failure exits
# non-zero. Never reads stdin.
set -uo pipefail
exec </dev/null
cd "$(dirname "$0")/.."
# shellcheck source=scripts/node-env.sh
source scripts/node-env.sh || exit 1
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error || exit 1
fi

missing=()
if [ "${OKF_OFFLINE:-}" = 1 ]; then
  missing+=("nothing: offline mode was requested (OKF_OFFLINE=1)")
else
  if ! command -v docker >/dev/null 2>&1; then
    missing+=("docker: install Docker Engine, e.g. 'sudo apt-get install docker.io' or https://docs.docker.com/engine/install/")
  else
    docker info >/dev/null 2>&1 ||
      missing+=("a running Docker engine: start it ('sudo systemctl start docker') or let your user reach /var/run/docker.sock")
    docker compose version >/dev/null 2>&1 ||
      missing+=("docker compose: install the Compose plugin, e.g. 'sudo apt-get install docker-compose-plugin'")
  fi
  command -v pulumi >/dev/null 2>&1 ||
    missing+=("pulumi: install the Pulumi CLI, 'curl -fsSL https://get.pulumi.com | sh' or https://www.pulumi.com/docs/install/")
fi

render_dev() { npm run --silent render -- --stack dev --out out/dev; }
explain_alice() { npm run --silent mapping -- explain --stack dev --claims mappings/examples/dev-alice.json; }

if [ ${#missing[@]} -gt 0 ]; then
  echo "local-up: missing:"
  for m in "${missing[@]}"; do echo "  - $m"; done
  echo "================ offline mode: no containers, no pulumi up ================"
  echo "== rendering the dev stack's host configuration into out/dev"
  render_dev || { echo "local-up: render failed" >&2; exit 1; }
  echo "== what alice (mappings/examples/dev-alice.json) gets from the dev stack's mapping"
  explain_alice || { echo "local-up: mapping explain failed" >&2; exit 1; }
  echo "================ offline mode done; install what is missing above for the full run ================"
  exit 0
fi

set -e
export PULUMI_CONFIG_PASSPHRASE=${PULUMI_CONFIG_PASSPHRASE:-local-dev-passphrase}
export PULUMI_BACKEND_URL=${PULUMI_BACKEND_URL:-file://$PWD/.pulumi-state}
echo "== rendering the dev stack's host configuration (the Keystone container serves out/dev)"
render_dev
echo "== starting Keycloak and Keystone (docker compose)"
docker compose up -d --build --wait
case "$PULUMI_BACKEND_URL" in file://*) mkdir -p "${PULUMI_BACKEND_URL#file://}" ;; esac
pulumi login "$PULUMI_BACKEND_URL"
pulumi stack select --create dev --non-interactive
echo "== pulumi up (dev); its last step is the smoke check"
# --refresh: state kept by `local-down.sh` (without --yes) describes containers that are gone;
# refreshing drops what no longer exists so the update creates it again.
pulumi up --yes --non-interactive --skip-preview --refresh --stack dev

# Browser logins through mod_auth_openidc need the client secret Keycloak generated: recreate the
# Keystone container with it (its database lives in a volume and survives).
secret=$(pulumi stack output clientSecret --show-secrets --stack dev 2>/dev/null || true)
if [ -n "$secret" ]; then
  OKF_OIDC_CLIENT_SECRET=$secret docker compose up -d --wait keystone
fi

echo "== smoke check: discovery, Keystone, the federated auth endpoint"
issuer=$(pulumi stack output issuer --stack dev)
cli_auth=$(pulumi stack output cliAuthUrl --stack dev)
curl -fsS -o /dev/null "$issuer/.well-known/openid-configuration"
curl -fsS -o /dev/null http://localhost:5000/v3
# Without a token mod_auth_openidc must refuse (401): Apache guards the endpoint.
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$cli_auth")
[ "$code" = 401 ] || { echo "local-up: $cli_auth answered $code without a token (expected 401 from mod_auth_openidc)" >&2; exit 1; }
echo "== what alice (mappings/examples/dev-alice.json) gets from the dev stack's mapping"
explain_alice
echo "local-up: done. Keycloak http://localhost:8080 (admin/admin), Keystone http://localhost:5000/v3"
