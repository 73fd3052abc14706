#!/usr/bin/env python3
"""Generate Vigil's cross-encoder fixtures (tiny random BERTs used on text pairs) and the
transformers references for reranking: AutoModelForSequenceClassification on
tokenizer(mention, candidate_text, truncation="only_second").

Run from the repository root, in a venv made from tools/requirements-fixtures.txt:
    python tools/make_rerank_fixture.py
"""
import json
import shutil

import numpy as np
import tokenizers
import torch
import transformers
from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification, BertTokenizer

from make_fixtures import FIXTURES, INIT_RANGE, ROOT, SEED, export_onnx, ort_max_diff, small_vocab

MAX_LEN = 64

# Invented MedDRA-like records (not MedDRA content): some fields missing on purpose.
RECORDS = [
    {"pt_code": "90000001", "pt_name": "Rash", "llt_names": ["Skin rash", "Rash generalised", "Eruption cutaneous"],
     "hlt_name": "Rashes, eruptions and exanthems NEC", "hlgt_name": "Epidermal and dermal conditions",
     "soc_name": "Skin and subcutaneous tissue disorders"},
    {"pt_code": "90000002", "pt_name": "Tachycardia", "llt_names": ["Heart racing", "Rapid heart beat", "Pulse fast"],
     "hlt_name": "Rate and rhythm disorders NEC", "hlgt_name": "Cardiac arrhythmias", "soc_name": "Cardiac disorders"},
    {"pt_code": "90000003", "pt_name": "Hepatic enzyme increased", "llt_names": ["LFTs raised", "Liver enzymes elevated"],
     "hlt_name": None, "hlgt_name": "Hepatobiliary investigations", "soc_name": "Investigations"},
    {"pt_code": "90000004", "pt_name": "Nausea", "llt_names": [], "hlt_name": "Nausea and vomiting symptoms",
     "hlgt_name": None, "soc_name": "Gastrointestinal disorders"},
    {"pt_code": "90000005", "pt_name": "Headache", "llt_names": [f"Head pain variant {i}" for i in range(11)],
     "hlt_name": "Headaches NEC", "hlgt_name": "Headaches", "soc_name": "Nervous system disorders"},
    {"pt_code": "90000006", "pt_name": "Dizziness", "llt_names": ["  ", "Giddiness"], "hlt_name": "",
     "hlgt_name": "", "soc_name": ""},
    {"pt_code": "90000007", "pt_name": "Anaphylactic reaction", "llt_names": ["Anaphylaxis"],
     "hlt_name": "Anaphylactic responses", "hlgt_name": "Allergic conditions", "soc_name": "Immune system disorders"},
    {"pt_code": "90000008", "pt_name": "Fatigue", "llt_names": ["Tiredness", "Exhaustion"], "hlt_name": "Asthenic conditions",
     "hlgt_name": "General system disorders NEC", "soc_name": "General disorders and administration site conditions"},
]
PLAIN_CANDIDATES = ["Rash", "Heart racing", "Liver enzymes elevated", "Nausea", "Headache", "Giddiness"]
MENTIONS = [
    "felt my heart racing",
    "LFTs went through the roof",
    "itchy red rash all over",
    "皮疹",
    "very tired and dizzy after the second dose",
    # Longer than MAX_LEN on its own: no room for any candidate under only_second.
    "the patient reported " + "a persistent and worsening headache " * 12,
]

# Two templates: mention2meddra's "full" (the default when vigil.json names none), and an
# English one declared in vigil.json, to test that the directory's template is the one used.
M2M_FULL = {"pt": "PT: ", "llt": "LLT别名: ", "hlt": "HLT: ", "hlgt": "HLGT: ", "soc": "SOC: ",
            "alias_separator": " | ", "part_separator": "；", "max_llts": 8}
ENGLISH = {"pt": "term: ", "llt": "also: ", "hlt": "group: ", "hlgt": "", "soc": "organ: ",
           "alias_separator": ", ", "part_separator": " / ", "max_llts": 3}
MODELS = {
    # name: (labels, vigil.json)
    "bert-cross-encoder": (["no_match", "match"], {"task": "cross_encoder", "positive_label": "match", "threshold": 0.3}),
    "bert-cross-encoder-1logit": (["match"], {"task": "cross_encoder", "threshold": 0.5, "template": ENGLISH}),
}


