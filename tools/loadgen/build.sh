#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds the load generator (tools/loadgen) into .tools/loadgen/loadgen (git-ignored) and prints that path on stdout;
# progress goes to stderr.
#
#   tools/loadgen/build.sh
#
# Idempotent: tested (go vet, go test) and rebuilt only when the binary is missing or a source file, go.mod, go.sum or
# this script changed.
# If the local Go toolchain is older than tailscale.com needs, Go fetches the right one (GOTOOLCHAIN=auto).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dest="$root/.tools/loadgen"
bin="$dest/loadgen"

export GOTOOLCHAIN=auto
export GOFLAGS=-mod=mod
export CGO_ENABLED=0

hash="$(cat "$here"/*.go "$here/go.mod" "$here/go.sum" "$here/build.sh" | sha256sum | cut -c1-16)"
if [ -x "$bin" ] && [ "$(cat "$dest/.stamp" 2>/dev/null)" = "$hash" ]; then
  echo "loadgen: up to date in $bin" >&2
  echo "$bin"
  exit 0
fi
mkdir -p "$dest"
started=$(date +%s)
echo "loadgen: testing and building" >&2
# its own tests first (the light client's map decoder against decoding by reflection): a generator that misreads
# maps would report a server's lost updates that are its own
(cd "$here" && go vet . >&2 && go test -count=1 . >&2)
# build into a temporary name first, so a failed or concurrent build never leaves a half-written binary in place
(cd "$here" && go build -trimpath -o "$bin.tmp.$$" . >&2)
mv -f "$bin.tmp.$$" "$bin"
echo "$hash" > "$dest/.stamp"
echo "loadgen: built in $(( $(date +%s) - started ))s" >&2
echo "$bin"
