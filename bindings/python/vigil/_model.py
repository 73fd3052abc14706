"""Model: open a model directory and run it. Each result is copied into
Python objects and freed before the call returns, so hosts never see the C
ownership rules. Also the helpers that turn Python values into C arguments,
which the MedDRA wrapper (_meddra.py) shares."""

from __future__ import annotations

import ctypes
import dataclasses
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Sequence

from . import _native
from ._errors import invalid_argument
from ._handle import Handle
from ._native import Str, c_string, str_array
from ._types import (
    Aggregation,
    Classification,
    LongText,
    MeddraRecord,
    RankedCandidate,
    Span,
    Task,
    TextSpans,
)

# The C enums (VIGIL_TASK_*, VIGIL_LONG_TEXT_*, VIGIL_AGGREGATION_*).
_TASKS = {1: Task.SEQUENCE_CLASSIFICATION, 2: Task.TOKEN_CLASSIFICATION, 3: Task.CROSS_ENCODER}
_LONG_TEXT = {LongText.TRUNCATE: 1, LongText.WINDOW_MEAN: 2, LongText.WINDOW_MAX: 3}
_LONG_TEXT_BY_CODE = {code: policy for policy, code in _LONG_TEXT.items()}
_AGGREGATION = {
    Aggregation.NONE: 1,
    Aggregation.SIMPLE: 2,
    Aggregation.FIRST: 3,
    Aggregation.AVERAGE: 4,
    Aggregation.MAX: 5,
}


def _choice(kind: type, codes: dict, name: str) -> Callable[[Any], int]:
    def convert(value: Any) -> int:
        try:
            return codes[kind(value)]
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in kind)
            raise invalid_argument(f"{name} must be one of {allowed}, not {value!r}") from None

    return convert


