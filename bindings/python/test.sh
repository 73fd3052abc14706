#!/usr/bin/env bash
# The Python binding's checks: builds libvigil, installs pytest into the
# project venv if missing, then runs the tests, the example and the
# per-call overhead measurement. Needs tools/setup.sh to have run (it makes
# .venv and target/onnxruntime); runs it if .venv is missing.
#
#   bash bindings/python/test.sh
#
# The last line is "N passed, 0 failed" (pytest's counts; skipped tests,
# e.g. the transformers parity without torch, are listed by pytest above).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$(pwd)
python=$root/.venv/bin/python
out=$root/target/python-tests

[ -x "$python" ] || tools/setup.sh
"$python" -c 'import pytest' 2>/dev/null || "$python" -m pip install -q "pytest==9.2.0"
cargo build --release --quiet
mkdir -p "$out"
export PYTHONPATH=$root/bindings/python

echo "== tests"
"$python" -m pytest bindings/python -q -rs --junitxml="$out/junit.xml"

echo
echo "== example"
"$python" examples/python/triage.py | tee "$out/example.out"
grep -q '^top label: ' "$out/example.out"
grep -q 'utf16\[' "$out/example.out"

echo
echo "== overhead"
"$python" bindings/python/bench_overhead.py 2000

"$python" - "$out/junit.xml" <<'PY'
import sys
import xml.etree.ElementTree as ET

suite = ET.parse(sys.argv[1]).getroot()
suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
counts = {k: int(suite.get(k)) for k in ("tests", "failures", "errors", "skipped")}
failed = counts["failures"] + counts["errors"]
print(f"{counts['tests'] - failed - counts['skipped']} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
