#!/usr/bin/env bash
# Starts a callscribe server with the given flags, runs the load bench's
# capacity search against it with the offline cost floor, and stops it.
# Usage:
#   search.sh OUT_DIR "SERVER FLAGS" [BENCH FLAGS...]
# It expects bin/callscribe and bin/callscribe-bench built and the model
# in place (make bench does all three); the report lands in OUT_DIR.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:?usage: search.sh OUT_DIR \"SERVER FLAGS\" [BENCH FLAGS...]}"
server_flags="${2:-}"
shift 2 || shift $#
mkdir -p "$out"
out="$(cd "$out" && pwd)"

cd "$root"
. "$root/cmd/callscribe-bench/server.sh"
start_server "$out" "$server_flags"
"$root/bin/callscribe-bench" --search --url "ws://127.0.0.1:$port/v1/twilio" --server-pid "$pid" \
	--floor-bin "$root/bin/callscribe" --out "$out" "$@"
