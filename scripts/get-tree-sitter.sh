#!/usr/bin/env bash
# Put Debian 13's tree-sitter-cli (0.22.6) into tools/tree-sitter without touching the system:
# a private apt state downloads the .deb files, dpkg -x unpacks them, and a wrapper runs the
# binary with the unpacked glibc's own loader (bookworm's glibc is too old for it).
set -euo pipefail
cd "$(dirname "$0")/.."
dest=tools/tree-sitter
if [ -x "$dest/tree-sitter" ] && "$dest/tree-sitter" --version >/dev/null 2>&1; then exit 0; fi
rm -rf "$dest" && mkdir -p "$dest"/{apt/lists/partial,apt/cache/archives/partial,debs,root}
dest=$(cd "$dest" && pwd)
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" > "$dest/apt/sources.list"
opts=(-o "Dir::Etc::SourceList=$dest/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
      -o "Dir::State::Lists=$dest/apt/lists" -o "Dir::Cache=$dest/apt/cache" -o Debug::NoLocking=1
      -o APT::Sandbox::User=root)
apt-get "${opts[@]}" update -qq
(cd "$dest/debs" && apt-get "${opts[@]}" download tree-sitter-cli libc6 libgcc-s1 >/dev/null)
for deb in "$dest"/debs/*.deb; do dpkg -x "$deb" "$dest/root"; done
cat > "$dest/tree-sitter" <<WRAP
#!/bin/sh
exec "$dest/root/usr/lib64/ld-linux-x86-64.so.2" --library-path "$dest/root/usr/lib/x86_64-linux-gnu" "$dest/root/usr/bin/tree-sitter" "\$@"
WRAP
chmod +x "$dest/tree-sitter"
rm -rf "$dest/apt" "$dest/debs"
"$dest/tree-sitter" --version
