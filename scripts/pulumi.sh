#!/usr/bin/env bash
# Runs the Pulumi CLI with the project's defaults: `scripts/pulumi.sh <pulumi arguments>`.
#
# - the CLI from scripts/toolchain.sh (the one on PATH, or the project's Go-module build);
# - Node >= 22 first on PATH (scripts/node-env.sh), the npm packages installed;
# - the state backend: PULUMI_BACKEND_URL when set; else, when OKF_STATE_BUCKET is set, the object
#   store's S3 URL from scripts/state-url.sh (Swift or Ceph RGW; docs/operations.md); else the local
#   file backend under .pulumi-state/ (git-ignored);
# - the provider plugins from the plugin folder (OKF_PLUGIN_DIR, checked against pinned sha256s:
#   `scripts/toolchain.sh plugins`) into PULUMI_HOME when one is in force;
# - no update check; with the project's own build also no plugin downloads (a missing plugin then
#   fails at once, naming itself);
# - the stack's passphrase from PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE.
# Operators and the tests use this same entry point.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=scripts/node-env.sh
source "$here/node-env.sh" >&2 || exit 1
if [ ! -d "$repo/node_modules/@pulumi/pulumi" ]; then
  (cd "$repo" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
bin=$(OKF_TOOLCHAIN_QUIET=1 "$here/toolchain.sh" | tail -n 1)
export PATH="$bin:$PATH"
export PULUMI_SKIP_UPDATE_CHECK=true
"$here/toolchain.sh" plugins || exit 1
if [[ "$bin" == "${OKF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/okf-toolchain}/"* ]]; then
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
fi
if [ -z "${PULUMI_BACKEND_URL:-}" ] && [ -n "${OKF_STATE_BUCKET:-}" ]; then
  PULUMI_BACKEND_URL=$("$here/state-url.sh") || exit 2
  export PULUMI_BACKEND_URL
fi
if [ -z "${PULUMI_BACKEND_URL:-}" ]; then
  export PULUMI_BACKEND_URL="file://$repo/.pulumi-state"
fi
# A file backend's folder must exist before the CLI opens it.
case "$PULUMI_BACKEND_URL" in file://*) mkdir -p "${PULUMI_BACKEND_URL#file://}" ;; esac
cd "$repo"
exec pulumi "$@"
