#!/usr/bin/env bash
# Sets up, builds, and runs the C examples the way a host links Vigil:
# libvigil.so with libonnxruntime.so beside it, no environment variables.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/setup.sh
cargo build --release
lib=target/demo/lib
mkdir -p "$lib"
cp target/release/libvigil.so "$lib/"
ln -sfn "$PWD/target/onnxruntime/libonnxruntime.so" "$lib/libonnxruntime.so"
for example in classify spans; do
    cc -std=c99 -Wall -Wextra -Wpedantic -Werror -Iinclude "examples/c/$example.c" \
        -L"$lib" -lvigil -Wl,-rpath,"$PWD/$lib" -o "target/demo/$example"
done

cat <<'NOTE'

NOTE: these models are the test fixtures, with RANDOM weights. The output
shows the plumbing (labels, scores, offsets, fingerprints), not medicine.
NOTE
echo; echo "== causality (2 labels)"
env -u VIGIL_ORT_LIBRARY -u ORT_DYLIB_PATH target/demo/classify tests/fixtures/models/bert-cls2
echo; echo "== seriousness (DLT / Serious / Non-serious)"
env -u VIGIL_ORT_LIBRARY -u ORT_DYLIB_PATH target/demo/classify tests/fixtures/models/bert-cls3
echo; echo "== ADR spans"
env -u VIGIL_ORT_LIBRARY -u ORT_DYLIB_PATH target/demo/spans tests/fixtures/models/bert-ner-bio