def _unsigned(bits: int, name: str) -> Callable[[Any], int]:
    # ctypes would silently wrap -1 to 2**bits - 1.
    def convert(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 1 << bits:
            raise invalid_argument(f"{name} must be an integer in [0, 2**{bits}), not {value!r}")
        return value

    return convert


def _top_k(value: Any) -> int:
    # The C ABI reads 0 as "keep all", which None already says.
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise invalid_argument(f"top_k must be a positive integer or None (keep all), not {value!r}")
    return value


def _option(setter: str, convert: Callable[[Any], Any]) -> Any:
    return field(default=None, metadata={"setter": setter, "convert": convert})


@dataclass(frozen=True)
class _Options:
    """Model's keyword options; None keeps the library's default."""

    ort_library: str | os.PathLike | None = _option(
        "vigil_options_set_ort_library", lambda v: c_string(v, "ort_library")
    )
    intra_threads: int | None = _option("vigil_options_set_intra_threads", _unsigned(32, "intra_threads"))
    sessions: int | None = _option("vigil_options_set_sessions", _unsigned(32, "sessions"))
    max_tokens_per_batch: int | None = _option(
        "vigil_options_set_max_tokens_per_batch", _unsigned(32, "max_tokens_per_batch")
    )
    max_length: int | None = _option("vigil_options_set_max_length", _unsigned(32, "max_length"))
    long_text: LongText | str | None = _option(
        "vigil_options_set_long_text", _choice(LongText, _LONG_TEXT, "long_text")
    )
    stride: int | None = _option("vigil_options_set_stride", _unsigned(32, "stride"))
    max_text_bytes: int | None = _option("vigil_options_set_max_text_bytes", _unsigned(64, "max_text_bytes"))
    execution_provider: str | None = _option(
        "vigil_options_set_execution_provider", lambda v: c_string(v, "execution_provider")
    )


@contextmanager
def _owned(pointer: int | None, free: Callable[[Any], None]) -> Iterator[int | None]:
    """A native object freed when the block ends, whatever happens in it."""
    try:
        yield pointer
    finally:
        free(pointer)


def _as_list(values: Iterable[Any], what: str) -> list[Any]:
    # A bare str is a sequence too: classify("rash") would classify each letter.
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{what} must be a sequence, not a single {type(values).__name__}; wrap it as [value]")
    return list(values)


def _encode_all(values: Iterable[str], item: str) -> list[bytes]:
    """UTF-8 copies of a sequence of str, errors naming the item ("text 3")."""
    return [_encode(value, f"{item} {i}") for i, value in enumerate(_as_list(values, f"{item}s"))]


def _encode(value: str, what: str) -> bytes:
    if not isinstance(value, str):
        raise TypeError(f"{what} is {type(value).__name__}, not str")
    # surrogatepass: a lone surrogate reaches Vigil, which refuses it as
    # INVALID_UTF8 naming the text, instead of a UnicodeEncodeError here.
    return value.encode("utf-8", "surrogatepass")


def _str(value: str | None, what: str) -> Str:
    if value is None:
        return Str(None, 0)
    encoded = _encode(value, what)
    return Str(encoded, len(encoded))


def _str_indices(data: bytes, offsets: set[int]) -> dict[int, int]:
    """Python str index of each UTF-8 byte offset into `data`, decoding each
    stretch between consecutive offsets once."""
    indices, byte, index = {}, 0, 0
    for offset in sorted(offsets):
        index += len(data[byte:offset].decode("utf-8"))
        indices[offset] = index
        byte = offset
    return indices


class Model(Handle):
    """An open model directory (model.onnx, config.json, tokenizer.json,
    optional tokenizer_config.json and vigil.json).

    Keyword options, each defaulting to the library's choice: ort_library
    (path to libonnxruntime.so), intra_threads, sessions (calls that may run
    the graph at once), max_tokens_per_batch, max_length (cap below the
    model's), long_text ("truncate", "window_mean", "window_max"), stride,
    max_text_bytes, execution_provider ("cpu"). lib_path names libvigil.so
    (default: $VIGIL_LIBRARY, the checkout's target/release, the loader).

    Use as a context manager or call close(); an unreachable model is freed by
    the garbage collector. One Model may be shared by any number of threads.
    Results are plain Python values and stay valid after close().
    """

    def __init__(self, path: str | os.PathLike, *, lib_path: str | os.PathLike | None = None, **options: Any):
        unknown = sorted(options.keys() - {f.name for f in dataclasses.fields(_Options)})
        if unknown:
            raise TypeError(f"unknown Model option(s): {', '.join(unknown)}")
        settings = _Options(**options)
        lib = _native.library(lib_path)
        out = ctypes.c_void_p()
        with _owned(lib.vigil_options_new(), lib.vigil_options_free) as native:
            for option in dataclasses.fields(settings):
                value = getattr(settings, option.name)
                if value is not None:
                    getattr(lib, option.metadata["setter"])(native, option.metadata["convert"](value))
            if settings.ort_library is None and (hint := lib.ort_hint()) is not None:
                lib.vigil_options_set_ort_library(native, hint)
            lib.vigil_model_open(c_string(path, "path"), native, ctypes.byref(out))
        lib.runtime_loaded = True
        pointer = out.value
        super().__init__(pointer, lib.vigil_model_free, "model")
        self._lib = lib

        self._path = os.fspath(path)
        code = lib.vigil_model_task(pointer)
        self._task = _TASKS.get(code, code)
        self._labels = tuple(
            lib.vigil_model_label(pointer, i).decode() for i in range(lib.vigil_model_label_count(pointer))
        )
        self._max_length = lib.vigil_model_max_length(pointer)
        self._long_text = _LONG_TEXT_BY_CODE[lib.vigil_model_long_text(pointer)]
        self._stride = lib.vigil_model_stride(pointer)
        self._fingerprint = lib.vigil_model_fingerprint(pointer).decode()
        self._ort_version = lib.vigil_model_ort_version(pointer).decode()
        self._execution_provider = lib.vigil_model_execution_provider(pointer).decode()

    # What the model is: read once at open, so still readable after close().

    @property
    def path(self) -> str:
        return self._path

    @property
    def task(self) -> Task | int:
        """Which calls the model answers (an int for a task newer than this binding)."""
        return self._task

    @property
    def labels(self) -> tuple[str, ...]:
        """Label names in label-id order: the order of Classification.scores."""
        return self._labels

    @property
    def max_length(self) -> int:
        """Tokens per sequence (window), after the max_length option's cap."""
        return self._max_length

    @property
    def long_text(self) -> LongText:
        return self._long_text

    @property
    def stride(self) -> int:
        """Tokens shared by consecutive windows."""
        return self._stride

    @property
    def fingerprint(self) -> str:
        """The "sha256:<hex>" digest of the directory's files, for audit trails."""
        return self._fingerprint

    @property
    def ort_version(self) -> str:
        """The ONNX Runtime in use, e.g. "1.31.1 (git 6af1a93)"."""
        return self._ort_version

    @property
    def execution_provider(self) -> str:
        return self._execution_provider

    def __repr__(self) -> str:
        state = "closed" if self.closed else f"{len(self.labels)} labels"
        return f"<vigil.Model {self.path!r} {getattr(self.task, 'value', self.task)}, {state}>"

    # Tasks

    def classify(self, texts: Sequence[str]) -> list[Classification]:
        """Scores each text (sequence-classification models); input order kept."""
        lib = self._lib
        encoded = _encode_all(texts, "text")
        out = ctypes.c_void_p()
        self._call(lib.vigil_model_classify, str_array(encoded), len(encoded), ctypes.byref(out))
        with _owned(out.value, lib.vigil_classification_free) as result:
            n_labels = lib.vigil_classification_label_count(result)
            labels = self.labels
            return [
                Classification(
                    labels=labels,
                    scores=tuple(lib.vigil_classification_scores(result, i)[:n_labels]),
                    top_label=labels[lib.vigil_classification_top(result, i)],
                    truncated=lib.vigil_classification_truncated(result, i),
                    windows=lib.vigil_classification_windows(result, i),
                )
                for i in range(len(encoded))
            ]

    def extract_spans(
        self,
        texts: Sequence[str],
        aggregation: Aggregation | str = Aggregation.SIMPLE,
        ignore_labels: Sequence[str] = ("O",),
    ) -> list[TextSpans]:
        """Entities in each text (token-classification models), with the
        semantics of transformers' pipeline for `aggregation`. `ignore_labels`
        are entity groups (full tags under "none"); () keeps everything."""
        lib = self._lib
        texts = _as_list(texts, "texts")
        encoded = _encode_all(texts, "text")
        ignored = _encode_all(ignore_labels, "ignore label")
        aggregation_code = _choice(Aggregation, _AGGREGATION, "aggregation")(aggregation)
        out = ctypes.c_void_p()
        with _owned(lib.vigil_span_options_new(), lib.vigil_span_options_free) as options:
            lib.vigil_span_options_set_aggregation(options, aggregation_code)
            lib.vigil_span_options_set_ignore_labels(options, str_array(ignored), len(ignored))
            self._call(lib.vigil_model_extract_spans, str_array(encoded), len(encoded), options, ctypes.byref(out))
        with _owned(out.value, lib.vigil_spans_free) as result:
            return [self._text_spans(result, i, text, data) for i, (text, data) in enumerate(zip(texts, encoded))]

    def _text_spans(self, result: int, i: int, text: str, data: bytes) -> TextSpans:
        lib = self._lib
        raw = [
            (
                lib.vigil_spans_label(result, i, j).decode(),
                lib.vigil_spans_score(result, i, j),
                lib.vigil_spans_start(result, i, j),
                lib.vigil_spans_end(result, i, j),
                lib.vigil_spans_start_utf16(result, i, j),
                lib.vigil_spans_end_utf16(result, i, j),
                lib.vigil_spans_token(result, i, j),
            )
            for j in range(lib.vigil_spans_count(result, i))
        ]
        # ASCII text: bytes, UTF-16 units and code points coincide.
        index = None if text.isascii() else _str_indices(data, {o for r in raw for o in r[2:4]})
        spans = []
        for label, score, start8, end8, start16, end16, token in raw:
            start, end = (start8, end8) if index is None else (index[start8], index[end8])
            spans.append(
                Span(label, score, start, end, text[start:end], start8, end8, start16, end16,
                     None if token < 0 else token)
            )
        return TextSpans(text, tuple(spans), lib.vigil_spans_truncated(result, i), lib.vigil_spans_windows(result, i))

    def rerank(
        self,
        mention: str,
        candidates: Sequence[str | MeddraRecord],
        *,
        threshold: float | None = None,
        top_k: int | None = None,
    ) -> list[RankedCandidate]:
        """Scores (mention, candidate) pairs with a cross-encoder, best first
        (ties keep input order). `threshold` overrides the model's (vigil.json,
        else 0.5) for `passes`; `top_k` keeps only the best k."""
        lib = self._lib
        candidates = _as_list(candidates, "candidates")
        top_k = None if top_k is None else _top_k(top_k)
        mention_str = _str(mention, "mention")
        out = ctypes.c_void_p()
        options = lib.vigil_rerank_options_new() if threshold is not None or top_k is not None else None
        with _owned(options, lib.vigil_rerank_options_free):
            if threshold is not None:
                lib.vigil_rerank_options_set_threshold(options, float(threshold))
            if top_k is not None:
                lib.vigil_rerank_options_set_top_k(options, top_k)
            if all(isinstance(c, str) for c in candidates):
                texts = _encode_all(candidates, "candidate")
                self._call(lib.vigil_model_rerank_texts, mention_str, str_array(texts), len(texts), options,
                           ctypes.byref(out))
            else:
                with _owned(self._candidate_list(candidates), lib.vigil_candidates_free) as native:
                    self._call(lib.vigil_model_rerank, mention_str, native, options, ctypes.byref(out))
        with _owned(out.value, lib.vigil_ranking_free) as ranking:
            ranked = []
            for i in range(lib.vigil_ranking_count(ranking)):
                index = lib.vigil_ranking_index(ranking, i)
                ranked.append(RankedCandidate(
                    index=index,
                    candidate=candidates[index],
                    score=lib.vigil_ranking_score(ranking, i),
                    passes=lib.vigil_ranking_passes(ranking, i),
                    truncated=lib.vigil_ranking_truncated(ranking, i),
                ))
            return ranked

    def _candidate_list(self, candidates: list[str | MeddraRecord]) -> int:
        """A native vigil_candidates holding texts and MedDRA records, in order."""
        lib = self._lib
        native = lib.vigil_candidates_new()
        try:
            for i, candidate in enumerate(candidates):
                what = f"candidate {i}"
                if isinstance(candidate, str):
                    lib.vigil_candidates_add_text(native, _str(candidate, what))
                elif isinstance(candidate, MeddraRecord):
                    llts = _encode_all(candidate.llt_names, f"{what} LLT name")
                    lib.vigil_candidates_add_meddra(
                        native, _str(candidate.pt_name, f"{what} pt_name"), str_array(llts), len(llts),
                        _str(candidate.hlt_name, f"{what} hlt_name"), _str(candidate.hlgt_name, f"{what} hlgt_name"),
                        _str(candidate.soc_name, f"{what} soc_name"),
                    )
                else:
                    raise TypeError(f"{what} is {type(candidate).__name__}, expected str or MeddraRecord")
        except BaseException:
            lib.vigil_candidates_free(native)
            raise
        return native
