#!/usr/bin/env python3
"""Baseline for examples/bench.rs: onnxruntime-python + tokenizers doing the work of vigil on the
same inputs in the same calls.

--task sequence (default): vigil's classify (truncate at max_length, longest-first batches
  within a token budget, pad to the longest row, softmax/sigmoid in float64). --texts is a JSON
  list of texts, called --batch at a time.
--task token: the graph only of vigil's extract_spans: the same tokenising, batching and runs,
  but no decoding (python has no aggregation to compare). Its untimed pass also reports each
  text's non-O tokens (index, tag, probability), for a parity check against aggregation "none".
--task cross: vigil's rerank: --texts is {"mentions": [...], "candidates": [...]}, one call per
  mention scoring every (mention, candidate) pair (pair encoding, only_second truncation at
  max_length), the positive label's softmax probability. The untimed pass scores the first
  mention only; its scores are the parity scores. A timed pass scores the mention whose index
  its input line holds, or every mention for an empty line.

After loading and one untimed pass it prints a JSON line with RSS and the parity data; then each
line read from stdin runs one timed pass and answers {"seconds", "tokenize_seconds"}, so the
caller can interleave these rounds with its own on a noisy machine; at end of input it prints
the medians ("texts_per_s" counts texts, or mentions for cross). Standalone:
printf '\\n\\n\\n' | bench_ort.py --model DIR --texts TEXTS.json ...
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


def positive_index(labels, vigil):
    """As vigil's RerankConfig: a single label, else vigil.json's positive_label, else index 1."""
    if len(labels) == 1:
        return 0
    return labels.index(vigil["positive_label"]) if "positive_label" in vigil else 1


def timed(work):
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main():
    p = argparse.ArgumentParser()
    for name, kind in [("model", Path), ("texts", Path), ("batch", int), ("max-length", int),
                       ("max-tokens", int), ("intra-threads", int)]:
        p.add_argument(f"--{name}", type=kind, required=True)
    p.add_argument("--task", choices=["sequence", "token", "cross"], default="sequence")
    a = p.parse_args()
    data = json.loads(a.texts.read_text())

    tok = Tokenizer.from_file(str(a.model / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(a.max_length, strategy="only_second" if a.task == "cross" else "longest_first")
    pad_id = next((i for t in ("[PAD]", "<pad>") if (i := tok.token_to_id(t)) is not None), 0)
    config = json.loads((a.model / "config.json").read_text())
    labels = [config["id2label"][str(i)] for i in range(len(config.get("id2label", {})))]
    activate = activation(config)

    options = ort.SessionOptions()
    options.intra_op_num_threads = a.intra_threads
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(str(a.model / "model.onnx"), options,
                                   providers=["CPUExecutionProvider"])
    rss_open = rss_mb()
    # As vigil's Model::open: a dynamically quantised graph runs one window per run.
    alone = b"DynamicQuantize" in (a.model / "model.onnx").read_bytes()
    inputs = {i.name for i in session.get_inputs()}

    def run(encodings, decode):
        """Runs the encodings in vigil's batches; decode(row logits, encoding) -> result, or None
        to run the graph only."""
        out = [None] * len(encodings)
        lengths = [len(e.ids) for e in encodings]
        for plan in [[i] for i in range(len(lengths))] if alone else plan_batches(lengths, a.max_tokens):
            cols = len(encodings[plan[0]].ids)
            feed = {n: np.zeros((len(plan), cols), np.int64) for n in inputs}
            feed["input_ids"][:] = pad_id
            for row, i in enumerate(plan):
                e = encodings[i]
                feed["input_ids"][row, :len(e.ids)] = e.ids
                feed["attention_mask"][row, :len(e.ids)] = 1
                if "token_type_ids" in feed:
                    feed["token_type_ids"][row, :len(e.ids)] = e.type_ids
            logits = session.run(None, feed)[0]
            if decode is not None:
                for row, i in enumerate(plan):
                    out[i] = decode(logits[row].astype(np.float64), encodings[i])
        return out

    def scores(row, _):
        return activate(row).tolist()

    def non_o_tokens(row, e):
        """[index, tag, probability] of each real token whose argmax is not O."""
        found = []
        for i, special in enumerate(e.special_tokens_mask):
            probs = softmax(row[i])
            best = int(np.argmax(probs))
            if not special and labels[best] != "O":
                found.append([i, labels[best], float(probs[best])])
        return found

    if a.task == "cross":
        vigil_json = a.model / "vigil.json"
        positive = positive_index(labels, json.loads(vigil_json.read_text()) if vigil_json.exists() else {})
        candidates = data["candidates"]

        def call(mention, decode=None):
            return run(tok.encode_batch([(mention, c) for c in candidates]), decode)

        def pass_(decode=None, which=None):
            return [call(m, decode) for m in which or data["mentions"]]

        def tokenize_pass(which=None):
            return [tok.encode_batch([(m, c) for c in candidates]) for m in which or data["mentions"]]

        parity = {"scores": [s[positive] for s in call(data["mentions"][0], scores)]}
        timed_decode = scores
    else:
        chunks = [data[i:i + a.batch] for i in range(0, len(data), a.batch)]

        def pass_(decode=None, which=None):
            return [r for c in chunks for r in run(tok.encode_batch(c), decode)]

        def tokenize_pass(which=None):
            return [tok.encode_batch(c) for c in chunks]

        # The warm-up pass gives the parity data; timed token passes run the graph only.
        if a.task == "token":
            parity = {"tokens": pass_(non_o_tokens)}
            timed_decode = None
        else:
            parity = {"scores": pass_(scores)}
            timed_decode = scores

    print(json.dumps({"ort_version": ort.__version__, **parity,
                      "rss_mb": {"after_open": rss_open, "after_run": rss_mb()}}), flush=True)
    per_unit, tokenize_per_unit = [], []  # seconds per text (or mention)
    for line in sys.stdin:
        which = None
        if a.task == "cross" and line.strip():
            which = [data["mentions"][int(line)]]
        units = len(which or data["mentions"]) if a.task == "cross" else len(data)
        seconds = timed(lambda: pass_(timed_decode, which))
        tokenize_seconds = timed(lambda: tokenize_pass(which))
        per_unit.append(seconds / units)
        tokenize_per_unit.append(tokenize_seconds / units)
        print(json.dumps({"seconds": seconds, "tokenize_seconds": tokenize_seconds}), flush=True)
    if per_unit:
        print(json.dumps({"texts_per_s": 1 / statistics.median(per_unit),
                          "tokenize_texts_per_s": 1 / statistics.median(tokenize_per_unit)}))


if __name__ == "__main__":
    main()
