# Source this file: it puts a Node >= 22.12 first on PATH.
# The machine's Node may be older (Debian 12 ships 18, these machines 20); the npm package `node`
# carries a real Node binary, so we install it into a cache folder outside the repository.
okf_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)?0:1)'
}
if ! okf_node_ok; then
  OKF_NODE_DIR="${OKF_NODE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/okf-node}"
  if [ ! -x "$OKF_NODE_DIR/node_modules/.bin/node" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "node-env: npm is missing; installing Debian's nodejs and npm" >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm >&2
    fi
    echo "node-env: installing Node 24 from the npm package 'node' into $OKF_NODE_DIR" >&2
    mkdir -p "$OKF_NODE_DIR"
    npm install --no-audit --no-fund --loglevel=error --prefix "$OKF_NODE_DIR" node@24 >&2
  fi
  export PATH="$OKF_NODE_DIR/node_modules/.bin:$PATH"
fi
okf_node_ok || { echo "node-env: could not provide Node >= 22.12" >&2; return 1 2>/dev/null || exit 1; }
