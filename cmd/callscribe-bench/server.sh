# Sourced by search.sh and soak.sh: start_server OUT_DIR "SERVER FLAGS"
# starts bin/callscribe with a fresh data folder in OUT_DIR, its log in
# OUT_DIR/server.log, waits for /healthz and sets pid and port; the server
# is stopped when the script exits. BENCH_PORT picks the port (18080).

start_server() {
	local out=$1 flags
	read -r -a flags <<<"${2:-}"
	port="${BENCH_PORT:-18080}"
	mkdir -p "$out"
	rm -rf "$out/data"
	"$root/bin/callscribe" serve --listen "127.0.0.1:$port" --data-dir "$out/data" --log-level warn \
		"${flags[@]}" >"$out/server.log" 2>&1 &
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
	echo "server flags: ${flags[*]:-(defaults)}" >"$out/server-flags.txt"
}
