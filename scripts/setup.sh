#!/usr/bin/env bash
# Set up a fresh Debian 12 machine for building and testing nix-ai, then `npm ci`. Run it as
# yourself or as root: only installing Debian packages needs root, and it asks sudo for that
# (and only when a package is missing). Everything comes from Debian's apt repositories and the
# npm registry; nothing else is fetched.
set -euo pipefail
cd "$(dirname "$0")/.."

# root runs apt-get itself (a fresh Debian as root has no sudo); a user goes through sudo
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "setup: installing Debian packages needs root; run this script as root, or install sudo" >&2
    exit 1
  fi
}

# Debian packages: nix-bin (the real Nix parser for tests), chromium + libkrb5-dev + ripgrep
# (code-server and the UI tests), clang-14 + lld-14 (compile our grammar to WebAssembly),
# gcc + libc6-dev (the native parser, built against the nodejs package's Node-API headers),
# neovim, emacs-nox + elpa-eglot (the server tested in two more editors).
need=()
for p in nix-bin chromium libkrb5-dev ripgrep clang-14 lld-14 gcc libc6-dev neovim emacs-nox elpa-eglot; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}"
fi

# tree-sitter-cli: bookworm has none; take Debian 13's package into tools/tree-sitter.
bash scripts/get-tree-sitter.sh

# @vscode/ripgrep (inside code-server) downloads rg from GitHub unless its cache holds the archive;
# seed that cache with Debian's rg, the same ripgrep 13.0.0 it would fetch.
arch=$(uname -m)
cache="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-1.15.11"
tgz="$cache/ripgrep-v13.0.0-10-${arch}-unknown-linux-musl.tar.gz"
if [ ! -f "$tgz" ]; then
  mkdir -p "$cache"
  tar czf "$tgz" -C /usr/bin rg
fi

# native modules (code-server's) are built against node's headers: the ones the nodejs package
# installs, when they are this node's, instead of a download from nodejs.org
headers=/usr/include/node/node_version.h
if [ -z "${npm_config_nodedir:-}" ] && [ -f "$headers" ]; then
  have=$(awk '/define NODE_(MAJOR|MINOR|PATCH)_VERSION/ {v = v (v ? "." : "") $3} END {print v}' "$headers")
  if [ "v$have" = "$(node --version)" ]; then export npm_config_nodedir=/usr; fi
fi

npm ci
