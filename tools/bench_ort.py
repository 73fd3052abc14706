#!/usr/bin/env python3
"""Baseline for examples/bench.rs: onnxruntime-python + tokenizers doing the work of vigil's
classify (truncate at max_length, longest-first batches within a token budget, pad to the
longest row, softmax/sigmoid in float64) on the same texts in the same calls.

After loading and one untimed pass it prints a JSON line with RSS and the scores; then each
line read from stdin runs one timed pass and answers {"seconds", "tokenize_seconds"}, so the
caller can interleave these rounds with its own on a noisy machine; at end of input it prints
the medians. Standalone: printf '\\n\\n\\n' | bench_ort.py --model DIR --texts TEXTS.json ...
"""
import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer


def rss_mb():
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return {k: int(fields[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM")}


def plan_batches(lengths, max_tokens):
    """vigil's encode::plan_batches: longest first, grow a batch while rows x longest fits."""
    batches = []
    for i in sorted(range(len(lengths)), key=lambda i: -lengths[i]):
        if batches and (len(batches[-1]) + 1) * lengths[batches[-1][0]] <= max_tokens:
            batches[-1].append(i)
        else:
            batches.append([i])
    return batches


def softmax(x):
    e = np.exp(x - x.max())
    return e / e.sum()


def activation(config):
    """As vigil's model_dir picks it (config.json only; the bench model has no vigil.json)."""
    problem = config.get("problem_type")
    if problem == "regression":
        return lambda x: x
    if problem == "multi_label_classification" or len(config.get("id2label", {})) == 1:
        return lambda x: 1 / (1 + np.exp(-x))
    return softmax


def timed(work):
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main():
    p = argparse.ArgumentParser()
    for name, kind in [("model", Path), ("texts", Path), ("batch", int), ("max-length", int),
                       ("max-tokens", int), ("intra-threads", int)]:
        p.add_argument(f"--{name}", type=kind, required=True)
    a = p.parse_args()
    texts = json.loads(a.texts.read_text())
    chunks = [texts[i:i + a.batch] for i in range(0, len(texts), a.batch)]

    tok = Tokenizer.from_file(str(a.model / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(a.max_length)
    pad_id = next((i for t in ("[PAD]", "<pad>") if (i := tok.token_to_id(t)) is not None), 0)
    activate = activation(json.loads((a.model / "config.json").read_text()))

    options = ort.SessionOptions()
    options.intra_op_num_threads = a.intra_threads
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(str(a.model / "model.onnx"), options,
                                   providers=["CPUExecutionProvider"])
    rss_open = rss_mb()
    inputs = {i.name for i in session.get_inputs()}

    def classify(chunk):
        encodings = tok.encode_batch(chunk)
        scores = [None] * len(chunk)
        for plan in plan_batches([len(e.ids) for e in encodings], a.max_tokens):
            cols = len(encodings[plan[0]].ids)
            feed = {n: np.zeros((len(plan), cols), np.int64) for n in inputs}
            feed["input_ids"][:] = pad_id
            for row, i in enumerate(plan):
                e = encodings[i]
                feed["input_ids"][row, :len(e.ids)] = e.ids
                feed["attention_mask"][row, :len(e.ids)] = 1
                if "token_type_ids" in feed:
                    feed["token_type_ids"][row, :len(e.ids)] = e.type_ids
            logits = session.run(None, feed)[0].astype(np.float64)
            for row, i in enumerate(plan):
                scores[i] = activate(logits[row]).tolist()
        return scores

    scores = [s for c in chunks for s in classify(c)]  # the warm-up pass gives the parity scores
    print(json.dumps({"ort_version": ort.__version__, "scores": scores,
                      "rss_mb": {"after_open": rss_open, "after_run": rss_mb()}}), flush=True)
    rounds, tokenize = [], []
    for _ in sys.stdin:
        rounds.append(timed(lambda: [classify(c) for c in chunks]))
        tokenize.append(timed(lambda: [tok.encode_batch(c) for c in chunks]))
        print(json.dumps({"seconds": rounds[-1], "tokenize_seconds": tokenize[-1]}), flush=True)
    if rounds:
        print(json.dumps({"texts_per_s": len(texts) / statistics.median(rounds),
                          "tokenize_texts_per_s": len(texts) / statistics.median(tokenize)}))


if __name__ == "__main__":
    main()
