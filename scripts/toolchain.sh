#!/usr/bin/env bash
# Provides the Pulumi engine this project runs with, and prints the folder to put first on PATH.
#
#   scripts/toolchain.sh            ensure the toolchain, print its bin folder (last line of stdout)
#   scripts/toolchain.sh plugins    install every provider plugin the npm packages request from the
#                                   plugin folder (OKF_PLUGIN_DIR), each checked against its pinned
#                                   sha256 in scripts/toolchain.env; without a folder, nothing to do
#                                   (a connected machine lets Pulumi download them)
#   scripts/toolchain.sh providers  report, per provider plugin the npm packages request, whether the
#                                   engine can find it; exit 1 naming what is missing
#
# A `pulumi` already on PATH (an operator's machine) is used as it is. Otherwise the CLI and the
# Node.js language host are built from the Go module proxy at the versions pinned in
# scripts/toolchain.env, into a cache keyed by those versions and the Go version
# (${OKF_CACHE:-~/.cache/okf-toolchain}/pulumi-<...>/bin), so a second run costs a second. The
# dynamic-provider plugin (`pulumi-resource-pulumi-nodejs`) is a two-line script written next to them.
# OKF_BUILD_PULUMI=1 builds even when a `pulumi` is on PATH.
#
# OKF_PLUGIN_DIR: a folder of Pulumi release-asset tarballs (an air-gapped cloud's own mirror).
# When unset and a `plugins` folder exists in the project's sibling `shared/` folder, that one.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/toolchain.env
source "$here/toolchain.env"
cache=${OKF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/okf-toolchain}
cmd=${1:-ensure}

say() { echo "toolchain: $*" >&2; }
die() { echo "toolchain: $*" >&2; exit 1; }

need_go() {
  command -v go >/dev/null || die "Go is missing: install Go >= 1.25 (Debian 12's golang-go is too old) or put a pulumi CLI on PATH"
  local v; v=$(go env GOVERSION | sed 's/^go//')
  case "$v" in 1.2[5-9]*|1.[3-9]*) ;; *) die "Go $v is too old: the Pulumi CLI $OKF_PULUMI_VERSION needs Go >= 1.25 (export GOTOOLCHAIN=go1.27.3 fetches a newer one from the module proxy)";; esac
}

need_disk() { # MiB free under the cache and the Go caches
  local free; free=$(df -Pm "$1" | awk 'NR==2 {print $4}')
  [ "$free" -ge "$2" ] || die "only ${free} MiB free under $1; a cold build needs about $2 MiB (Go module and build caches): free some space"
}

# Builds one main package in a wrapper module of its own (the upstream go.mod files carry replace
# directives, so `go install pkg@version` refuses them).
build_main() { # name module-version package out ldflag-version [replace...]
  local name=$1 modver=$2 pkg=$3 out=$4 version=$5; shift 5
  local w="$cache/build/$name" t0=$SECONDS
  rm -rf "$w" && mkdir -p "$w"
  (
    cd "$w"
    go mod init "local.invalid/$name" >/dev/null 2>&1
    local r
    for r in "$@"; do go mod edit "-replace=$r"; done
    printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$pkg" >tools.go
    say "$name: resolving $modver"
    go get "$modver" >/dev/null 2>"$w/get.log" || { tail -n 5 "$w/get.log" >&2; die "$name: the Go module proxy refused $modver (see above)"; }
    go mod tidy >/dev/null 2>>"$w/get.log" || { tail -n 5 "$w/get.log" >&2; die "$name: go mod tidy failed"; }
    say "$name: compiling $pkg (a cold build takes minutes on 2 cores)"
    CGO_ENABLED=0 go build -trimpath -tags osusergo,grpcnotrace \
      -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" -o "$out" "$pkg"
  ) || exit 1
  say "$name: built in $((SECONDS - t0)) s"
}

ensure() {
  if [ "${OKF_BUILD_PULUMI:-}" != 1 ] && command -v pulumi >/dev/null && [[ "$(command -v pulumi)" != "$cache/"* ]]; then
    [ -n "${OKF_TOOLCHAIN_QUIET:-}" ] || say "using the pulumi CLI on PATH ($(command -v pulumi))"
    dirname "$(command -v pulumi)"
    return
  fi
  need_go
  local key bin
  key="pulumi-$OKF_PULUMI_VERSION-langhost-$OKF_LANGHOST_SDK_VERSION-$(go env GOVERSION)"
  bin="$cache/$key/bin"
  if [ -x "$bin/pulumi" ] && [ -x "$bin/pulumi-language-nodejs" ] && [ -x "$bin/pulumi-resource-pulumi-nodejs" ]; then
    echo "$bin"; return
  fi
  mkdir -p "$cache"
  need_disk "$cache" 6000
  say "cold build of the Pulumi CLI $OKF_PULUMI_VERSION and its Node.js language host: expect 5 to 15 minutes"
  mkdir -p "$bin.partial"
  [ -x "$bin.partial/pulumi" ] || build_main pulumi-cli "github.com/pulumi/pulumi/pkg/v3@$OKF_PULUMI_VERSION" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$bin.partial/pulumi" "$OKF_PULUMI_VERSION" \
    "github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e"
  [ -x "$bin.partial/pulumi-language-nodejs" ] || build_main pulumi-language-nodejs \
    "github.com/pulumi/pulumi/sdk/v3@$OKF_LANGHOST_SDK_VERSION" \
    github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs "$bin.partial/pulumi-language-nodejs" "$OKF_LANGHOST_SDK_VERSION"
  # The engine looks for this bundled plugin next to `pulumi`: it runs @pulumi/pulumi's dynamic
  # provider with the node first on PATH, resolved from the project directory the engine starts it in.
  # shellcheck disable=SC2016 # the $(...) is for the wrapper's shell, not this one
  printf '%s\n' '#!/bin/sh' \
    'exec node "$(node -e "process.stdout.write(require.resolve(\"@pulumi/pulumi/cmd/dynamic-provider\"))")" "$@"' \
    >"$bin.partial/pulumi-resource-pulumi-nodejs"
  chmod 755 "$bin.partial/pulumi-resource-pulumi-nodejs"
  rm -rf "$cache/build"
  mv "$bin.partial" "$bin"
  say "ready: $("$bin/pulumi" version) in $bin"
  echo "$bin"
}

