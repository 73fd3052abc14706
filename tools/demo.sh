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

# Self-written case narratives (not from any corpus): four describe a reaction, two do not.
narratives=(
    "A 58-year-old woman started amoxicillin-clavulanate for sinusitis. Nine days later she presented with jaundice, dark urine and pruritus; liver tests showed a cholestatic pattern. The antibiotic was stopped and her bilirubin returned to normal within six weeks."
    "Within twenty minutes of the first infusion of rituximab the patient developed rigors, hypotension and bronchospasm, which settled after the infusion was stopped and hydrocortisone given."
    "Patient reports she has been taking sertraline 50 mg daily for two years. She attended for a routine medication review and has no complaints."
    "A 34-year-old man was started on lamotrigine for bipolar disorder. After three weeks he developed fever, mucosal erosions and a widespread blistering rash."
    "A 71-year-old man taking warfarin for atrial fibrillation was prescribed clarithromycin for a chest infection. Five days later he was admitted with melaena and an INR of 8.4."
    "Metformin was continued at the same dose. HbA1c improved from 8.1% to 7.2% over six months and renal function remained stable."
)
run() { env -u VIGIL_ORT_LIBRARY -u ORT_DYLIB_PATH "$@"; }

cat <<'NOTE'

The models in models/ were fine-tuned from all-MiniLM-L6-v2 on ADE Corpus V2
sentences (see each MODEL_CARD.md). They are decision support, not causality
assessment; they were trained on literature sentences, not case narratives.
NOTE
echo; echo "== Is an adverse drug effect described? (models/ade-classifier)"
run target/demo/classify models/ade-classifier "${narratives[@]}"
echo; echo "== ADR and drug spans (models/ade-tagger)"
run target/demo/spans models/ade-tagger "${narratives[@]}"
