"""Every C entry point as Python sees it: version, options, model info,
span options, rerank options and candidates, and str offsets."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re

import pytest
from support import MODELS, ROOT, open_model

import vigil
from vigil import _native

LONG = "Rash and fever after amoxicillin, then jaundice and raised liver enzymes. " * 12


def header_define(name: str) -> int:
    text = (ROOT / "include" / "vigil.h").read_text()
    return int(re.search(rf"#define {name} (\d+)", text).group(1))


def test_version_and_abi_match_the_header():
    expected = ".".join(str(header_define(f"VIGIL_VERSION_{p}")) for p in ("MAJOR", "MINOR", "PATCH"))
    assert vigil.version() == expected
    assert _native.library().vigil_abi_version() == vigil.ABI_VERSION == header_define("VIGIL_ABI_VERSION")


def fingerprint(directory) -> str:
    """The documented recipe: sha256 over a sha256sum-style manifest."""
    names = ["model.onnx", "config.json", "tokenizer.json", "tokenizer_config.json", "vigil.json"]
    manifest = "".join(
        f"{hashlib.sha256((directory / n).read_bytes()).hexdigest()}  {n}\n" for n in names if (directory / n).exists()
    )
    return "sha256:" + hashlib.sha256(manifest.encode()).hexdigest()


def test_classifier_info(classifier):
    assert classifier.task is vigil.Task.SEQUENCE_CLASSIFICATION
    assert classifier.labels == ("DLT", "Serious", "Non-serious")
    assert classifier.max_length == 64
    assert classifier.long_text is vigil.LongText.WINDOW_MAX  # the default without vigil.json
    assert classifier.stride == 16  # a quarter of max_length
    assert classifier.fingerprint == fingerprint(MODELS / "bert-cls3")
    assert re.fullmatch(r"\d+\.\d+\.\d+ \(git [0-9a-f]+\)", classifier.ort_version), classifier.ort_version
    assert classifier.execution_provider == "cpu"
    assert "bert-cls3" in repr(classifier) and "3 labels" in repr(classifier)


def test_tagger_and_cross_encoder_info(tagger, cross_encoder):
    assert tagger.task is vigil.Task.TOKEN_CLASSIFICATION
    assert tagger.labels == ("O", "B-ADR", "I-ADR", "B-DRUG", "I-DRUG")
    assert cross_encoder.task is vigil.Task.CROSS_ENCODER
    assert cross_encoder.labels == ("no_match", "match")
    assert cross_encoder.fingerprint == fingerprint(MODELS / "bert-cross-encoder")  # vigil.json counted


def test_max_length_long_text_and_stride_options_take_effect(classifier):
    with open_model("bert-cls3", max_length=32) as short:
        assert (short.max_length, short.stride) == (32, 8)
        assert short.classify([LONG])[0].windows > classifier.classify([LONG])[0].windows
    for policy in vigil.LongText:
        with open_model("bert-cls3", long_text=policy.value, stride=4) as model:
            assert (model.long_text, model.stride) == (policy, 4)
    with open_model("bert-cls3", long_text=vigil.LongText.TRUNCATE) as truncating:
        answer = truncating.classify([LONG])[0]
        assert (answer.truncated, answer.windows) == (True, 1)


def test_tuning_options_leave_the_scores_unchanged(classifier):
    texts = ["Rash after amoxicillin.", LONG, "Headache on day three."]
    baseline = classifier.classify(texts)
    with open_model(
        "bert-cls3", intra_threads=1, sessions=2, max_tokens_per_batch=64, max_text_bytes=1 << 20,
        execution_provider="cpu",
    ) as tuned:
        for a, b in zip(baseline, tuned.classify(texts)):
            assert a.scores == pytest.approx(b.scores, abs=1e-6)
            assert (a.top_label, a.windows) == (b.top_label, b.windows)


def test_max_text_bytes_refuses_longer_texts():
    with open_model("bert-cls3", max_text_bytes=40) as model:
        assert model.classify(["Rash after amoxicillin."])[0].top_label in model.labels
        with pytest.raises(vigil.InputTooLargeError) as error:
            model.classify(["Rash after amoxicillin.", LONG])
        assert error.value.code is vigil.ErrorCode.INPUT_TOO_LARGE


def test_ort_library_option_names_the_one_runtime_of_the_process():
    loaded = os.environ.get("VIGIL_ORT_LIBRARY") or ROOT / "target" / "onnxruntime" / "libonnxruntime.so"
    with open_model("bert-cls2", ort_library=loaded) as model:
        assert model.ort_version
    with pytest.raises(vigil.RuntimeUnavailableError, match="already loaded"):
        open_model("bert-cls2", ort_library="/nonexistent/libonnxruntime.so")


def test_unknown_options_are_a_type_error():
    with pytest.raises(TypeError, match="max_lenght"):
        open_model("bert-cls3", max_lenght=32)


def test_empty_batches_give_empty_results(classifier, tagger, cross_encoder):
    assert classifier.classify([]) == []
    assert tagger.extract_spans([]) == []
    assert cross_encoder.rerank("rash", []) == []


def test_classification_values(classifier):
    answer = classifier.classify(["Rash after amoxicillin."])[0]
    assert list(answer.as_dict()) == list(classifier.labels)
    assert answer.top_label == max(answer.as_dict().items(), key=lambda kv: kv[1])[0]
    assert sum(answer.scores) == pytest.approx(1.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        answer.top_label = "DLT"


SPAN_TEXTS = [
    "😷 rash and 🤢 nausea after ibuprofen",
    "Cafe\u0301ine-induced tachycardia needed me\u0301dical care",
    "服用阿莫西林后出现皮疹 and rash 💊",
]


@pytest.mark.parametrize("aggregation", list(vigil.Aggregation))
def test_every_aggregation_gives_str_offsets(tagger, aggregation):
    got = tagger.extract_spans(SPAN_TEXTS, aggregation=aggregation, ignore_labels=())
    assert sum(len(t) for t in got) > 10
    for text, spans in zip(SPAN_TEXTS, got):
        utf16 = text.encode("utf-16-le")
        for span in spans:
            assert span.text == text[span.start:span.end] != ""
            assert utf16[2 * span.start_utf16:2 * span.end_utf16].decode("utf-16-le") == span.text
            assert (span.token is None) == (aggregation is not vigil.Aggregation.NONE)


def test_ignore_labels(tagger):
    kept = tagger.extract_spans(SPAN_TEXTS, aggregation="none", ignore_labels=())
    assert any(s.label == "O" for t in kept for s in t)
    default = tagger.extract_spans(SPAN_TEXTS, aggregation="none")
    assert not any(s.label == "O" for t in default for s in t)
    assert [s for t in default for s in t] == [s for t in kept for s in t if s.label != "O"]
    no_adr = tagger.extract_spans(SPAN_TEXTS, ignore_labels=("O", "ADR"))
    assert {s.label for t in no_adr for s in t} == {"DRUG"}


CANDIDATES = ["Rash", "Nausea", "Rash", "Headache", "Rash"]


def test_rerank_threshold_and_top_k(cross_encoder):
    ranked = cross_encoder.rerank("itchy red rash", CANDIDATES)
    assert [r.index for r in ranked if r.candidate == "Rash"] == [0, 2, 4]  # ties keep input order
    assert all(r.passes == (r.score >= 0.3) for r in ranked)  # vigil.json's threshold
    assert any(r.passes for r in ranked) and not all(r.passes for r in ranked)
    assert cross_encoder.rerank("itchy red rash", CANDIDATES, top_k=2) == ranked[:2]
    assert not any(r.passes for r in cross_encoder.rerank("itchy red rash", CANDIDATES, threshold=1.0))
    assert all(r.passes for r in cross_encoder.rerank("itchy red rash", CANDIDATES, threshold=0.0))


def test_rerank_mixes_texts_and_meddra_records(cross_encoder):
    record = vigil.MeddraRecord(
        "Tachycardia", ["Heart racing", "Pulse fast"], hlt_name="Rate and rhythm disorders NEC", soc_name="Cardiac disorders",
        pt_code="10043071",
    )
    bare = vigil.MeddraRecord("Nausea")
    mixed = cross_encoder.rerank("felt my heart racing", ["Palpitations", record, bare])
    by_index = {r.index: r for r in mixed}
    texts_only = cross_encoder.rerank("felt my heart racing", ["Palpitations"])
    records_only = cross_encoder.rerank("felt my heart racing", [record, bare])
    assert by_index[0].score == pytest.approx(texts_only[0].score, abs=1e-9)
    assert by_index[1].score == pytest.approx(records_only[[r.index for r in records_only].index(0)].score, abs=1e-9)
    assert by_index[1].candidate is record
    # A record renders its hierarchy, so it scores differently from its bare PT name.
    assert by_index[1].score != pytest.approx(cross_encoder.rerank("felt my heart racing", ["Tachycardia"])[0].score)
