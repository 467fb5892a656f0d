#!/usr/bin/env bash
# The main job on the local default (README quick start): Keycloak and Keystone on this machine, a
# local file state backend with the dev stack's passphrase, `pulumi up` on the dev stack (its own
# smoke check, a real login of its test user through Keycloak and Keystone, runs inside the update),
# then a few checks from outside.
#
# Two ways to run the services, chosen in this order:
#   - processes (default; no Docker needed): Keycloak from Maven Central (scripts/keycloak.sh,
#     http://localhost:8080, plus TLS on 127.0.0.1:8443 for mod_auth_openidc's JWKS) and Keystone
#     under Apache with mod_auth_openidc (scripts/apache-keystone.sh, http://localhost:5000), state in .local/;
#   - docker compose (docker-compose.yaml), when OKF_LOCAL_MODE=docker.
# The Pulumi CLI comes from scripts/toolchain.sh (the one on PATH, or the project's Go-module build).
#
# When something the full run needs cannot be had (the CLI, a provider plugin, Docker in docker
# mode) it says what and why (one line each), runs what works offline (render, mapping explain) and
# exits 0 under an "offline mode" banner. OKF_OFFLINE=1 asks for offline mode explicitly. Any other
# failure exits non-zero. Never reads stdin. scripts/local-down.sh stops what this started.
set -uo pipefail
exec </dev/null
cd "$(dirname "$0")/.."
# shellcheck source=scripts/node-env.sh
source scripts/node-env.sh || exit 1
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error || exit 1
fi

mode=${OKF_LOCAL_MODE:-processes}
missing=()
render_dev() { npm run --silent render -- --stack dev --out out/dev "$@"; }
explain_alice() { npm run --silent mapping -- explain --stack dev --claims mappings/examples/dev-alice.json; }

if [ "${OKF_OFFLINE:-}" = 1 ]; then
  missing+=("nothing: offline mode was requested (OKF_OFFLINE=1)")
elif [ "$mode" = docker ]; then
  if ! command -v docker >/dev/null 2>&1; then
    missing+=("docker: install Docker Engine, e.g. 'sudo apt-get install docker.io', or run without OKF_LOCAL_MODE=docker")
  else
    docker info >/dev/null 2>&1 ||
      missing+=("a running Docker engine: start it ('sudo systemctl start docker') or let your user reach /var/run/docker.sock")
    docker compose version >/dev/null 2>&1 ||
      missing+=("docker compose: install the Compose plugin, e.g. 'sudo apt-get install docker-compose-plugin'")
  fi
elif [ "$mode" != processes ]; then
  echo "local-up: OKF_LOCAL_MODE must be 'processes' (default) or 'docker', not '$mode'" >&2
  exit 2
fi

