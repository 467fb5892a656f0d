#!/usr/bin/env bash
# A real Keycloak on loopback: the server distribution from Maven Central, dev mode, H2 in DIR.
#
#   scripts/keycloak.sh fetch                       cache the pinned distribution, print its home
#   scripts/keycloak.sh start DIR PORT [HTTPS_PORT] start (fetching first), wait for discovery, print the base URL
#   scripts/keycloak.sh stop DIR                    stop the server started by `start` (by PID)
#   scripts/keycloak.sh status DIR PORT             exit 0 when the master realm's discovery answers
#
# The version is pinned in scripts/toolchain.env; the distribution is cached under
# ${OKF_CACHE:-~/.cache/okf-toolchain}/keycloak-<version>/. The bootstrap admin is admin /
# $OKF_KEYCLOAK_ADMIN_PASSWORD (default `admin`; it only takes effect when DIR's database is new).
# The hostname is pinned (http://127.0.0.1:PORT, or https://127.0.0.1:HTTPS_PORT when given, or
# $OKF_KEYCLOAK_HOSTNAME, e.g. http://localhost:8080 for the dev stack) so every token carries one
# exact issuer, whichever address a client used. With HTTPS_PORT a self-signed certificate for 127.0.0.1 and
# localhost is made in DIR/tls (DIR/tls/cert.pem is the CA to trust): mod_auth_openidc fetches
# JWKS over https only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/toolchain.env
source "$here/toolchain.env"
# shellcheck source=scripts/lib/process-group.sh
source "$here/lib/process-group.sh"
cache=${OKF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/okf-toolchain}
kc_home="$cache/keycloak-$OKF_KEYCLOAK_VERSION/keycloak-$OKF_KEYCLOAK_VERSION"
cmd=${1:?usage: $0 fetch|start|stop|status [DIR] [PORT] [HTTPS_PORT]}

die() { echo "keycloak.sh: $*" >&2; exit 1; }

# A JDK Keycloak 26 supports: 21 or newer preferred (17 is deprecated); JAVA_HOME wins when set.
pick_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then echo "$JAVA_HOME"; return; fi
  local j
  for j in /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/java-25-* /usr/lib/jvm/java-21-* /usr/lib/jvm/temurin-21-jdk-*; do
    [ -x "$j/bin/java" ] && { echo "$j"; return; }
  done
  for j in /usr/lib/jvm/java-17-openjdk-*; do
    [ -x "$j/bin/java" ] && { echo "keycloak.sh: no JDK >= 21 found; using the deprecated Java 17 ($j)" >&2; echo "$j"; return; }
  done
  die "no JDK found: install one (e.g. 'apt-get install openjdk-17-jre-headless', better a JDK >= 21) or set JAVA_HOME"
}

fetch() {
  [ -x "$kc_home/bin/kc.sh" ] && { echo "$kc_home"; return; }
  command -v mvn >/dev/null || die "Maven is missing: install it ('apt-get install maven') to fetch Keycloak from Maven Central"
  local dl="$cache/keycloak-$OKF_KEYCLOAK_VERSION" start=$SECONDS
  mkdir -p "$dl"
  echo "keycloak.sh: fetching org.keycloak:keycloak-quarkus-dist:$OKF_KEYCLOAK_VERSION (about 180 MB)" >&2
  # --strict-checksums: Maven refuses any download (the plugin included) whose checksum fails.
  mvn -B -q --strict-checksums "org.apache.maven.plugins:maven-dependency-plugin:$OKF_MAVEN_DEPENDENCY_PLUGIN:copy" \
    "-Dartifact=org.keycloak:keycloak-quarkus-dist:$OKF_KEYCLOAK_VERSION:tar.gz" "-DoutputDirectory=$dl" >&2 ||
    die "Maven could not fetch org.keycloak:keycloak-quarkus-dist:$OKF_KEYCLOAK_VERSION (see above)"
  local archive="$dl/keycloak-quarkus-dist-$OKF_KEYCLOAK_VERSION.tar.gz" actual
  actual=$(sha256sum "$archive" | cut -d' ' -f1)
  if [ "$actual" != "$OKF_KEYCLOAK_SHA256" ]; then
    rm -f "$archive"
    die "$archive has sha256 $actual, but scripts/toolchain.env pins $OKF_KEYCLOAK_SHA256: refusing it"
  fi
  tar xzf "$archive" -C "$dl"
  rm -f "$dl/keycloak-quarkus-dist-$OKF_KEYCLOAK_VERSION.tar.gz"
  [ -x "$kc_home/bin/kc.sh" ] || die "the archive did not contain keycloak-$OKF_KEYCLOAK_VERSION/bin/kc.sh"
  echo "keycloak.sh: Keycloak $OKF_KEYCLOAK_VERSION ready in $((SECONDS - start)) s" >&2
  echo "$kc_home"
}

