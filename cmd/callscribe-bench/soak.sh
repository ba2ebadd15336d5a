#!/usr/bin/env bash
# Starts a callscribe server with the given flags, runs the load bench's
# soak against it (calls coming and going for a long time; RSS and
# goroutines must stay flat), and stops it. Usage:
#   soak.sh OUT_DIR "SERVER FLAGS" [BENCH FLAGS...]     (e.g. --soak 30m -n 4)
# It expects bin/callscribe and bin/callscribe-bench built and the model
# in place (make soak does all three); soak.md, soak.json and soak.png
# land in OUT_DIR. It exits non-zero when the soak fails its rule.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:?usage: soak.sh OUT_DIR \"SERVER FLAGS\" [BENCH FLAGS...]}"
server_flags="${2:-}"
shift 2 || shift $#
mkdir -p "$out"
out="$(cd "$out" && pwd)"

cd "$root"
. "$root/cmd/callscribe-bench/server.sh"
start_server "$out" "$server_flags"
"$root/bin/callscribe-bench" --url "ws://127.0.0.1:$port/v1/twilio" --server-pid "$pid" --out "$out" "$@"
