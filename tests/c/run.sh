#!/usr/bin/env bash
# The C ABI from the host's side: builds libvigil, the C example and the C
# tests into target/c-tests/, and runs them.
#
#   bash tests/c/run.sh              # needs tools/setup.sh to have run once
#   VIGIL_BLESS=1 bash tests/c/run.sh  # also rewrites tests/c/symbols.txt
#
# Checks, in order:
#   examples         examples/c/classify.c, spans.c and normalize.c build with -Werror and runs on
#                    bert-cls3 with no ORT configuration at all: ONNX Runtime
#                    is found beside libvigil.so (dladdr), the layout hosts ship
#   abi (C99, C++17) tests/c/abi_test.c under ASan + UBSan (+ LeakSanitizer)
#   missing runtime  a lone copy of libvigil.so: RUNTIME_UNAVAILABLE naming
#                    every path tried, then an explicit path works in-process
#   symbols          every symbol in tests/c/symbols.txt is still exported
#   header           include/vigil.h compiles alone as C99 and C++17, and C
#                    and C++ translation units including it link together
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$(pwd)
out=target/c-tests
# A host-like folder: libvigil.so with ONNX Runtime beside it. Kept out of
# target/release, which cargo puts on LD_LIBRARY_PATH for the Rust tests.
lib_dir=$root/target/c-tests/lib
ort=$root/target/onnxruntime/libonnxruntime.so
models=tests/fixtures/models

current=setup
passed=()
tmp=$(mktemp -d)
finish() {
    local rc=$?
    rm -rf "$tmp"
    if [ "$rc" -ne 0 ]; then
        echo >&2
        echo "tests/c: FAILED in '$current' (passed before it: ${passed[*]:-none})" >&2
    fi
}
trap finish EXIT
step() {
    current=$1
    echo
    echo "== $1"
}
ok() { passed+=("$current"); }

