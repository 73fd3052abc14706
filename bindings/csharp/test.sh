#!/usr/bin/env bash
# The C# binding, end to end: installs Mono when mcs is missing, builds
# Vigil.dll, the tests and the examples into target/csharp/, runs the
# examples, the overhead benchmark and the tests. Runnable from any folder
# once tools/setup.sh has run; the last line is the tests' "N passed, 0 failed".
#
# libvigil.so is found both ways README.md describes:
#   tests    a dllmap in Vigil.dll.config (absolute path to target/release)
#   examples LD_LIBRARY_PATH to a folder with libvigil.so and ONNX Runtime
#            beside it, and no ORT configuration at all
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$(pwd)
out=$root/target/csharp
ort=$root/target/onnxruntime/libonnxruntime.so

if ! command -v mcs >/dev/null || ! command -v mono >/dev/null; then
    echo "== installing Mono (mono-mcs brings mono-runtime and the class libraries)"
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq mono-mcs >/dev/null
fi

echo "== build"
cargo build --release
[ -e "$ort" ] || { echo "missing $ort: run tools/setup.sh first" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out/example" "$out/lib"
# C# 7.2 at most: the newest language level Mono's mcs accepts.
mcs_flags=(-langversion:7.2 -warnaserror -debug -nologo)
mcs "${mcs_flags[@]}" -target:library -unsafe -out:"$out/Vigil.dll" bindings/csharp/src/*.cs
mcs "${mcs_flags[@]}" -unsafe -r:"$out/Vigil.dll" -out:"$out/VigilTests.exe" bindings/csharp/tests/*.cs
for assembly in Vigil.dll VigilTests.exe; do
    cat >"$out/$assembly.config" <<XML
<configuration>
  <dllmap dll="vigil" target="$root/target/release/libvigil.so" />
</configuration>
XML
done

echo "== examples"
# A host-like layout: the app with Vigil.dll (no config), and a library
# folder with ONNX Runtime beside libvigil.so.
cp "$out/Vigil.dll" "$out/example/"
for example in Narrative Normalize; do
    mcs "${mcs_flags[@]}" -r:"$out/example/Vigil.dll" -out:"$out/example/$example.exe" "examples/csharp/$example.cs"
done
cp target/release/libvigil.so "$out/lib/"
ln -sfn "$ort" "$out/lib/libonnxruntime.so"
env -u VIGIL_ORT_LIBRARY -u ORT_DYLIB_PATH LD_LIBRARY_PATH="$out/lib" \
    mono "$out/example/Narrative.exe" tests/fixtures/models | tee "$out/example.out"
grep -q '^top: ' "$out/example.out"
grep -q 'sha256:' "$out/example.out"
grep -Eq '^  [A-Z]+ +[0-9.]+  \[[0-9]+,[0-9]+\)' "$out/example.out"
env -u VIGIL_ORT_LIBRARY -u ORT_DYLIB_PATH LD_LIBRARY_PATH="$out/lib" \
    mono "$out/example/Normalize.exe" tests/fixtures/meddra/en tests/fixtures/models/bert-cross-encoder \
    | tee "$out/normalize.out"
grep -q '^MedDRA: 64 PTs' "$out/normalize.out"
grep -Eq '^  PT [0-9]+ .* SOC [0-9]+ ' "$out/normalize.out"

echo "== overhead"
mono "$out/VigilTests.exe" "$root" "$ort" --bench

echo "== tests"
mono --debug "$out/VigilTests.exe" "$root" "$ort" | tee "$out/tests.out"
tail -n 1 "$out/tests.out" | grep -Eq '^[0-9]+ passed, 0 failed$'