if [ ${#missing[@]} -eq 0 ]; then
  if bin=$(bash scripts/toolchain.sh | tail -n 1) && [ -x "$bin/pulumi" ]; then
    export PATH="$bin:$PATH"
    # Provider plugins from the plugin folder (OKF_PLUGIN_DIR, checked against pinned sha256s);
    # without one, a connected machine lets Pulumi download them.
    if ! plugin_error=$(bash scripts/toolchain.sh plugins 2>&1); then
      missing+=("the Pulumi provider plugins: ${plugin_error#toolchain: }")
    elif [[ "$bin" == "${OKF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/okf-toolchain}/"* ]]; then
      # The project's own build never downloads plugins: each must be installed by now.
      while read -r state name version; do
        [ "$state" = missing ] && missing+=("the Pulumi provider plugin $name $version: point OKF_PLUGIN_DIR at a folder holding pulumi-resource-$name-v$version-linux-amd64.tar.gz, or install it with 'pulumi plugin install resource $name $version' on a connected machine")
      done < <(bash scripts/toolchain.sh providers 2>/dev/null)
    fi
  else
    missing+=("the Pulumi CLI: put one on PATH (https://www.pulumi.com/docs/install/) or install Go >= 1.25 so scripts/toolchain.sh can build it")
  fi
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "local-up: missing:"
  for m in "${missing[@]}"; do echo "  - $m"; done
  echo "================ offline mode: no services, no pulumi up ================"
  echo "== rendering the dev stack's host configuration into out/dev"
  render_dev || { echo "local-up: render failed" >&2; exit 1; }
  echo "== what alice (mappings/examples/dev-alice.json) gets from the dev stack's mapping"
  explain_alice || { echo "local-up: mapping explain failed" >&2; exit 1; }
  echo "================ offline mode done; install what is missing above for the full run ================"
  exit 0
fi

set -e
export PULUMI_CONFIG_PASSPHRASE=${PULUMI_CONFIG_PASSPHRASE:-local-dev-passphrase}
state=$PWD/.local
# Throw-away credentials of the local services (the dev stack's own secrets say the same).
export OKF_ADMIN_PASSWORD=local-admin-password OKF_OIDC_CRYPTO_PASSPHRASE=local-oidc-crypto-passphrase-for-dev
# The CLI with the project's defaults (state backend, plugins, no update check).
pulumi() { bash scripts/pulumi.sh "$@"; }

start_keystone() { # with the client secret when known (browser logins need it; bearer tokens do not)
  bash scripts/apache-keystone.sh stop "$state/keystone"
  OKF_OIDC_CLIENT_SECRET=${1:-unset-run-pulumi-up-first} \
    bash scripts/apache-keystone.sh start "$state/keystone" 5000 out/dev/apache/keystone-oidc.conf out/dev/keystone/keystone-federation.conf >/dev/null
}

if [ "$mode" = processes ]; then
  echo "== starting Keycloak (http://localhost:8080; TLS for the JWKS on 127.0.0.1:8443)"
  OKF_KEYCLOAK_HOSTNAME=http://localhost:8080 bash scripts/keycloak.sh start "$state/keycloak" 8080 8443 >/dev/null
  echo "== rendering the dev stack's host configuration into out/dev"
  render_dev --ca-bundle "$state/keycloak/tls/cert.pem" --jwks-uri https://127.0.0.1:8443/realms/openstack/protocol/openid-connect/certs
  echo "== starting Keystone under Apache with mod_auth_openidc (http://localhost:5000)"
  start_keystone
else
  echo "== rendering the dev stack's host configuration (the Keystone container serves out/dev)"
  # The container fetches the realm's keys through its TLS forwarder (docker/keystone/entrypoint.sh).
  render_dev --ca-bundle /var/lib/okf-keystone/tls/cert.pem --jwks-uri https://127.0.0.1:8443/realms/openstack/protocol/openid-connect/certs
  echo "== starting Keycloak and Keystone (docker compose)"
  docker compose up -d --build --wait
fi

pulumi stack select --create dev --non-interactive
echo "== pulumi up (dev); its last step is the smoke check: a real login through Keycloak and Keystone"
# --refresh: state kept by `local-down.sh` (without --yes) describes services that are gone;
# refreshing drops what no longer exists so the update creates it again.
up_status=0
pulumi up --yes --non-interactive --skip-preview --refresh --stack dev --suppress-progress --suppress-outputs || up_status=$?
if [ "$up_status" -ne 0 ]; then
  # What the services said while the update ran names the cause more often than the provider does.
  echo "local-up: pulumi up failed (the error is above); the services' last errors:" >&2
  [ "$mode" = processes ] || echo "  see: docker compose logs keycloak keystone" >&2
  for log in "$state/keycloak/keycloak.log" "$state/keystone/keystone.log" "$state/keystone/apache-error.log"; do
    [ -f "$log" ] || continue
    echo "  $log:" >&2
    grep -E 'ERROR|CRITICAL|Traceback|error\]' "$log" | tail -n 15 | sed 's/^/    /' >&2 || echo "    (none)" >&2
  done
  echo "local-up: a re-run continues from what was created: bash scripts/local-up.sh" >&2
  exit "$up_status"
fi

# Browser logins through mod_auth_openidc need the client secret Keycloak generated.
secret=$(pulumi stack output clientSecret --show-secrets --stack dev 2>/dev/null || true)
if [ -n "$secret" ]; then
  if [ "$mode" = processes ]; then start_keystone "$secret"; else OKF_OIDC_CLIENT_SECRET=$secret docker compose up -d --wait keystone; fi
fi

echo "== smoke check: discovery, Keystone, the federated auth endpoint"
issuer=$(pulumi stack output issuer --stack dev)
cli_auth=$(pulumi stack output cliAuthUrl --stack dev)
curl -fsS -o /dev/null "$issuer/.well-known/openid-configuration"
curl -fsS -o /dev/null http://localhost:5000/v3
# Without a token mod_auth_openidc must refuse (401): Apache guards the endpoint.
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$cli_auth")
[ "$code" = 401 ] || { echo "local-up: $cli_auth answered $code without a token (expected 401 from mod_auth_openidc)" >&2; exit 1; }
# The update's own smoke check logs in only when something it depends on changed; log in here too,
# so every run ends in a real login (Keycloak token -> Keystone -> project-scoped token).
echo "== a real login as the dev stack's smoke user"
smoke=$(pulumi config get smokeCheck --stack dev)
field() { node -p 'JSON.parse(process.argv[1])[process.argv[2]]' "$smoke" "$1"; }
OKF_TOKEN_URL="$issuer/protocol/openid-connect/token" OKF_CLIENT_ID=$(pulumi stack output clientId --stack dev) \
  OKF_CLIENT_SECRET=$secret OKF_USERNAME=$(field username) OKF_PROJECT=$(field project) \
  OKF_PASSWORD=$(pulumi config get smokeCheckPassword --stack dev) \
  OKF_KEYSTONE_AUTH_URL=$cli_auth OKF_KEYSTONE_V3=http://localhost:5000/v3 \
  node infra/components/smoke-login.cjs
echo "== what alice (mappings/examples/dev-alice.json) gets from the dev stack's mapping"
explain_alice
echo "local-up: done. Where everything runs:"
echo "  Keycloak        http://localhost:8080 (admin console: admin / admin), realm issuer $issuer"
echo "  Keystone        http://localhost:5000/v3 (admin / $OKF_ADMIN_PASSWORD), federated CLI login at $cli_auth"
echo "  Pulumi state    $(pulumi whoami --verbose 2>/dev/null | sed -n 's/^Backend URL: *//p')"
echo "  service state   $state (logs: $state/keycloak, $state/keystone)"
echo "local-up: stack outputs: scripts/pulumi.sh stack output --stack dev; stop everything with scripts/local-down.sh"