cflags=(-std=c99 -Wall -Wextra -Wpedantic -Werror -Iinclude)
cxxflags=(-x c++ -std=c++17 -Wall -Wextra -Wpedantic -Werror -Iinclude)
# Recovery off: a UBSan report fails the run instead of scrolling by.
sanitize=(-g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
link=(-L"$lib_dir" -lvigil -Wl,-rpath,"$lib_dir")

step "build"
cargo build --release
[ -e "$ort" ] || { echo "missing $ort: run tools/setup.sh first" >&2; exit 1; }
mkdir -p "$out" "$lib_dir"
cp target/release/libvigil.so "$lib_dir/"
ln -sfn "$ort" "$lib_dir/libonnxruntime.so"
ok

step "examples"
cc "${cflags[@]}" examples/c/classify.c "${link[@]}" -o "$out/classify"
# No configuration at all: neither variable, no LD_LIBRARY_PATH. The loader
# fallback cannot see $lib_dir either (the executable's RUNPATH does
# not apply to libvigil's dlopen), so success means the folder of
# libvigil.so was searched. The missing-runtime check is the counter-proof.
env -u VIGIL_ORT_LIBRARY -u ORT_DYLIB_PATH -u LD_LIBRARY_PATH \
    "$out/classify" "$models/bert-cls3" >"$out/classify.out"
cat "$out/classify.out"
grep -q "fingerprint" "$out/classify.out"
grep -q "sha256:" "$out/classify.out"
# The spans example: entities with both offset kinds; the emoji text makes
# the UTF-16 offsets differ from the byte offsets.
cc "${cflags[@]}" examples/c/spans.c "${link[@]}" -o "$out/spans"
"$out/spans" "$models/bert-ner-bio" >"$out/spans.out"
cat "$out/spans.out"
grep -q "utf16 \[" "$out/spans.out"
# Normalisation on the invented MedDRA fixture with the tiny cross-encoder.
cc "${cflags[@]}" examples/c/normalize.c "${link[@]}" -o "$out/normalize"
"$out/normalize" tests/fixtures/meddra/en "$models/bert-cross-encoder" >"$out/normalize.out"
cat "$out/normalize.out"
grep -q "^MedDRA: 64 PTs" "$out/normalize.out"
grep -q "  PT " "$out/normalize.out"
ok

# transformers' numbers for every non-blank reference text, one per line;
# texts as hex so tabs, newlines and any byte survive.
python3 - tests/fixtures/reference/classify.json >"$out/parity.tsv" <<'PY'
import json, sys
for case in json.load(open(sys.argv[1], encoding="utf-8"))["cases"]:
    stride = "-" if case["stride"] is None else str(case["stride"])
    for text, want in zip(case["texts"], case["outputs"]):
        if not text.strip():
            continue  # Vigil refuses blank texts (EMPTY_TEXT); abi_test checks that
        print("\t".join([
            case["model"], case["policy"], stride, str(case["max_length"]),
            want["top_label"], "1" if want["truncated"] else "0", str(want["windows"]),
            ",".join(repr(float(s)) for s in want["scores"]),
            text.encode("utf-8").hex(),
        ]))
PY

export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# Leak detection stays on with no suppressions: with this ONNX Runtime
# nothing is reported (its one-time globals stay reachable), so nothing is
# hidden. The leak canary below proves LeakSanitizer is live.
for lang in c cxx; do
    step "abi test ($lang, ASan+UBSan)"
    bin=$out/abi_test_$lang
    if [ "$lang" = c ]; then
        cc "${cflags[@]}" "${sanitize[@]}" tests/c/abi_test.c "${link[@]}" -pthread -lm -o "$bin"
    else
        g++ "${cxxflags[@]}" "${sanitize[@]}" tests/c/abi_test.c "${link[@]}" -pthread -o "$bin"
    fi
    # The sanitizers are really in the binary, not silently dropped. (Not
    # `nm | grep -q`: grep quitting early makes nm die of SIGPIPE.)
    symbols=$(nm "$bin")
    grep -q '__asan_init' <<<"$symbols" || { echo "$bin: no __asan_init" >&2; exit 1; }
    grep -q '__ubsan_handle_' <<<"$symbols" || { echo "$bin: no UBSan handlers" >&2; exit 1; }
    "$bin" "$models" "$out/parity.tsv" | tee "$out/abi_test_$lang.out"
    tail -n 1 "$out/abi_test_$lang.out" | grep -Eq '^[0-9]+ passed, 0 failed$'
    if "$bin" --leak-canary >"$out/leak_canary_$lang.out" 2>&1; then
        echo "LeakSanitizer missed the deliberate leak:" >&2
        cat "$out/leak_canary_$lang.out" >&2
        exit 1
    fi
    grep -q 'LeakSanitizer: detected memory leaks' "$out/leak_canary_$lang.out"
    grep -q 'vigil_options_new' "$out/leak_canary_$lang.out"
    echo "LeakSanitizer is live: it reported the deliberate leak"
    ok
done

step "missing runtime"
# libvigil.so alone in a folder, found through LD_LIBRARY_PATH (which beats
# the binary's RUNPATH); both variables point at files that do not exist.
cp target/release/libvigil.so "$tmp/"
env -u VIGIL_ORT_LIBRARY -u ORT_DYLIB_PATH \
    VIGIL_ORT_LIBRARY="$tmp/no-such-dir/vigil-env/libonnxruntime.so" \
    ORT_DYLIB_PATH="$tmp/no-such-dir/ort-env/libonnxruntime.so" \
    LD_LIBRARY_PATH="$tmp" \
    "$out/abi_test_c" --missing-runtime "$models/bert-cls2" "$ort" "$tmp" | tee "$out/missing_runtime.out"
tail -n 1 "$out/missing_runtime.out" | grep -Eq '^[0-9]+ passed, 0 failed$'
ok

step "symbols"
nm -D --defined-only target/release/libvigil.so | awk '$2=="T"{print $3}' | grep '^vigil_' | sort >"$out/symbols.txt"
if [ "${VIGIL_BLESS:-}" = 1 ]; then
    cp "$out/symbols.txt" tests/c/symbols.txt
    echo "blessed tests/c/symbols.txt ($(wc -l <tests/c/symbols.txt) symbols)"
fi
[ -f tests/c/symbols.txt ] || { echo "no tests/c/symbols.txt: create it with VIGIL_BLESS=1" >&2; exit 1; }
missing=$(comm -23 tests/c/symbols.txt "$out/symbols.txt")
added=$(comm -13 tests/c/symbols.txt "$out/symbols.txt")
if [ -n "$missing" ]; then
    echo "exported before, missing now (an ABI break):" >&2
    echo "$missing" | sed 's/^/  /' >&2
    exit 1
fi
if [ -n "$added" ]; then
    echo "new exports; update the snapshot with VIGIL_BLESS=1 bash tests/c/run.sh:"
    echo "$added" | sed 's/^/  + /'
fi
# Nothing outside the vigil_ namespace is exported as code.
others=$(nm -D --defined-only target/release/libvigil.so | awk '$2=="T"{print $3}' | grep -v '^vigil_' || true)
[ -z "$others" ] || { echo "exports outside vigil_*:" >&2; echo "$others" >&2; exit 1; }
# Everything the header declares is exported.
declared=$(grep -oE '\bvigil_[a-z0-9_]+\(' include/vigil.h | tr -d '(' | sort -u)
undeclared=$(comm -23 <(echo "$declared") "$out/symbols.txt")
[ -z "$undeclared" ] || { echo "declared in vigil.h but not exported:" >&2; echo "$undeclared" >&2; exit 1; }
# Exported but not declared: the header is stale (tests/header.rs fails too).
stale=$(comm -13 <(echo "$declared") "$out/symbols.txt")
if [ -n "$stale" ]; then
    echo "exported but not in include/vigil.h yet (regenerate: VIGIL_BLESS=1 cargo test --test header):"
    echo "$stale" | sed 's/^/  ? /'
fi
echo "$(wc -l <"$out/symbols.txt") vigil_ symbols exported, $(echo "$declared" | wc -l) declared; none missing"
ok

step "header"
header_c=(cc "${cflags[@]}" -Wstrict-prototypes -Wmissing-prototypes -c tests/c/header_compiles_alone.c)
header_cxx=(g++ "${cxxflags[@]}" -c tests/c/header_compiles_alone.c)
"${header_c[@]}" -o "$out/header_lib_c.o"
"${header_c[@]}" -DHEADER_CHECK_MAIN -o "$out/header_main_c.o"
"${header_cxx[@]}" -o "$out/header_lib_cxx.o"
"${header_cxx[@]}" -DHEADER_CHECK_MAIN -o "$out/header_main_cxx.o"
g++ "$out/header_lib_c.o" "$out/header_main_cxx.o" "${link[@]}" -o "$out/header_c_lib_cxx_main"
cc "$out/header_lib_cxx.o" "$out/header_main_c.o" "${link[@]}" -o "$out/header_cxx_lib_c_main"
"$out/header_c_lib_cxx_main"
"$out/header_cxx_lib_c_main"
echo "vigil.h: alone as C99 and C++17; C and C++ units link together"
ok

current=summary
echo
echo "tests/c: all ${#passed[@]} checks passed (${passed[*]})"
