"""Failures surface as VigilError subclasses carrying the C error code."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys

import pytest
from support import MODELS, ROOT, open_model

import vigil


def check(error: vigil.VigilError, code: vigil.ErrorCode) -> None:
    assert error.code is code
    assert str(error).startswith(code.name + ":"), str(error)


def test_missing_model_directory_is_io(tmp_path):
    with pytest.raises(vigil.IoError) as error:
        vigil.Model(tmp_path / "no-such-model")
    check(error.value, vigil.ErrorCode.IO)
    assert "no-such-model" in str(error.value)


def test_a_broken_tokenizer_is_tokenizer_invalid(tmp_path):
    broken = tmp_path / "model"
    shutil.copytree(MODELS / "bert-cls2", broken)
    (broken / "tokenizer.json").write_text("{")
    with pytest.raises(vigil.TokenizerInvalidError) as error:
        vigil.Model(broken)
    check(error.value, vigil.ErrorCode.TOKENIZER_INVALID)


def test_blank_text_is_empty_text_naming_its_index(classifier):
    with pytest.raises(vigil.EmptyTextError) as error:
        classifier.classify(["fine text", " \t\n"])
    check(error.value, vigil.ErrorCode.EMPTY_TEXT)
    assert "text 1" in str(error.value)
    assert isinstance(error.value, ValueError)


def test_a_lone_surrogate_is_invalid_utf8(classifier):
    with pytest.raises(vigil.InvalidUtf8Error) as error:
        classifier.classify(["fine", "bad \ud800 text"])
    check(error.value, vigil.ErrorCode.INVALID_UTF8)
    assert "text 1" in str(error.value)


def test_tasks_refuse_each_others_calls(classifier, tagger, cross_encoder):
    for call in (
        lambda: tagger.classify(["rash"]),
        lambda: classifier.extract_spans(["rash"]),
        lambda: classifier.rerank("rash", ["Rash"]),
        lambda: cross_encoder.classify(["rash"]),
    ):
        with pytest.raises(vigil.TaskMismatchError) as error:
            call()
        check(error.value, vigil.ErrorCode.TASK_MISMATCH)


@pytest.mark.parametrize(
    "options",
    [{"sessions": 0}, {"max_length": 1}, {"stride": 64}, {"long_text": "sideways"}, {"intra_threads": -1},
     {"max_text_bytes": 0}, {"execution_provider": "quantum"}, {"ort_library": "bad\0path"}],
    ids=lambda o: next(iter(o)),
)
def test_invalid_options_are_invalid_argument(options):
    # The library checks some, the binding others (values C cannot carry); same error either way.
    with pytest.raises(vigil.InvalidArgumentError) as error:
        open_model("bert-cls3", **options)
    check(error.value, vigil.ErrorCode.INVALID_ARGUMENT)


def test_a_provider_not_in_this_build_is_provider_unavailable():
    with pytest.raises(vigil.ProviderUnavailableError) as error:
        open_model("bert-cls3", execution_provider="cuda")
    check(error.value, vigil.ErrorCode.PROVIDER_UNAVAILABLE)


def test_invalid_call_arguments(tagger, cross_encoder):
    with pytest.raises(vigil.InvalidArgumentError, match="aggregation"):
        tagger.extract_spans(["rash"], aggregation="mean")
    with pytest.raises(vigil.InvalidArgumentError) as error:
        cross_encoder.rerank("rash", ["Rash"], threshold=1.5)
    check(error.value, vigil.ErrorCode.INVALID_ARGUMENT)
    with pytest.raises(vigil.InvalidArgumentError, match="top_k"):
        cross_encoder.rerank("rash", ["Rash"], top_k=0)
    with pytest.raises(vigil.EmptyTextError):
        cross_encoder.rerank("  ", ["Rash"])


def test_wrong_python_types_are_type_errors(classifier, cross_encoder):
    with pytest.raises(TypeError, match="wrap it"):
        classifier.classify("a single string")
    with pytest.raises(TypeError, match="text 1 is int"):
        classifier.classify(["fine", 3])
    with pytest.raises(TypeError, match="candidate 0 is dict"):
        cross_encoder.rerank("rash", [{"pt_name": "Rash"}])


def test_errors_pickle_and_unknown_codes_stay_usable():
    error = vigil.IoError(vigil.ErrorCode.IO, "IO: gone")
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.code, str(copy)) == (vigil.IoError, vigil.ErrorCode.IO, "IO: gone")
    newer = vigil.VigilError(99, "SOMETHING_NEW: from a newer library")
    assert newer.code == 99 and str(newer).startswith("SOMETHING_NEW")


def test_a_missing_runtime_is_runtime_unavailable_then_recoverable(tmp_path):
    """In a fresh process (ONNX Runtime loads once per process) with libvigil
    alone in a folder: a wrong ort_library fails naming the path, then the
    binding's default (the checkout's runtime) works in the same process."""
    shutil.copy(ROOT / "target" / "release" / "libvigil.so", tmp_path)
    missing = tmp_path / "nowhere" / "libonnxruntime.so"
    script = f"""
import vigil
try:
    vigil.Model({str(MODELS / "bert-cls2")!r}, ort_library={str(missing)!r})
except vigil.RuntimeUnavailableError as e:
    assert e.code is vigil.ErrorCode.RUNTIME_UNAVAILABLE and {str(missing)!r} in str(e), str(e)
else:
    raise SystemExit("opened without a runtime")
with vigil.Model({str(MODELS / "bert-cls2")!r}) as model:
    print("recovered", model.classify(["rash"])[0].top_label)
"""
    env = {k: v for k, v in os.environ.items() if k not in ("VIGIL_ORT_LIBRARY", "ORT_DYLIB_PATH", "LD_LIBRARY_PATH")}
    env["VIGIL_LIBRARY"] = str(tmp_path / "libvigil.so")
    env["PYTHONPATH"] = str(ROOT / "bindings" / "python")
    run = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("recovered ")
