#!/usr/bin/env bash
# The whole test suite, from a fresh clone: provisions Node >= 22, installs npm packages and (as root
# on Debian) the Keystone/Apache packages, provisions the real toolchain (the Pulumi CLI built from
# its Go modules, Keycloak from Maven Central), then runs the checks and the four vitest suites:
#   typecheck, lint, unit (pure + mock runtime), integration (real Keystone), e2e (Apache + Keystone),
#   system (the real Pulumi CLI, the real Keycloak, Apache + Keystone).
# It ends with one line `N passed, N failed, N skipped` totalling everything, and exits non-zero if
# anything failed. With CI=true the integration and e2e suites fail (never skip) when a service
# cannot start.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
# shellcheck source=scripts/node-env.sh
source scripts/node-env.sh || exit 1

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error || { echo "0 passed, 1 failed"; exit 1; }
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  scripts/install-debian-deps.sh all || echo "test.sh: Debian packages could not be installed; service suites will report it" >&2
fi

# The real toolchain, before the suites, so a cold build shows its progress here (minutes, once per
# machine; cached by version) rather than inside a test hook. A failure is reported by the system
# suite, which then fails under CI=true.
bash scripts/toolchain.sh >/dev/null || echo "test.sh: the Pulumi toolchain could not be provided; the system suite will report it" >&2
bash scripts/keycloak.sh fetch >/dev/null || echo "test.sh: Keycloak could not be fetched; the system suite will report it" >&2
bash scripts/clients.sh >/dev/null || echo "test.sh: the OpenStack clients could not be installed; the system suite will report it" >&2
# The Keystone releases the Keystone-facing suites (integration, e2e, system) run against, each in
# turn: Debian 12's Keystone 22 and the current release from PyPI (scripts/keystone-pypi.sh).
# Locally, pick one: OKF_KEYSTONE_RELEASES=debian (or pypi) bash scripts/test.sh.
releases=${OKF_KEYSTONE_RELEASES:-debian pypi}
case " $releases " in
  *" pypi "*) bash scripts/keystone-pypi.sh >/dev/null || echo "test.sh: the PyPI Keystone could not be installed; its suites will report it" >&2 ;;
esac

reports=.work/reports
rm -rf "$reports" && mkdir -p "$reports"
passed=0 failed=0 skipped=0

check() { # a named command counted as one test
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "check $name: passed"; else failed=$((failed + 1)); echo "check $name: FAILED"; fi
}
check typecheck npm run --silent typecheck
check format npx prettier --check --log-level warn .
check lint npx eslint --max-warnings=0 .
check shell npm run --silent lint:shell

# When both releases run, these files run against one of them only (docs/proof.md says why): the
# adoption suites and local-up.sh (whose default is Debian's Keystone) against Keystone 22, the
# kolla-ansible suites against Keystone 30, the newer release kolla-ansible 22.2 deploys. A single
# selected release runs them all.
declare -A pinned=(
  [test/e2e/adopt.test.ts]=debian
  [test/system/brownfield.test.ts]=debian
  [test/system/unsaved-up.test.ts]=debian
  [test/system/local-up.test.ts]=debian
  [test/e2e/kolla.test.ts]=pypi
  [test/system/kolla-logins.test.ts]=pypi
)
excludes() { # RELEASE -> vitest --exclude arguments, one per line
  local f
  [ "$(wc -w <<<"$releases")" -gt 1 ] || return 0
  for f in "${!pinned[@]}"; do
    if [ "${pinned[$f]}" != "$1" ]; then printf -- '--exclude\n%s\n' "$f"; fi
  done
}

run_suite() { # SUITE [RELEASE]
  local suite=$1 release=${2:-} name=$1${2:+@$2}
  local -a skip=()
  if [ -n "$release" ]; then mapfile -t skip < <(excludes "$release"); fi
  OKF_KEYSTONE_RELEASE=${release:-debian} npx vitest run --project "$suite" --passWithNoTests "${skip[@]}" \
    --reporter=default --reporter=json --outputFile="$reports/$name.json"
  local code=$?
  read -r p f s < <(node scripts/lib/count-vitest.cjs "$reports/$name.json")
  # vitest failed, but no test or file in the report did: still a failure.
  if [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  echo "suite $name: $p passed, $f failed, $s skipped"
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
}

run_suite unit
for release in $releases; do
  for suite in integration e2e system; do run_suite "$suite" "$release"; done
done
run_suite state # the state backend does not depend on the Keystone release: Debian's Keystone only

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
