"""Freeing in any order: results outlive their model, close() is safe
against calls in flight, and the garbage collector frees what is dropped."""

from __future__ import annotations

import ctypes
import gc
import threading

import pytest
from support import MODELS, open_model

import vigil
from vigil import _native


def test_results_outlive_a_closed_model():
    with open_model("bert-cls3") as model:
        answers = model.classify(["Rash after amoxicillin.", "Headache."])
    assert model.closed
    assert answers[0].top_label in answers[0].labels and len(answers[0].scores) == 3
    with open_model("bert-cls3") as again:
        assert again.classify(["Rash after amoxicillin.", "Headache."]) == answers


def test_close_is_idempotent_and_a_closed_model_refuses_calls():
    model = open_model("bert-cls3")
    model.close()
    model.close()
    with pytest.raises(vigil.InvalidArgumentError, match="closed"):
        model.classify(["rash"])
    assert "closed" in repr(model)


def test_the_garbage_collector_frees_a_dropped_model():
    model = open_model("bert-ner-bio")
    spans = model.extract_spans(["Rash after amoxicillin."])
    finalizer = model._finalizer
    assert finalizer.alive
    del model
    gc.collect()
    assert not finalizer.alive  # vigil_model_free has run
    assert spans[0].text == "Rash after amoxicillin."


def test_close_during_a_call_frees_after_the_call():
    model = open_model("bert-cls3")
    finalizer = model._finalizer
    entered, release = threading.Event(), threading.Event()
    seen = []

    def slow_call(pointer):
        entered.set()
        release.wait(10)
        seen.append(pointer)

    worker = threading.Thread(target=model._call, args=(slow_call,))
    worker.start()
    assert entered.wait(10)
    model.close()
    assert model.closed and finalizer.alive  # the call in flight still holds the model
    release.set()
    worker.join(10)
    assert seen and not finalizer.alive  # freed by the last call out


def test_native_results_stay_valid_after_the_native_model_is_freed():
    """The C contract the wrapper relies on, exercised raw: free the model
    first, then read and free each kind of result."""
    lib = _native.library()
    encoded = [b"Rash after amoxicillin."]
    results = {}
    for name, call in [
        ("bert-cls3", lambda m, out: lib.vigil_model_classify(m, _native.str_array(encoded), 1, out)),
        ("bert-ner-bio", lambda m, out: lib.vigil_model_extract_spans(m, _native.str_array(encoded), 1, None, out)),
        ("bert-cross-encoder", lambda m, out: lib.vigil_model_rerank_texts(
            m, _native.Str(b"rash", 4), _native.str_array([b"Rash", b"Nausea"]), 2, None, out)),
    ]:
        # A Model first, so ONNX Runtime is loaded the way the binding finds it.
        open_model(name).close()
        model, out = ctypes.c_void_p(), ctypes.c_void_p()
        lib.vigil_model_open(str(MODELS / name).encode(), None, ctypes.byref(model))
        call(model, ctypes.byref(out))
        lib.vigil_model_free(model)
        results[name] = out.value
    try:
        classification = results["bert-cls3"]
        assert lib.vigil_classification_count(classification) == 1
        assert sum(lib.vigil_classification_scores(classification, 0)[:3]) == pytest.approx(1.0)
        spans = results["bert-ner-bio"]
        assert lib.vigil_spans_text_count(spans) == 1 and lib.vigil_spans_count(spans, 0) > 0
        assert lib.vigil_spans_label(spans, 0, 0) in (b"ADR", b"DRUG")
        ranking = results["bert-cross-encoder"]
        assert lib.vigil_ranking_count(ranking) == 2
        assert {lib.vigil_ranking_index(ranking, i) for i in range(2)} == {0, 1}
    finally:
        lib.vigil_classification_free(results["bert-cls3"])
        lib.vigil_spans_free(results["bert-ner-bio"])
        lib.vigil_ranking_free(results["bert-cross-encoder"])