def clean(value):
    return str(value).strip() if value is not None else ""


def render(record, t):
    """mention2meddra templates.render_candidate_text('full'), with its labels and separators
    as parameters; an empty label drops that part."""
    llts = [clean(x) for x in record.get("llt_names") or [] if clean(x)][: t["max_llts"]]
    parts = [t["pt"] + clean(record.get("pt_name"))]
    if llts and t["llt"]:
        parts.append(t["llt"] + t["alias_separator"].join(llts))
    for key in ("hlt", "hlgt", "soc"):
        if clean(record.get(key + "_name")) and t[key]:
            parts.append(t[key] + clean(record.get(key + "_name")))
    return t["part_separator"].join(parts)


def build(name, index, vocab):
    labels, vigil = MODELS[name]
    torch.manual_seed(SEED + 100 + index)
    config = BertConfig(
        vocab_size=len(vocab), max_position_embeddings=MAX_LEN, pad_token_id=0, hidden_size=32, num_hidden_layers=2,
        num_attention_heads=2, intermediate_size=64, id2label=dict(enumerate(labels)),
        label2id={l: i for i, l in enumerate(labels)}, initializer_range=INIT_RANGE,
    )
    model = BertForSequenceClassification(config).eval()
    config.architectures = [type(model).__name__]
    out = FIXTURES / "models" / name
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    BertTokenizer(vocab=vocab, do_lower_case=True, model_max_length=MAX_LEN).save_pretrained(out)
    (out / "vigil.json").write_text(json.dumps(vigil, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tok = AutoTokenizer.from_pretrained(out)
    template = vigil.get("template", M2M_FULL)
    pairs = [(m, render(r, template)) for m in MENTIONS[:-1] for r in RECORDS]
    enc = tok([p[0] for p in pairs], [p[1] for p in pairs], truncation="only_second", max_length=MAX_LEN,
              padding=True, return_tensors="pt")
    # Widen and centre the head on the reference pairs so scores spread across the threshold.
    with torch.no_grad():
        model.classifier.weight.normal_(0.0, 1.0)
        model.classifier.bias.zero_()
        model.classifier.bias.copy_(-model(**enc).logits.mean(dim=0))
    config.save_pretrained(out)
    export_onnx(model, out / "model.onnx")
    return model, tok, template, ort_max_diff(model, out / "model.onnx", enc)


def score(model, tok, mention, texts):
    enc = tok([mention] * len(texts), texts, truncation="only_second", max_length=MAX_LEN, padding=True,
              return_tensors="pt")
    with torch.no_grad():
        logits = model(**enc).logits.double()
    if model.config.num_labels == 1:
        return torch.sigmoid(logits[:, 0]).tolist()
    return torch.softmax(logits, dim=-1)[:, model.config.label2id["match"]].tolist()


def main():
    vocab = small_vocab()
    cases = []
    for index, name in enumerate(MODELS):
        model, tok, template, diff = build(name, index, vocab)
        for mention in MENTIONS[:-1]:
            rendered = [render(r, template) for r in RECORDS]
            cases.append({"model": name, "mention": mention, "records": RECORDS, "rendered": rendered,
                          "scores": score(model, tok, mention, rendered)})
            cases.append({"model": name, "mention": mention, "plain": PLAIN_CANDIDATES,
                          "scores": score(model, tok, mention, PLAIN_CANDIDATES)})
        all_scores = np.array([s for c in cases if c["model"] == name for s in c["scores"]])
        threshold = MODELS[name][1]["threshold"]
        assert all_scores.min() < threshold < all_scores.max(), f"{name}: scores all on one side of {threshold}"
        print(f"{name}: max |ORT - torch| = {diff:.3g}, scores {all_scores.min():.3f}..{all_scores.max():.3f}")
    reference = {
        "generator": {"torch": torch.__version__, "transformers": transformers.__version__,
                      "tokenizers": tokenizers.__version__, "script": "tools/make_rerank_fixture.py"},
        "max_length": MAX_LEN,
        "long_mention": MENTIONS[-1],
        "cases": cases,
    }
    path = FIXTURES / "reference" / "rerank.json"
    path.write_text(json.dumps(reference, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