discovery_ok() { curl -fsS -k -o /dev/null "$1/realms/master/.well-known/openid-configuration" 2>/dev/null; }

start() {
  local dir=$1 port=$2 https_port=${3:-}
  mkdir -p "$dir"
  dir=$(realpath "$dir")
  local base="http://127.0.0.1:$port"
  [ -n "$https_port" ] && base="https://127.0.0.1:$https_port"
  local hostname=${OKF_KEYCLOAK_HOSTNAME:-$base}
  if [ -f "$dir/keycloak.pid" ] && kill -0 "$(cat "$dir/keycloak.pid")" 2>/dev/null && discovery_ok "$base"; then
    echo "$base"; return
  fi
  fetch >/dev/null
  local java; java=$(pick_java)
  local args=(start-dev --http-host=127.0.0.1 "--http-port=$port" "--hostname=$hostname"
    "--db-url=jdbc:h2:file:$dir/h2/keycloakdb;NON_KEYWORDS=VALUE"
    --health-enabled=true "--http-management-port=$((port + 1000))"
    # '/' in a group name becomes '~/' in its path: otherwise a group named "x;/acme/admins"
    # forges acme's path once Keystone splits claim values on ';' (docs/security-invariants.md 7).
    --spi-group--jpa--escape-slashes-in-group-path=true)
  if [ -n "$https_port" ]; then
    mkdir -p "$dir/tls"
    if [ ! -f "$dir/tls/cert.pem" ]; then
      openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/tls/key.pem" -out "$dir/tls/cert.pem" -days 30 \
        -subj /CN=127.0.0.1 -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" 2>/dev/null
    fi
    # The realm's own certificate is also trusted for Keycloak's outgoing calls: a proxy realm
    # brokering a customer realm on this same server fetches its tokens and keys over https.
    args+=("--https-port=$https_port" "--https-certificate-file=$dir/tls/cert.pem" "--https-certificate-key-file=$dir/tls/key.pem"
      "--truststore-paths=$dir/tls/cert.pem")
  fi
  echo "keycloak.sh: starting Keycloak $OKF_KEYCLOAK_VERSION on $base, issuer base $hostname (Java: $java; the first start takes a minute)" >&2
  JAVA_HOME=$java KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=${OKF_KEYCLOAK_ADMIN_PASSWORD:-admin} \
    JAVA_OPTS_KC_HEAP="${OKF_KEYCLOAK_HEAP:--Xms64m -Xmx768m}" \
    setsid "$kc_home/bin/kc.sh" "${args[@]}" >"$dir/keycloak.log" 2>&1 </dev/null &
  echo $! >"$dir/keycloak.pid"
  local t0=$SECONDS
  if okf_wait_ready "$dir/keycloak.pid" $((${OKF_KEYCLOAK_START_TIMEOUT:-300} * 5)) discovery_ok "$base"; then
    echo "keycloak.sh: ready in $((SECONDS - t0)) s" >&2
    echo "$base"; return
  fi
  echo "keycloak.sh: Keycloak did not answer on $base; last lines of $dir/keycloak.log:" >&2
  tail -n 30 "$dir/keycloak.log" >&2 || true
  stop "$dir"
  exit 1
}

# kc.sh execs java in the same process group (setsid made it the leader): stop the whole group.
stop() { okf_stop_group "$1/keycloak.pid"; }

case "$cmd" in
  fetch) fetch ;;
  start) start "${2:?DIR}" "${3:?PORT}" "${4:-}" ;;
  stop) stop "${2:?DIR}" ;;
  status) discovery_ok "http://127.0.0.1:${3:?PORT}" ;;
  *) echo "usage: $0 fetch|start|stop|status [DIR] [PORT] [HTTPS_PORT]" >&2; exit 2 ;;
esac
