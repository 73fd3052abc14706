#!/usr/bin/env bash
# The C++ binding, end to end:
#   header     vigil.hpp compiles alone (C++17, every warning an error)
#   tests      tests/*.cpp, four translation units including vigil.hpp linked
#              into one binary, under AddressSanitizer + UBSan + LeakSanitizer,
#              on the shared reference fixtures
#   canary     LeakSanitizer reports a deliberate leak, so clean runs mean something
#   example    examples/cpp/narrative.cpp builds and runs
#   overhead   the wrapper against the raw C call (printed, not asserted)
# The last line is "N passed, 0 failed": the test binary's cases plus the
# three checks above it that can fail (header, canary, example).
#
#   bash bindings/cpp/test.sh    # from any directory, after tools/setup.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$here/build
# A host-like folder: libvigil.so with ONNX Runtime beside it, where the
# library looks first, so the example needs no configuration.
lib=$build/lib
ort=$root/target/onnxruntime/libonnxruntime.so
models=$root/tests/fixtures/models

current=setup
checks=0
trap 'rc=$?; [ $rc -eq 0 ] || echo "bindings/cpp: FAILED in $current" >&2' EXIT
step() {
    current=$1
    echo
    echo "== $1"
}

step "toolchain"
if ! command -v g++ >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq g++ >/dev/null
fi
g++ --version | head -n 1
[ -e "$ort" ] || { echo "missing $ort: run tools/setup.sh first" >&2; exit 1; }
# A no-op when libvigil.so is current; rebuilds it after a change in src/.
if command -v cargo >/dev/null; then
    (cd "$root" && cargo build --release --quiet)
fi
[ -f "$root/target/release/libvigil.so" ] || { echo "missing target/release/libvigil.so: run cargo build --release" >&2; exit 1; }
mkdir -p "$lib"
cp "$root/target/release/libvigil.so" "$lib/"
ln -sfn "$ort" "$lib/libonnxruntime.so"

strict=(-std=c++17 -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Werror)
include=(-I"$root/include" -I"$here")
link=(-L"$lib" -lvigil -Wl,-rpath,"$lib")
# Recovery off: a UBSan report fails the run instead of scrolling by.
sanitize=(-g -O0 -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)

step "header"
g++ "${strict[@]}" -Wold-style-cast "${include[@]}" -x c++ -fsyntax-only "$here/vigil.hpp"
echo "vigil.hpp compiles alone"
checks=$((checks + 1))

step "tests (ASan+UBSan)"
objects=()
pids=()
for unit in main parity behaviour meddra; do
    g++ "${strict[@]}" "${sanitize[@]}" "${include[@]}" -I"$here/tests" -c "$here/tests/$unit.cpp" \
        -o "$build/$unit.o" &
    pids+=($!)
    objects+=("$build/$unit.o")
done
for pid in "${pids[@]}"; do wait "$pid"; done
g++ "${sanitize[@]}" "${objects[@]}" "${link[@]}" -pthread -o "$build/tests"
# The sanitizers are really in the binary. (Not `nm | grep -q`: grep
# quitting early makes nm die of SIGPIPE under pipefail.)
symbols=$(nm "$build/tests")
grep -q '__asan_init' <<<"$symbols" || { echo "no __asan_init in the test binary" >&2; exit 1; }
grep -q '__ubsan_handle_' <<<"$symbols" || { echo "no UBSan handlers in the test binary" >&2; exit 1; }
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
"$build/tests" "$root" "$ort" | tee "$build/tests.out"
summary=$(tail -n 1 "$build/tests.out")
[[ "$summary" =~ ^([0-9]+)\ passed,\ 0\ failed$ ]] || { echo "unexpected summary: $summary" >&2; exit 1; }
cases=${BASH_REMATCH[1]}

step "leak canary"
if "$build/tests" --leak-canary >"$build/canary.out" 2>&1; then
    echo "LeakSanitizer missed the deliberate leak" >&2
    exit 1
fi
grep -q 'LeakSanitizer: detected memory leaks' "$build/canary.out"
grep -q 'vigil_options_new' "$build/canary.out"
echo "LeakSanitizer is live: it reported the deliberate leak"
checks=$((checks + 1))

step "example"
g++ "${strict[@]}" -O2 "${include[@]}" "$root/examples/cpp/narrative.cpp" "${link[@]}" -o "$build/narrative"
# No ONNX Runtime configuration at all: it is found beside libvigil.so.
env -u VIGIL_ORT_LIBRARY -u ORT_DYLIB_PATH "$build/narrative" "$models/bert-cls3" "$models/bert-ner-bio" |
    tee "$build/narrative.out"
grep -q '^top: ' "$build/narrative.out"
grep -Eq '^  [A-Z]+ +[0-9.]+  bytes \[[0-9]+,[0-9]+\)  utf16 \[' "$build/narrative.out"
checks=$((checks + 1))

step "overhead"
g++ "${strict[@]}" -O2 -DNDEBUG "${include[@]}" "$here/bench/overhead.cpp" "${link[@]}" -o "$build/overhead"
"$build/overhead" "$models/bert-cls2" 2000

current=summary
echo
echo "$((cases + checks)) passed, 0 failed"
