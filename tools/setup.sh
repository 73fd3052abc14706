#!/usr/bin/env bash
# Provisions a fresh Debian machine for Vigil's demo and tests: Debian
# packages, a Python venv with onnxruntime (the source of libonnxruntime.so),
# and target/onnxruntime/libonnxruntime.so where tests and examples look.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
for tool in cc c++ make python3; do command -v "$tool" >/dev/null || need_apt+=(build-essential python3-venv); done
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q -r tools/requirements.txt

lib=$(.venv/bin/python - <<'PY'
import glob, os, onnxruntime
capi = os.path.join(os.path.dirname(onnxruntime.__file__), "capi")
print(sorted(glob.glob(os.path.join(capi, "libonnxruntime.so*")))[0])
PY
)
mkdir -p target/onnxruntime
ln -sf "$lib" target/onnxruntime/libonnxruntime.so
echo "ONNX Runtime: $lib -> target/onnxruntime/libonnxruntime.so"
