#!/usr/bin/env bash
# Installs the peers the load bench compares callscribe with into an
# ignored virtualenv (default .deps/peers under the repository root):
# WhisperLive's server with the faster-whisper backend only, and what the
# naive chunked baseline (naive_server.py) needs. Nothing here is committed
# or installed system-wide. A second run reuses what is there.
set -euo pipefail

root="$(cd "$(dirname "$0")/../../.." && pwd)"
venv="${PEERS_VENV:-$root/.deps/peers}"
python="${PYTHON:-python3}"

if [[ ! -x "$venv/bin/python" ]]; then
	"$python" -m venv "$venv"
fi
pip=("$venv/bin/python" -m pip install --quiet --disable-pip-version-check)
if [[ ! -f "$venv/.installed" ]]; then
	# WhisperLive declares CUDA torch, OpenVINO and openai-whisper; its
	# faster-whisper server path needs none of them.
	"${pip[@]}" --no-deps 'whisper-live==0.10.0'
	"${pip[@]}" 'faster-whisper==1.2.1' fastapi uvicorn websockets numpy
	touch "$venv/.installed"
fi

# whisper_live imports torch only to ask whether CUDA is there: a stand-in
# answering no is enough on a CPU machine. It lives outside site-packages
# and is put on PYTHONPATH by run_whisperlive.py.
stub="$venv/torch-stub/torch"
mkdir -p "$stub"
cat >"$stub/__init__.py" <<'PY'
"""Stand-in for torch on a CPU machine: CUDA is never available."""


class _Cuda:
    @staticmethod
    def is_available():
        return False

    @staticmethod
    def get_device_capability(*_args, **_kwargs):
        return (0, 0)

    @staticmethod
    def device_count():
        return 0


cuda = _Cuda()
PY
echo "peers installed in $venv"
