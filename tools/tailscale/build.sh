#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds the real Tailscale client (tailscaled, tailscale), the DERP relay (derper) and our test helper (tools/tailscale/tshelper) from the
# tailscale.com Go module at pinned versions, into .tools/tailscale/<version>/ (git-ignored).
#
#   tools/tailscale/build.sh            # all pinned versions
#   tools/tailscale/build.sh v1.80.3    # only the given ones
#
# Idempotent: a version is rebuilt only when its binaries are missing or the helper's sources changed. Prints the
# output directory of each version on stdout (one line each); progress goes to stderr.
# If the local Go toolchain is older than a version needs, Go fetches the right toolchain through the module proxy
# (GOTOOLCHAIN=auto).
set -euo pipefail

# The newest release that builds from the module proxy reachable here (v1.104.x needs a gvisor pseudo-version
# the proxy answers 403 for), and v1.80, the oldest client line Headscale still supports (capability 113).
PINNED_VERSIONS=(v1.102.5 v1.80.3)

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out_root="$root/.tools/tailscale"
versions=("$@")
[ ${#versions[@]} -eq 0 ] && versions=("${PINNED_VERSIONS[@]}")

export GOTOOLCHAIN=auto
export GOFLAGS=-mod=mod
export CGO_ENABLED=0

helper_hash="$(cat "$here"/tshelper/*.go "$here/build.sh" | sha256sum | cut -c1-16)"

for v in "${versions[@]}"; do
  [[ "$v" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "bad version: $v" >&2; exit 2; }
  dest="$out_root/$v"
  stamp="$dest/.stamp"
  if [ -x "$dest/tailscaled" ] && [ -x "$dest/tailscale" ] && [ -x "$dest/derper" ] \
      && [ -x "$dest/tshelper" ] \
      && [ "$(cat "$stamp" 2>/dev/null)" = "$helper_hash" ]; then
    echo "tailscale $v: up to date in $dest" >&2
    echo "$dest"
    continue
  fi
  work="$out_root/build-$v"
  rm -rf "$work"
  mkdir -p "$work" "$dest"
  cp "$here"/tshelper/*.go "$work/"
  cat > "$work/go.mod" <<EOF
module ledgerscale.io/tshelper

go 1.23

require tailscale.com $v
EOF
  started=$(date +%s)
  echo "tailscale $v: resolving modules" >&2
  (cd "$work" && go mod tidy >&2)
  echo "tailscale $v: building" >&2
  (cd "$work" && go build -trimpath -o "$dest/" tailscale.com/cmd/tailscaled tailscale.com/cmd/tailscale \
      tailscale.com/cmd/derper . >&2)
  echo "$helper_hash" > "$stamp"
  rm -rf "$work"
  echo "tailscale $v: built in $(( $(date +%s) - started ))s" >&2
  echo "$dest"
done
