"""Vigil from Python: triage a case narrative (seriousness classifier), then
list the adverse-reaction and drug spans found in it.

    PYTHONPATH=bindings/python python examples/python/triage.py [CLASSIFIER_DIR TAGGER_DIR [TEXT]]

Defaults to the repository's test models, whose weights are random: the
labels show the plumbing, not medical judgement.
"""

import sys
from pathlib import Path

import vigil

MODELS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "models"
# The emoji makes str indices, UTF-8 bytes and UTF-16 units differ.
NARRATIVE = (
    "A 54-year-old woman 😷 developed a severe rash and angioedema two days after "
    "starting amoxicillin; both resolved once the antibiotic was withdrawn."
)


def main(argv: list[str]) -> int:
    classifier_dir, tagger_dir = argv[1:3] if len(argv) >= 3 else (MODELS / "bert-cls3", MODELS / "bert-ner-bio")
    text = argv[3] if len(argv) >= 4 else NARRATIVE
    try:
        with vigil.Model(classifier_dir) as classifier, vigil.Model(tagger_dir) as tagger:
            [answer] = classifier.classify([text])
            # FIRST gives each word one label, so no span ends inside a word.
            [spans] = tagger.extract_spans([text], aggregation="first")
    except vigil.VigilError as error:
        print(f"vigil failed: {error}", file=sys.stderr)  # the message starts with the code's name
        return 1
    print(text)
    print(f"top label: {answer.top_label}  " + "  ".join(f"{k}={v:.3f}" for k, v in answer.as_dict().items()))
    print(f"{len(spans)} spans (windows read: {spans.windows}):")
    for span in spans:
        print(f"  {span.label:<5} {span.score:.3f}  str[{span.start}:{span.end}]  "
              f"utf8[{span.start_utf8}:{span.end_utf8}]  utf16[{span.start_utf16}:{span.end_utf16}]  {span.text!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
