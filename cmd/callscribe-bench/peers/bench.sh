#!/usr/bin/env bash
# Plays the load bench's calls to the two peers, one after the other:
# WhisperLive (faster-whisper backend) and the naive 3 s chunk baseline,
# each as two 16 kHz mono streams per call, with the same capacity search
# as callscribe's. Usage:
#   peers/bench.sh OUT_DIR [LADDER]        (default ladder: 1,2,3)
# It expects bin/callscribe-bench built and the peers installed
# (install.sh); reports land in OUT_DIR/whisperlive and OUT_DIR/naive.
set -euo pipefail

root="$(cd "$(dirname "$0")/../../.." && pwd)"
here="$root/cmd/callscribe-bench/peers"
venv="${PEERS_VENV:-$root/.deps/peers}"
model="${PEERS_MODEL:-$root/.deps/ct2/tiny.en}"
out="${1:?usage: bench.sh OUT_DIR [LADDER]}"
ladder="${2:-1,2,3}"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"

wait_port() {
	for _ in $(seq 300); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
		sleep 0.2
	done
	echo "nothing listens on port $1" >&2
	return 1
}

run_peer() { # name port command...
	local name=$1 port=$2
	shift 2
	"$@" >"$out/$name.log" 2>&1 &
	local pid=$!
	wait_port "$port" || { kill "$pid"; return 1; }
	"$root/bin/callscribe-bench" --peer --search --ns "$ladder" --url "ws://127.0.0.1:$port" \
		--server-pid "$pid" --out "$out/$name" || true
	kill "$pid"
	wait "$pid" 2>/dev/null || true
}

mkdir -p "$out"
cd "$root"
run_peer whisperlive 9090 "$venv/bin/python" "$here/run_whisperlive.py" --port 9090 --model "$model"
run_peer naive 9091 "$venv/bin/python" "$here/naive_server.py" --port 9091 --model "$model"
