#!/usr/bin/env bash
# The Java binding end to end, from any cwd on a machine where tools/setup.sh
# and `cargo build --release` have run:
#   1. a JDK >= 17 and cc (Debian packages, installed only when missing)
#   2. build.sh: vigil.jar and target/java/lib/ (JNI glue beside libvigil.so and ONNX Runtime)
#   3. examples/java: classify a narrative, print its spans; code mentions to MedDRA PTs
#   4. the overhead of one classify call against the plain C call (printed, not asserted)
#   5. the tests, under -Xcheck:jni (any JNI warning fails the run)
# Ends with the tests' "N passed, M failed"; exits non-zero on any failure.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/target/java
cd "$root"

java_major() { "$1" -version 2>&1 | sed -n 's/^javac \([0-9]*\).*/\1/p'; }
if ! command -v javac >/dev/null || [ "$(java_major javac)" -lt 17 ] || ! command -v cc >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless gcc libc6-dev >/dev/null
    [ "$(java_major javac)" -ge 17 ] || export PATH=/usr/lib/jvm/java-17-openjdk-amd64/bin:$PATH
fi
if [ ! -e target/release/libvigil.so ]; then
    cargo build --release
fi

echo "== build"
bash "$here/build.sh" "$out"
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
javac_flags=(--release 17 -Xlint:all -Werror)
rm -rf "$out/test-classes" "$out/examples"
mapfile -t tests < <(find "$here/src/test/java" -name '*.java')
javac "${javac_flags[@]}" -cp "$out/vigil.jar" -d "$out/test-classes" "${tests[@]}"
javac "${javac_flags[@]}" -cp "$out/vigil.jar" -d "$out/examples" examples/java/*.java
mkdir -p "$out/test"
cc -std=c99 -O2 -fPIC -shared -Wall -Wextra -Werror -Iinclude -I"$java_home/include" -I"$java_home/include/linux" \
    "$here/src/test/native/vigil_bench_jni.c" -L"$out/lib" -lvigil -Wl,-rpath,"$out/lib" \
    -o "$out/test/libvigil_bench_jni.so"
run_java=(java -Dvigil.root="$root" -Dvigil.library.path="$out/lib")

echo
echo "== example"
example=$("${run_java[@]}" -cp "$out/vigil.jar:$out/examples" ClassifyNarrative tests/fixtures/models)
echo "$example"
grep -q '^  top: ' <<<"$example" || { echo "example printed no classification" >&2; exit 1; }
grep -qE '^  (ADR|DRUG) ' <<<"$example" || { echo "example printed no spans" >&2; exit 1; }
echo
coded=$("${run_java[@]}" -cp "$out/vigil.jar:$out/examples" NormalizeMentions tests/fixtures/meddra/en \
    tests/fixtures/models/bert-cross-encoder)
echo "$coded"
grep -q '^MedDRA: 64 PTs' <<<"$coded" || { echo "normalize example loaded no dictionary" >&2; exit 1; }
grep -qE '^  PT [0-9]+ .* SOC [0-9]+ ' <<<"$coded" || { echo "normalize example coded nothing" >&2; exit 1; }

echo
echo "== overhead"
"${run_java[@]}" -cp "$out/vigil.jar:$out/test-classes" org.vigil.Bench "$out/test/libvigil_bench_jni.so"

echo
echo "== tests"
log=$out/test/tests.log
"${run_java[@]}" -Xcheck:jni -cp "$out/vigil.jar:$out/test-classes" org.vigil.VigilTests 2>&1 | tee "$log"
if grep -qE 'WARNING in native method|FATAL ERROR in native method|JNI local refs' "$log"; then
    echo "-Xcheck:jni reported misuse (see above)" >&2
    exit 1
fi
