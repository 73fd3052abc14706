"""The C ABI through ctypes: finding libvigil, declaring its signatures and
turning returned vigil_error pointers into exceptions. Only the wrapper
modules (_model.py, _meddra.py) touch raw pointers; everything above them
sees Python objects."""

from __future__ import annotations

import ctypes
import functools
import glob
import importlib.util
import os
from pathlib import Path

from ._errors import error_for, invalid_argument

ABI_VERSION = 1  # VIGIL_ABI_VERSION this binding was written against
LIBRARY_NAME = "libvigil.so"
ORT_NAME = "libonnxruntime.so"
# bindings/python/vigil/_native.py -> the repository root, when run from a checkout.
CHECKOUT = Path(__file__).resolve().parents[3]


class Str(ctypes.Structure):
    """vigil_str. Assigning bytes to `ptr` keeps them alive with the struct."""

    _fields_ = [("ptr", ctypes.c_char_p), ("len", ctypes.c_size_t)]


def str_array(encoded: list[bytes]) -> ctypes.Array:
    return (Str * len(encoded))(*[(b, len(b)) for b in encoded])


def c_string(value: str | os.PathLike, what: str) -> bytes:
    """A path or name for a NUL-terminated C string; an embedded NUL would
    silently cut it short."""
    raw = os.fsencode(value)
    if b"\0" in raw:
        raise invalid_argument(f"{what} contains a NUL byte")
    return raw


_ERROR = object()  # marks calls that return vigil_error* (NULL on success)
_P = ctypes.c_void_p
_OUT = ctypes.POINTER(ctypes.c_void_p)
_SIZE = ctypes.c_size_t
_U32 = ctypes.c_uint32
_U32_OUT = ctypes.POINTER(ctypes.c_uint32)
_BOOL_OUT = ctypes.POINTER(ctypes.c_bool)

