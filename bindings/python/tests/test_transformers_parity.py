"""Vigil against transformers' own pipelines, run live; only where torch and
transformers are importable (skipped otherwise, e.g. in the project .venv).

The fixture directories ship only ONNX graphs, no PyTorch weights, so
AutoModelFor*.from_pretrained(dir) cannot load them. Instead each model is
built from its config.json with from_config() and its forward() is replaced
by onnxruntime running the directory's model.onnx: tokenization, windowing
(stride), activation and entity aggregation are then all transformers'
pipeline code. Each test checks both that this live pipeline reproduces the
committed references (tests/fixtures/reference, made from the PyTorch
weights) and that Vigil matches the live pipeline.
"""

from __future__ import annotations

import os

import pytest
from support import MODELS, reference, scorable, shared_model, span_model

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # local directories only
torch = pytest.importorskip("torch", reason="torch is not installed: transformers parity skipped")
transformers = pytest.importorskip("transformers", reason="transformers is not installed: parity skipped")
ort = pytest.importorskip("onnxruntime")

TOLERANCE = 1e-5


def onnx_pipeline(task: str, name: str, **kwargs):
    directory = MODELS / name
    auto = {"text-classification": transformers.AutoModelForSequenceClassification,
            "token-classification": transformers.AutoModelForTokenClassification}[task]
    model = auto.from_config(transformers.AutoConfig.from_pretrained(directory)).eval()
    session = ort.InferenceSession(str(directory / "model.onnx"), providers=["CPUExecutionProvider"])
    graph_inputs = {i.name for i in session.get_inputs()}

    def forward(**inputs):
        feeds = {k: v.numpy() for k, v in inputs.items() if k in graph_inputs}
        return transformers.modeling_outputs.ModelOutput(logits=torch.from_numpy(session.run(["logits"], feeds)[0]))

    model.forward = forward  # nn.Module.__call__ finds the instance attribute
    tokenizer = transformers.AutoTokenizer.from_pretrained(directory)
    return transformers.pipeline(task, model=model, tokenizer=tokenizer, device="cpu", **kwargs)


# The text-classification pipeline only truncates; window references come from a script.
@pytest.mark.parametrize("case", [c for c in reference("classify")["cases"] if c["policy"] == "truncate"],
                         ids=lambda c: c["model"])
def test_classify_matches_the_live_text_classification_pipeline(case):
    texts, expected = scorable(case)
    live = onnx_pipeline("text-classification", case["model"], top_k=None, truncation=True)(texts)
    got = shared_model(case["model"], long_text="truncate").classify(texts)
    for text, want, predictions, answer in zip(texts, expected, live, got):
        by_label = {p["label"]: p["score"] for p in predictions}
        scores = [by_label[label] for label in answer.labels]
        assert scores == pytest.approx(want["scores"], abs=TOLERANCE, rel=0), text
        assert answer.scores == pytest.approx(scores, abs=TOLERANCE, rel=0), text


@pytest.mark.parametrize("case", reference("spans")["cases"],
                         ids=lambda c: f"{c['model']}-{c['aggregation']}-{c['stride']}-{len(c['ignore_labels'])}")
def test_spans_match_the_live_token_classification_pipeline(case):
    """The pipeline's start/end are str indices, so they compare directly to Span.start/end."""
    texts, expected = scorable(case)
    kwargs = {"aggregation_strategy": case["aggregation"], "ignore_labels": case["ignore_labels"]}
    if case["stride"] is not None:
        kwargs["stride"] = case["stride"]
    live = onnx_pipeline("token-classification", case["model"], **kwargs)(texts)
    got = span_model(case).extract_spans(texts, aggregation=case["aggregation"], ignore_labels=case["ignore_labels"])
    group = "entity" if case["aggregation"] == "none" else "entity_group"
    for text, want, entities, spans in zip(texts, expected, live, got):
        assert [(e[group], e["start"], e["end"]) for e in entities] == [(w["label"], w["start"], w["end"]) for w in want]
        assert [(s.label, s.start, s.end) for s in spans] == [(e[group], e["start"], e["end"]) for e in entities], text
        assert [s.score for s in spans] == pytest.approx([float(e["score"]) for e in entities], abs=TOLERANCE, rel=0)
