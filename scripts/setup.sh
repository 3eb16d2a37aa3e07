#!/usr/bin/env bash
# Set up a fresh Debian 12 machine (as root) for building and testing nix-ai, then `npm ci`.
# Everything comes from Debian's apt repositories and the npm registry; nothing else is fetched.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: nix-bin (the real Nix parser for tests), chromium + libkrb5-dev + ripgrep
# (code-server and the UI tests), clang-14 + lld-14 (compile our grammar to WebAssembly).
need=()
for p in nix-bin chromium libkrb5-dev ripgrep clang-14 lld-14; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}"
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

npm ci
