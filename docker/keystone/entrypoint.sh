#!/usr/bin/env bash
# Keystone under Apache mod_wsgi with mod_auth_openidc in front, for the local environment
# (docker-compose.yaml). It serves the dev stack's rendered host configuration, mounted read-only at
# $OKF_RENDERED (`npm run render -- --stack dev --out out/dev`; scripts/local-up.sh does that first).
#
#   entrypoint.sh            set up (first start: database, keys, admin) and run Apache in the foreground
#   entrypoint.sh configtest set up and run `apache2 -t` only
#
# Two local-only forwarders, both needed because Keycloak runs in start-dev mode on plain http:
# - the stack's URLs say http://localhost:8080; inside this container that port is forwarded to the
#   keycloak service, so issuer, discovery and JWKS URLs mean the same here as on the host;
# - mod_auth_openidc 2.4.12 refuses an http OIDCOAuthVerifyJwksUri when it parses the configuration,
#   so local-up renders the JWKS URI as https://127.0.0.1:8443/..., a loopback TLS forwarder whose
#   certificate (made at first start, $OKF_STATE/tls/cert.pem) is the rendered OIDCCABundlePath.
set -euo pipefail
state=${OKF_STATE:-/var/lib/okf-keystone}
rendered=${OKF_RENDERED:-/etc/okf/rendered}
upstream=${OKF_KEYCLOAK_UPSTREAM:-keycloak:8080}
port=5000
run_user=keystone
scripts=$(cd "$(dirname "$0")" && pwd)/scripts

oidc=$rendered/apache/keystone-oidc.conf
overlay=$rendered/keystone/keystone-federation.conf
for f in "$oidc" "$overlay"; do
  [ -f "$f" ] || { echo "keystone: $f is missing; render the dev stack first (npm run render -- --stack dev --out out/dev)" >&2; exit 1; }
done

# Database, keys and the admin user on first start ($OKF_ADMIN_PASSWORD); later starts keep them.
"$scripts/keystone.sh" init "$state" "$port" "$overlay" >&2

tls=$state/tls
if [ ! -f "$tls/cert.pem" ]; then
  mkdir -p "$tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$tls/key.pem" -out "$tls/cert.pem" 2>/dev/null
fi
jwks=$(grep '^OIDCOAuthVerifyJwksUri ' "$oidc" || true)
case "$jwks" in
  'OIDCOAuthVerifyJwksUri "https://'*) ;;
  *) echo "keystone: $oidc must fetch the realm's keys over https (mod_auth_openidc refuses http); render it with scripts/local-up.sh, which points it at this container's TLS forwarder" >&2; exit 1 ;;
esac

# In the image the scripts folder is copied whole; in the repository it is scripts/.
# shellcheck source=scripts/lib/keystone-httpd-conf.sh
. "$scripts/lib/keystone-httpd-conf.sh"
okf_keystone_httpd_conf "$state/httpd.conf" "$state" "$port" localhost /dev/stderr "$oidc" "$run_user"
chown -R "$run_user:$run_user" "$state"
# mod_wsgi's Keystone finds its configuration only through the Apache parent's environment.
export OS_KEYSTONE_CONFIG_FILES=$state/keystone.conf
# Apache expands these in the rendered configuration. The bearer-token path (CLI, smoke check)
# needs neither; browser logins need the client secret from the stack (`pulumi stack output clientSecret`).
export OKF_OIDC_CLIENT_SECRET=${OKF_OIDC_CLIENT_SECRET:-unset-run-pulumi-up-first}
export OKF_OIDC_CRYPTO_PASSPHRASE=${OKF_OIDC_CRYPTO_PASSPHRASE:?OKF_OIDC_CRYPTO_PASSPHRASE is required}

if [ "${1:-}" = configtest ]; then exec apache2 -f "$state/httpd.conf" -t; fi
socat "TCP-LISTEN:8080,bind=127.0.0.1,reuseaddr,fork" "TCP:$upstream" &
socat "OPENSSL-LISTEN:8443,bind=127.0.0.1,reuseaddr,fork,cert=$tls/cert.pem,key=$tls/key.pem,verify=0" "TCP:$upstream" &
rm -f "$state/httpd.pid"
exec apache2 -f "$state/httpd.conf" -DFOREGROUND