# The provider plugins the npm packages ask for (name and version), as the language host reports them.
required_plugins() {
  node -e '
    const fs = require("fs"), path = require("path");
    for (const p of ["@pulumi/keycloak", "@pulumi/openstack", "@pulumi/command"]) {
      const f = path.join(process.argv[1], "node_modules", p, "package.json");
      if (!fs.existsSync(f)) continue;
      const j = JSON.parse(fs.readFileSync(f, "utf8"));
      const name = (j.pulumi && j.pulumi.name) || p.split("/")[1];
      const version = String((j.pulumi && j.pulumi.version) || j.version).replace(/^v/, "");
      console.log(name + " " + version);
    }' "$here/.."
}

plugin_dir() { # the plugin folder in force, or nothing
  if [ -n "${OKF_PLUGIN_DIR:-}" ]; then echo "$OKF_PLUGIN_DIR"
  elif [ -d "$here/../../shared/plugins" ]; then (cd "$here/../../shared/plugins" && pwd)
  fi
}

plugin_installed() { # name version
  local home=${PULUMI_HOME:-$HOME/.pulumi}
  [ -x "$home/plugins/resource-$1-v$2/pulumi-resource-$1" ]
}

# The asset's pinned sha256 from toolchain.env, or nothing.
pinned_sha256() { awk -v f="$1" '$2 == f { print $1 }' <<<"$OKF_PLUGIN_SHA256"; }

plugins() {
  local dir name version asset pin actual os arch
  dir=$(plugin_dir)
  [ -n "$dir" ] || return 0
  [ -d "$dir" ] || die "OKF_PLUGIN_DIR=$dir is not a folder: point it at your mirror of Pulumi's plugin tarballs, or unset it to let Pulumi download them"
  command -v pulumi >/dev/null || die "plugins: no pulumi on PATH (run scripts/toolchain.sh first and put its folder on PATH)"
  os=$(uname -s | tr '[:upper:]' '[:lower:]')
  case "$(uname -m)" in x86_64) arch=amd64 ;; aarch64|arm64) arch=arm64 ;; *) arch=$(uname -m) ;; esac
  while read -r name version; do
    plugin_installed "$name" "$version" && continue
    asset="pulumi-resource-$name-v$version-$os-$arch.tar.gz"
    [ -f "$dir/$asset" ] || die "plugins: $dir has no $asset (the $name plugin $version the npm packages request): add it to the folder"
    pin=$(pinned_sha256 "$asset")
    [ -n "$pin" ] || die "plugins: $asset has no pinned sha256: add 'SHA256  $asset' to OKF_PLUGIN_SHA256 in scripts/toolchain.env after checking it against the release's checksums"
    actual=$(sha256sum "$dir/$asset" | cut -d' ' -f1)
    [ "$actual" = "$pin" ] || die "plugins: $dir/$asset has sha256 $actual, but scripts/toolchain.env pins $pin: refusing it (replace the file with the pinned release)"
    pulumi plugin install resource "$name" "$version" --file "$dir/$asset" >/dev/null 2>&1 ||
      die "plugins: 'pulumi plugin install resource $name $version --file $dir/$asset' failed"
    say "installed the $name plugin $version from $dir (sha256 checked)"
  done < <(required_plugins)
}

providers() {
  local name version missing=()
  while read -r name version; do
    if plugin_installed "$name" "$version" || command -v "pulumi-resource-$name" >/dev/null; then
      echo "installed  $name $version"
    else
      echo "missing    $name $version"
      missing+=("$name $version")
    fi
  done < <(required_plugins)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "${PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION:-}" = true ]; then
    say "provider plugins missing: ${missing[*]}. Point OKF_PLUGIN_DIR at a folder of their release tarballs (scripts/toolchain.sh plugins), or install them with 'pulumi plugin install resource NAME VERSION' on a connected machine"
  else
    say "provider plugins not installed yet: ${missing[*]} (Pulumi downloads them on first use)"
  fi
  return 1
}

case "$cmd" in
  ensure) ensure ;;
  plugins) plugins ;;
  providers) providers ;;
  *) echo "usage: $0 [ensure|plugins|providers]" >&2; exit 2 ;;
esac