# name: (result, arguments). One line per C function the binding uses; a new
# family (as vigil_meddra_*) is a new block here plus its wrapper module.
SIGNATURES = {
    "vigil_version": (ctypes.c_char_p, []),
    "vigil_abi_version": (_U32, []),
    "vigil_error_code": (_U32, [_P]),
    "vigil_error_message": (ctypes.c_char_p, [_P]),
    "vigil_error_free": (None, [_P]),
    # options and model
    "vigil_options_new": (_P, []),
    "vigil_options_free": (None, [_P]),
    "vigil_options_set_ort_library": (_ERROR, [_P, ctypes.c_char_p]),
    "vigil_options_set_intra_threads": (_ERROR, [_P, _U32]),
    "vigil_options_set_sessions": (_ERROR, [_P, _U32]),
    "vigil_options_set_max_tokens_per_batch": (_ERROR, [_P, _U32]),
    "vigil_options_set_max_length": (_ERROR, [_P, _U32]),
    "vigil_options_set_long_text": (_ERROR, [_P, _U32]),
    "vigil_options_set_stride": (_ERROR, [_P, _U32]),
    "vigil_options_set_max_text_bytes": (_ERROR, [_P, _SIZE]),
    "vigil_options_set_execution_provider": (_ERROR, [_P, ctypes.c_char_p]),
    "vigil_model_open": (_ERROR, [ctypes.c_char_p, _P, _OUT]),
    "vigil_model_free": (None, [_P]),
    "vigil_model_task": (_U32, [_P]),
    "vigil_model_label_count": (_SIZE, [_P]),
    "vigil_model_label": (ctypes.c_char_p, [_P, _SIZE]),
    "vigil_model_max_length": (_U32, [_P]),
    "vigil_model_long_text": (_U32, [_P]),
    "vigil_model_stride": (_U32, [_P]),
    "vigil_model_fingerprint": (ctypes.c_char_p, [_P]),
    "vigil_model_ort_version": (ctypes.c_char_p, [_P]),
    "vigil_model_execution_provider": (ctypes.c_char_p, [_P]),
    # classify
    "vigil_model_classify": (_ERROR, [_P, ctypes.POINTER(Str), _SIZE, _OUT]),
    "vigil_classification_free": (None, [_P]),
    "vigil_classification_count": (_SIZE, [_P]),
    "vigil_classification_label_count": (_SIZE, [_P]),
    "vigil_classification_scores": (ctypes.POINTER(ctypes.c_double), [_P, _SIZE]),
    "vigil_classification_top": (_SIZE, [_P, _SIZE]),
    "vigil_classification_truncated": (ctypes.c_bool, [_P, _SIZE]),
    "vigil_classification_windows": (_U32, [_P, _SIZE]),
    # spans
    "vigil_span_options_new": (_P, []),
    "vigil_span_options_free": (None, [_P]),
    "vigil_span_options_set_aggregation": (_ERROR, [_P, _U32]),
    "vigil_span_options_set_ignore_labels": (_ERROR, [_P, ctypes.POINTER(Str), _SIZE]),
    "vigil_model_extract_spans": (_ERROR, [_P, ctypes.POINTER(Str), _SIZE, _P, _OUT]),
    "vigil_spans_free": (None, [_P]),
    "vigil_spans_text_count": (_SIZE, [_P]),
    "vigil_spans_count": (_SIZE, [_P, _SIZE]),
    "vigil_spans_windows": (_U32, [_P, _SIZE]),
    "vigil_spans_truncated": (ctypes.c_bool, [_P, _SIZE]),
    "vigil_spans_label": (ctypes.c_char_p, [_P, _SIZE, _SIZE]),
    "vigil_spans_score": (ctypes.c_double, [_P, _SIZE, _SIZE]),
    "vigil_spans_start": (_SIZE, [_P, _SIZE, _SIZE]),
    "vigil_spans_end": (_SIZE, [_P, _SIZE, _SIZE]),
    "vigil_spans_start_utf16": (_SIZE, [_P, _SIZE, _SIZE]),
    "vigil_spans_end_utf16": (_SIZE, [_P, _SIZE, _SIZE]),
    "vigil_spans_token": (ctypes.c_int64, [_P, _SIZE, _SIZE]),
    # rerank
    "vigil_candidates_new": (_P, []),
    "vigil_candidates_free": (None, [_P]),
    "vigil_candidates_add_text": (_ERROR, [_P, Str]),
    "vigil_candidates_add_meddra": (_ERROR, [_P, Str, ctypes.POINTER(Str), _SIZE, Str, Str, Str]),
    "vigil_rerank_options_new": (_P, []),
    "vigil_rerank_options_free": (None, [_P]),
    "vigil_rerank_options_set_threshold": (_ERROR, [_P, ctypes.c_double]),
    "vigil_rerank_options_set_top_k": (_ERROR, [_P, _SIZE]),
    "vigil_model_rerank": (_ERROR, [_P, Str, _P, _P, _OUT]),
    "vigil_model_rerank_texts": (_ERROR, [_P, Str, ctypes.POINTER(Str), _SIZE, _P, _OUT]),
    "vigil_ranking_free": (None, [_P]),
    "vigil_ranking_count": (_SIZE, [_P]),
    "vigil_ranking_index": (_SIZE, [_P, _SIZE]),
    "vigil_ranking_score": (ctypes.c_double, [_P, _SIZE]),
    "vigil_ranking_passes": (ctypes.c_bool, [_P, _SIZE]),
    "vigil_ranking_truncated": (ctypes.c_bool, [_P, _SIZE]),
    # MedDRA dictionary, retrieval and normalisation
    "vigil_meddra_open": (_ERROR, [ctypes.c_char_p, _U32, _OUT]),
    "vigil_meddra_free": (None, [_P]),
    "vigil_meddra_pt_count": (_SIZE, [_P]),
    "vigil_meddra_llt_count": (_SIZE, [_P]),
    "vigil_meddra_skipped_llts": (_SIZE, [_P]),
    "vigil_meddra_name": (ctypes.c_char_p, [_P, _U32]),
    "vigil_meddra_llt_pt": (_U32, [_P, _U32]),
    "vigil_meddra_primary_soc": (_U32, [_P, _U32]),
    "vigil_meddra_path_count": (_SIZE, [_P, _U32]),
    "vigil_meddra_path": (ctypes.c_bool, [_P, _U32, _SIZE, _U32_OUT, _U32_OUT, _U32_OUT, _BOOL_OUT]),
    "vigil_meddra_retrieve": (_ERROR, [_P, Str, _SIZE, _OUT]),
    "vigil_hits_free": (None, [_P]),
    "vigil_hits_count": (_SIZE, [_P]),
    "vigil_hits_pt": (_U32, [_P, _SIZE]),
    "vigil_hits_score": (ctypes.c_double, [_P, _SIZE]),
    "vigil_hits_matched_code": (_U32, [_P, _SIZE]),
    "vigil_hits_matched_name": (ctypes.c_char_p, [_P, _SIZE]),
    "vigil_hits_exact": (ctypes.c_bool, [_P, _SIZE]),
    "vigil_normalize_options_new": (_P, []),
    "vigil_normalize_options_free": (None, [_P]),
    "vigil_normalize_options_set_candidates": (_ERROR, [_P, _SIZE]),
    "vigil_normalize_options_set_threshold": (_ERROR, [_P, ctypes.c_double]),
    "vigil_normalize_options_set_top_k": (_ERROR, [_P, _SIZE]),
    "vigil_meddra_normalize": (_ERROR, [_P, _P, ctypes.POINTER(Str), _SIZE, _P, _OUT]),
    "vigil_codings_free": (None, [_P]),
    "vigil_codings_mention_count": (_SIZE, [_P]),
    "vigil_codings_count": (_SIZE, [_P, _SIZE]),
    "vigil_codings_pt": (_U32, [_P, _SIZE, _SIZE]),
    "vigil_codings_pt_name": (ctypes.c_char_p, [_P, _SIZE, _SIZE]),
    "vigil_codings_soc": (_U32, [_P, _SIZE, _SIZE]),
    "vigil_codings_score": (ctypes.c_double, [_P, _SIZE, _SIZE]),
    "vigil_codings_exact": (ctypes.c_bool, [_P, _SIZE, _SIZE]),
}


