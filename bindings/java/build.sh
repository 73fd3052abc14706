#!/usr/bin/env bash
# Builds the Java binding into OUT (default target/java):
#   OUT/vigil.jar                the org.vigil classes
#   OUT/lib/libvigil_jni.so      the JNI glue, rpath $ORIGIN, so it loads the
#   OUT/lib/libvigil.so          libvigil copied beside it, which in turn finds
#   OUT/lib/libonnxruntime.so    ONNX Runtime beside itself (a link to its versioned file).
# OUT/lib is then the whole native deployment: -Dvigil.library.path=OUT/lib.
# Needs javac/jar (JDK 17+) and cc; libvigil from `cargo build --release`.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$(mkdir -p "${1:-$root/target/java}" && cd "${1:-$root/target/java}" && pwd)

javac_bin=$(readlink -f "$(command -v javac)")
java_home=${JAVA_HOME:-$(dirname "$(dirname "$javac_bin")")}
vigil=$root/target/release/libvigil.so
ort=$root/target/onnxruntime/libonnxruntime.so
[ -e "$vigil" ] || { echo "missing $vigil: run cargo build --release" >&2; exit 1; }

mkdir -p "$out/lib" "$out/classes"
# -u: only when newer, so rebuilding does not rewrite 40 MB each time.
cp -uL "$vigil" "$out/lib/libvigil.so"
if [ -e "$ort" ]; then
    # Under its versioned name, which Vigil reads to report the ORT release.
    real=$(readlink -f "$ort")
    cp -u "$real" "$out/lib/"
    ln -sfn "$(basename "$real")" "$out/lib/libonnxruntime.so"
else
    echo "note: no $ort; hosts must then set Options.ortLibrary or VIGIL_ORT_LIBRARY" >&2
fi

cc -std=c99 -O2 -fPIC -shared -Wall -Wextra -Werror \
    -I"$root/include" -I"$java_home/include" -I"$java_home/include/linux" \
    "$here/native/vigil_jni.c" -L"$out/lib" -lvigil -Wl,-rpath,'$ORIGIN' -Wl,--no-undefined \
    -o "$out/lib/libvigil_jni.so"

rm -rf "$out/classes"
mapfile -t sources < <(find "$here/src/main/java" -name '*.java')
javac --release 17 -Xlint:all -Werror -d "$out/classes" "${sources[@]}"
jar --create --file "$out/vigil.jar" -C "$out/classes" .
echo "built $out/vigil.jar and $out/lib/"
