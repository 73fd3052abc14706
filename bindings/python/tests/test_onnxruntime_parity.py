"""Vigil against a second implementation written here: onnxruntime's Python
API running the same model.onnx on encodings from the `tokenizers` package
reading the same tokenizer.json.

Why not transformers/PyTorch: the fixture directories ship only ONNX graphs,
no PyTorch weights, so AutoModelFor*.from_pretrained(dir) cannot load them.
onnxruntime, tokenizers and numpy are what tools/setup.sh puts in .venv, so
this runs everywhere. test_transformers_parity.py adds transformers' own
pipelines (over the same ONNX graph) where torch and transformers exist.
"""

from __future__ import annotations

import functools
import json

import pytest
from support import MODELS, reference, scorable, shared_model

import vigil

np = pytest.importorskip("numpy")
ort = pytest.importorskip("onnxruntime")
tokenizers = pytest.importorskip("tokenizers")

# Both sides run the same graph with the same runtime; only batching and
# padding differ, so the answers agree far inside the references' 1e-5.
TOLERANCE = 1e-6


class Independent:
    """One model directory, run without Vigil."""

    def __init__(self, name: str):
        directory = MODELS / name
        self.config = json.loads((directory / "config.json").read_text())
        tokenizer_config = json.loads((directory / "tokenizer_config.json").read_text())
        vigil_json = directory / "vigil.json"
        self.vigil = json.loads(vigil_json.read_text()) if vigil_json.exists() else {}
        self.max_length = tokenizer_config["model_max_length"]
        self.tokenizer = tokenizers.Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.session = ort.InferenceSession(str(directory / "model.onnx"), providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.labels = [self.config["id2label"][str(i)] for i in range(len(self.config["id2label"]))]

    @classmethod
    @functools.lru_cache(maxsize=None)
    def of(cls, name: str) -> Independent:
        """One per directory for the whole run (sessions take a while to build)."""
        return cls(name)

    def logits(self, encoding) -> np.ndarray:
        feeds = {"input_ids": encoding.ids, "attention_mask": encoding.attention_mask,
                 "token_type_ids": encoding.type_ids}
        feeds = {k: np.array([v], dtype=np.int64) for k, v in feeds.items() if k in self.inputs}
        return self.session.run(["logits"], feeds)[0][0].astype(np.float64)

    def activate(self, logits: np.ndarray) -> np.ndarray:
        """transformers' choice: sigmoid for one logit or multi-label, else softmax."""
        if len(self.labels) == 1 or self.config.get("problem_type") == "multi_label_classification":
            return 1 / (1 + np.exp(-logits))
        exp = np.exp(logits - logits.max(axis=-1, keepdims=True))
        return exp / exp.sum(axis=-1, keepdims=True)

    def windows(self, text: str, policy: str, stride: int | None) -> list:
        if policy == "truncate":
            self.tokenizer.enable_truncation(self.max_length)
            return [self.tokenizer.encode(text)]
        self.tokenizer.enable_truncation(self.max_length, stride=stride)
        first = self.tokenizer.encode(text)
        return [first, *first.overflowing]

    def classify(self, text: str, policy: str, stride: int | None) -> tuple[np.ndarray, int]:
        windows = self.windows(text, policy, stride)
        probs = np.stack([self.activate(self.logits(w)) for w in windows])
        return (probs.max(axis=0) if policy == "window_max" else probs.mean(axis=0)), len(windows)

    def tokens(self, text: str) -> list[tuple[str, float, int, int, int]]:
        """aggregation "none", ignore "O": (label, score, start, end, token index)."""
        (encoding,) = self.windows(text, "truncate", None)
        probs = self.activate(self.logits(encoding))
        found = []
        for index, (special, (start, end), p) in enumerate(zip(encoding.special_tokens_mask, encoding.offsets, probs)):
            label = self.labels[int(p.argmax())]
            if not special and label != "O":
                found.append((label, float(p.max()), start, end, index))
        return found

    def pair_score(self, mention: str, candidate: str) -> float:
        self.tokenizer.enable_truncation(self.max_length, strategy="only_second")
        probs = self.activate(self.logits(self.tokenizer.encode(mention, candidate)))
        positive = self.labels.index(self.vigil["positive_label"]) if len(self.labels) > 1 else 0
        return float(probs[positive])


@pytest.mark.parametrize("case", reference("classify")["cases"], ids=lambda c: f"{c['model']}-{c['policy']}")
def test_classify_matches_onnxruntime_and_tokenizers(case):
    independent = Independent.of(case["model"])
    texts, _ = scorable(case)
    options = {"long_text": case["policy"], **({"stride": case["stride"]} if case["stride"] else {})}
    got = shared_model(case["model"], **options).classify(texts)
    for text, answer in zip(texts, got):
        scores, windows = independent.classify(text, case["policy"], case["stride"])
        assert answer.scores == pytest.approx(list(scores), abs=TOLERANCE, rel=0), text
        assert answer.windows == windows, text


@pytest.mark.parametrize("name", ["bert-ner-bio", "bert-ner-cased", "bert-ner-plain"])
def test_token_labels_match_onnxruntime_and_tokenizers(name):
    independent = Independent.of(name)
    texts, _ = scorable(next(c for c in reference("spans")["cases"] if c["model"] == name))
    got = shared_model(name, long_text="truncate").extract_spans(texts, aggregation="none")
    for text, spans in zip(texts, got):
        want = independent.tokens(text)
        assert [(s.label, s.start, s.end, s.token) for s in spans] == [(w[0], w[2], w[3], w[4]) for w in want], text
        assert [s.score for s in spans] == pytest.approx([w[1] for w in want], abs=TOLERANCE, rel=0)


@pytest.mark.parametrize("case", reference("rerank")["cases"],
                         ids=lambda c: f"{c['model']}-{c['mention']}-{'records' if 'records' in c else 'plain'}")
def test_rerank_matches_onnxruntime_and_tokenizers(case):
    """For MedDRA records the independent side scores the reference's own
    rendering of each record, so Vigil's template rendering is checked too."""
    independent = Independent.of(case["model"])
    if "records" in case:
        candidates, texts = [vigil.MeddraRecord(**r) for r in case["records"]], case["rendered"]
    else:
        candidates = texts = case["plain"]
    ranked = shared_model(case["model"]).rerank(case["mention"], candidates)
    want = [independent.pair_score(case["mention"], t) for t in texts]
    assert {r.index: r.score for r in ranked} == pytest.approx(dict(enumerate(want)), abs=TOLERANCE, rel=0)