class Library:
    """One loaded libvigil: each C function is an attribute of the same name,
    and fallible ones raise VigilError instead of returning an error."""

    def __init__(self, path: str):
        self.path = path
        try:
            c = ctypes.CDLL(path)  # CDLL (not PyDLL): calls release the GIL
        except OSError as e:
            raise OSError(
                f"cannot load {path} ({e}); pass lib_path=, set VIGIL_LIBRARY, "
                "or run `cargo build --release` in the checkout"
            ) from None
        for name, (result, arguments) in SIGNATURES.items():
            function = getattr(c, name)
            function.argtypes = arguments
            if result is _ERROR:
                function.restype = ctypes.c_void_p
                function.errcheck = self._raise_error
            else:
                function.restype = result
            setattr(self, name, function)
        abi = self.vigil_abi_version()
        if abi != ABI_VERSION:
            raise OSError(f"{path} implements Vigil ABI {abi}; this binding speaks ABI {ABI_VERSION}")
        # ONNX Runtime is loaded once per process, on the first model opened;
        # after that a hint naming another file would be refused as a second runtime.
        self.runtime_loaded = False

    def _raise_error(self, error, _function, _arguments):
        if error:
            try:
                raise error_for(self.vigil_error_code(error), self.vigil_error_message(error).decode("utf-8", "replace"))
            finally:
                self.vigil_error_free(error)
        return None

    def ort_hint(self) -> bytes | None:
        """An ONNX Runtime to name when the host named none and libvigil's own
        search (VIGIL_ORT_LIBRARY, ORT_DYLIB_PATH, the folder of libvigil.so)
        would come up empty: the checkout's target/onnxruntime, else the
        onnxruntime wheel's copy if that package is installed."""
        if self.runtime_loaded or os.environ.get("VIGIL_ORT_LIBRARY") or os.environ.get("ORT_DYLIB_PATH"):
            return None
        folder = os.path.dirname(self.path)
        if not folder or os.path.exists(os.path.join(folder, ORT_NAME)):
            return None  # loaded by bare name (the loader knows where), or ORT beside it
        checkout = CHECKOUT / "target" / "onnxruntime" / ORT_NAME
        if checkout.exists():
            return os.fsencode(checkout)
        spec = importlib.util.find_spec("onnxruntime")  # finds without importing it
        for package in (spec.submodule_search_locations or []) if spec else []:
            # The versioned file, whose name tells Vigil the release.
            found = sorted(glob.glob(os.path.join(package, "capi", ORT_NAME + ".*")))
            if found:
                return os.fsencode(found[0])
        return None


def find_library(lib_path: str | os.PathLike | None = None) -> str:
    """lib_path, else $VIGIL_LIBRARY, else the checkout's
    target/release/libvigil.so, else the bare name for the system loader."""
    explicit = lib_path if lib_path is not None else os.environ.get("VIGIL_LIBRARY")
    if explicit:
        return os.path.abspath(os.fsdecode(explicit))
    checkout = CHECKOUT / "target" / "release" / LIBRARY_NAME
    return str(checkout) if checkout.is_file() else LIBRARY_NAME


@functools.lru_cache(maxsize=None)
def _load(path: str) -> Library:
    return Library(path)


def library(lib_path: str | os.PathLike | None = None) -> Library:
    """The loaded library for lib_path (see find_library), loaded once per path."""
    return _load(find_library(lib_path))
