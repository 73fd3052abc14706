#!/usr/bin/env bash
# Runs every test: provisioning, formatting, the Rust suites (parity,
# errors, header drift), then the C programs under sanitizers.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/setup.sh
cargo fmt --check
cargo test --release
bash tests/c/run.sh
for binding in python cpp csharp java; do
    bash "bindings/$binding/test.sh"
done
