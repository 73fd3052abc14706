#!/usr/bin/env python3
"""Write a BERT-base-sized random-weight classifier (ONNX + full all-MiniLM-L6-v2 uncased
tokenizer) for benchmarks. The output is large (~440 MB) and is not committed.

Usage (from the repository root):  python tools/make_bench_model.py [OUT_DIR]
OUT_DIR defaults to target/bench-model.
"""
import shutil
import sys
from pathlib import Path

import torch
from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification, BertTokenizer

sys.dont_write_bytecode = True  # importing make_fixtures must not leave tools/__pycache__ behind
from make_fixtures import ROOT, SEED, export_onnx, minilm_vocab, ort_max_diff

MAX_LEN = 512
LABELS = ["non_causal", "causal"]


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "target" / "bench-model"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)

    vocab = {t: i for i, t in enumerate(minilm_vocab())}
    # Saved before any call, so tokenizer.json carries no truncation/padding (see make_fixtures).
    BertTokenizer(vocab=vocab, do_lower_case=True, model_max_length=MAX_LEN).save_pretrained(out)
    tok = AutoTokenizer.from_pretrained(out)

    torch.manual_seed(SEED)
    config = BertConfig(
        vocab_size=len(vocab), hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
        intermediate_size=3072, max_position_embeddings=MAX_LEN, pad_token_id=0,
        id2label=dict(enumerate(LABELS)), label2id={l: i for i, l in enumerate(LABELS)},
        architectures=["BertForSequenceClassification"],
    )
    model = BertForSequenceClassification(config).eval()
    config.save_pretrained(out)
    export_onnx(model, out / "model.onnx")

    batch = tok(["Rash after the first dose.", "Grade 3 hepatotoxicity " * 40], truncation=True,
                padding=True, return_tensors="pt")
    print(f"{out}: max |ORT - torch| = {ort_max_diff(model, out / 'model.onnx', batch):.3g}")


if __name__ == "__main__":
    main()
