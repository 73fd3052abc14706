#!/usr/bin/env python3
"""Write a BERT-base-sized random-weight model (ONNX + full all-MiniLM-L6-v2 uncased tokenizer)
for benchmarks. Each output is large (~440 MB) and is not committed.

Usage (from the repository root):  python tools/make_bench_model.py [--task TASK] [OUT_DIR]

--task sequence (default): BertForSequenceClassification, labels non_causal/causal;
       OUT_DIR defaults to target/bench-model.
--task token: BertForTokenClassification, labels O/B-ADE/I-ADE, logits [batch, sequence, 3];
       OUT_DIR defaults to target/bench-model-token.
--task cross: a cross-encoder (BertForSequenceClassification, labels no_match/match) with a
       vigil.json naming the task, the positive label, threshold 0.3 and max_length 64 (the
       mention2meddra seed's pair length; the tokenizer keeps model_max_length 512);
       OUT_DIR defaults to target/bench-model-cross.
"""
import argparse
import json
import shutil
import sys
from pathlib import Path

import torch
from transformers import (
    AutoTokenizer,
    BertConfig,
    BertForSequenceClassification,
    BertForTokenClassification,
    BertTokenizer,
)

sys.dont_write_bytecode = True  # importing make_fixtures must not leave tools/__pycache__ behind
from make_fixtures import ROOT, SEED, TEXTS, export_onnx, input_names, minilm_vocab, ort_max_diff

MAX_LEN = 512
CROSS_MAX_LEN = 64
# task: (labels, architecture, default output folder, vigil.json or None)
TASKS = {
    "sequence": (["non_causal", "causal"], BertForSequenceClassification, "bench-model", None),
    "token": (["O", "B-ADE", "I-ADE"], BertForTokenClassification, "bench-model-token", None),
    "cross": (["no_match", "match"], BertForSequenceClassification, "bench-model-cross",
              {"task": "cross_encoder", "positive_label": "match", "threshold": 0.3, "max_length": CROSS_MAX_LEN}),
}
# Token model: the share of real tokens the tuned head labels as part of an entity, so the
# aggregation has spans of varied length to build, as a trained ADE tagger would.
NON_O_SHARE = 0.15
PAIRS = [
    ("itchy red rash all over", "PT: Rash；LLT别名: Skin rash | Eruption；SOC: Skin and subcutaneous tissue disorders"),
    ("felt my heart racing", "PT: Tachycardia；LLT别名: Heart racing；HLT: Rate and rhythm disorders NEC"),
    ("LFTs went through the roof", "PT: Hepatic enzyme increased；HLGT: Hepatobiliary investigations"),
    ("very tired after the second dose", "PT: Fatigue；LLT别名: Tiredness | Exhaustion"),
]


def tune_token_head(model, tok):
    """Centre the random head's logits on the fixture texts, then shift O so about NON_O_SHARE
    of their real tokens are B-/I-ADE. (Its weights keep BERT's small init, so logits stay
    near 1 and ORT matches torch within make_fixtures' tolerance.)"""
    enc = tok([t for t in TEXTS if t.strip()], truncation=True, padding=True, return_tensors="pt",
              return_special_tokens_mask=True)
    real = enc["special_tokens_mask"] == 0
    with torch.no_grad():
        model.classifier.bias.zero_()
        logits = model(**{n: enc[n] for n in input_names(model)}).logits[real].double()
        bias = -logits.mean(dim=0)
        centred = logits + bias
        tips = (centred[:, 1:].max(dim=-1).values - centred[:, 0]).sort().values
        k = len(tips) - round(NON_O_SHARE * len(tips))
        bias[0] += (tips[k - 1] + tips[k]) / 2
        model.classifier.bias.copy_(bias.float())


def tune_cross_head(model, tok):
    """Centre the head's logits on a few pairs, so scores sit around 0.5 rather than at one end."""
    enc = tok([m for m, _ in PAIRS], [c for _, c in PAIRS], truncation="only_second", max_length=CROSS_MAX_LEN,
              padding=True, return_tensors="pt")
    with torch.no_grad():
        model.classifier.bias.zero_()
        model.classifier.bias.copy_(-model(**{n: enc[n] for n in input_names(model)}).logits.mean(dim=0))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--task", choices=TASKS, default="sequence")
    p.add_argument("out", nargs="?", type=Path)
    a = p.parse_args()
    labels, architecture, folder, vigil = TASKS[a.task]
    out = a.out or ROOT / "target" / folder
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)

    vocab = {t: i for i, t in enumerate(minilm_vocab())}
    # Saved before any call, so tokenizer.json carries no truncation/padding (see make_fixtures).
    BertTokenizer(vocab=vocab, do_lower_case=True, model_max_length=MAX_LEN).save_pretrained(out)
    if vigil is not None:
        (out / "vigil.json").write_text(json.dumps(vigil, indent=1) + "\n", encoding="utf-8")
    tok = AutoTokenizer.from_pretrained(out)

    torch.manual_seed(SEED)
    config = BertConfig(
        vocab_size=len(vocab), hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
        intermediate_size=3072, max_position_embeddings=MAX_LEN, pad_token_id=0,
        id2label=dict(enumerate(labels)), label2id={l: i for i, l in enumerate(labels)},
        architectures=[architecture.__name__],
    )
    model = architecture(config).eval()
    if a.task == "token":
        tune_token_head(model, tok)
    elif a.task == "cross":
        tune_cross_head(model, tok)
    config.save_pretrained(out)
    export_onnx(model, out / "model.onnx", logits_axes={0: "batch", 1: "sequence"} if a.task == "token" else None)

    if a.task == "cross":
        batch = tok([m for m, _ in PAIRS], [c for _, c in PAIRS], truncation="only_second",
                    max_length=CROSS_MAX_LEN, padding=True, return_tensors="pt")
    else:
        batch = tok(["Rash after the first dose.", "Grade 3 hepatotoxicity " * 40], truncation=True,
                    padding=True, return_tensors="pt")
    print(f"{out}: max |ORT - torch| = {ort_max_diff(model, out / 'model.onnx', batch):.3g}")


if __name__ == "__main__":
    main()
