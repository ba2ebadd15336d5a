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
read -r -a server_flags <<<"${2:-}"
shift 2 || shift $#
port="${BENCH_PORT:-18080}"

mkdir -p "$out"
rm -rf "$out/data"
cd "$root"
"$root/bin/callscribe" serve --listen "127.0.0.1:$port" --data-dir "$out/data" --log-level warn \
	"${server_flags[@]}" >"$out/server.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 300); do
	if curl -fs "127.0.0.1:$port/healthz" >/dev/null; then break; fi
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "the server exited; its log:" >&2
		cat "$out/server.log" >&2
		exit 1
	fi
	sleep 0.2
done
echo "server flags: ${server_flags[*]:-(defaults)}" >"$out/server-flags.txt"
"$root/bin/callscribe-bench" --search --url "ws://127.0.0.1:$port/v1/twilio" --server-pid "$pid" \
	--floor-bin "$root/bin/callscribe" --out "$out" "$@"
