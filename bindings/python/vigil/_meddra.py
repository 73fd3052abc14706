"""Meddra: a loaded MedDRA release, its lookups, BM25 retrieval and
end-to-end normalisation with a cross-encoder Model. As in _model.py, each
native result is copied into Python values and freed before the call returns."""

from __future__ import annotations

import ctypes
import os
from typing import Sequence

from . import _native
from ._errors import invalid_argument
from ._handle import Handle
from ._model import Model, _as_list, _encode_all, _owned, _str, _top_k, _unsigned
from ._native import c_string, str_array
from ._types import Coding, Hit, MentionCodings, SocPath

_INCLUDE_NONCURRENT = 1  # VIGIL_MEDDRA_INCLUDE_NONCURRENT
# MedDRA codes are 8 digits; the check stops ctypes wrapping a negative or
# oversized int onto some other term's code.
_code = _unsigned(32, "code")


class Meddra(Handle):
    """A MedDRA release: the `$`-separated ASCII files (llt.asc, pt.asc,
    hlt.asc, ..., mdhier.asc) of one language's directory, indexed for retrieval.

    include_noncurrent keeps the LLTs a release flags non-current (left out by
    default). lib_path names libvigil.so, as for Model.

    Immutable once open: one Meddra may be shared by any number of threads.
    Use as a context manager or call close(); an unreachable one is freed by
    the garbage collector. Results are plain Python values and stay valid
    after close(). Term codes are ints; lookups give None for an unknown code.
    """

    def __init__(
        self,
        path: str | os.PathLike,
        *,
        include_noncurrent: bool = False,
        lib_path: str | os.PathLike | None = None,
    ):
        lib = _native.library(lib_path)
        out = ctypes.c_void_p()
        flags = _INCLUDE_NONCURRENT if include_noncurrent else 0
        lib.vigil_meddra_open(c_string(path, "path"), flags, ctypes.byref(out))
        pointer = out.value
        super().__init__(pointer, lib.vigil_meddra_free, "dictionary")
        self._lib = lib
        self._path = os.fspath(path)
        self._include_noncurrent = bool(include_noncurrent)
        # What the release holds: read once at open, so still readable after close().
        self._pt_count = lib.vigil_meddra_pt_count(pointer)
        self._llt_count = lib.vigil_meddra_llt_count(pointer)
        self._skipped_llts = lib.vigil_meddra_skipped_llts(pointer)

    @property
    def path(self) -> str:
        return self._path

    @property
    def include_noncurrent(self) -> bool:
        return self._include_noncurrent

    @property
    def pt_count(self) -> int:
        return self._pt_count

    @property
    def llt_count(self) -> int:
        """LLTs kept (the current ones unless include_noncurrent)."""
        return self._llt_count

    @property
    def skipped_llts(self) -> int:
        """LLTs left out at load because their PT is not in pt.asc."""
        return self._skipped_llts

    def __repr__(self) -> str:
        state = "closed" if self.closed else f"{self.pt_count} PTs, {self.llt_count} LLTs"
        return f"<vigil.Meddra {self.path!r}, {state}>"

    # Lookups

    def name(self, code: int) -> str | None:
        """The name of any term (LLT, PT, HLT, HLGT or SOC) by its code."""
        name = self._call(self._lib.vigil_meddra_name, _code(code))
        return None if name is None else name.decode()

    def llt_pt(self, llt_code: int) -> int | None:
        """The PT an LLT belongs to (a PT's code is also its own LLT's)."""
        return self._call(self._lib.vigil_meddra_llt_pt, _code(llt_code)) or None

    def primary_soc(self, pt_code: int) -> int | None:
        """The PT's primary SOC; None also for a PT without hierarchy."""
        return self._call(self._lib.vigil_meddra_primary_soc, _code(pt_code)) or None

    def paths(self, pt_code: int) -> tuple[SocPath, ...]:
        """The PT's HLT -> HLGT -> SOC paths, the primary one first; () when unknown."""
        lib, code = self._lib, _code(pt_code)
        hlt, hlgt, soc, primary = ctypes.c_uint32(), ctypes.c_uint32(), ctypes.c_uint32(), ctypes.c_bool()
        paths = []
        with self._held() as meddra:
            for i in range(lib.vigil_meddra_path_count(meddra, code)):
                lib.vigil_meddra_path(meddra, code, i, ctypes.byref(hlt), ctypes.byref(hlgt), ctypes.byref(soc),
                                      ctypes.byref(primary))
                paths.append(SocPath(hlt.value, hlgt.value, soc.value, primary.value))
        return tuple(paths)

    # Retrieval and normalisation

    def retrieve(self, mention: str, k: int = 10) -> list[Hit]:
        """The k PTs whose PT or LLT names best match `mention` (BM25; an
        exact name ranks first), best first. Fewer, or none, when fewer PTs
        share a word with the mention."""
        lib = self._lib
        out = ctypes.c_void_p()
        self._call(lib.vigil_meddra_retrieve, _str(mention, "mention"), _unsigned(64, "k")(k), ctypes.byref(out))
        with _owned(out.value, lib.vigil_hits_free) as hits:
            return [
                Hit(
                    pt_code=lib.vigil_hits_pt(hits, i),
                    score=lib.vigil_hits_score(hits, i),
                    matched_code=lib.vigil_hits_matched_code(hits, i),
                    matched_name=lib.vigil_hits_matched_name(hits, i).decode(),
                    exact=lib.vigil_hits_exact(hits, i),
                )
                for i in range(lib.vigil_hits_count(hits))
            ]

    def normalize(
        self,
        model: Model,
        mentions: Sequence[str],
        *,
        candidates: int = 100,
        threshold: float | None = None,
        top_k: int | None = None,
    ) -> list[MentionCodings]:
        """Codes each mention (e.g. the ADR spans of a batch) to PTs: retrieves
        `candidates` PTs per mention, reranks them with the cross-encoder
        `model` (every mention's pairs batched together) and keeps those whose
        score reaches `threshold` (default: the model's), at most `top_k` per
        mention, best first, each with its primary SOC. Input order kept."""
        if not isinstance(model, Model):
            raise TypeError(f"model is {type(model).__name__}, not vigil.Model")
        lib = self._lib
        if model._lib is not lib:
            # Each libvigil has its own handle types: a pointer from another would be misread.
            raise invalid_argument(f"the model was opened with {model._lib.path}, the dictionary with {lib.path}")
        mentions = _as_list(mentions, "mentions")
        encoded = _encode_all(mentions, "mention")
        out = ctypes.c_void_p()
        with _owned(lib.vigil_normalize_options_new(), lib.vigil_normalize_options_free) as options:
            lib.vigil_normalize_options_set_candidates(options, _unsigned(64, "candidates")(candidates))
            if threshold is not None:
                lib.vigil_normalize_options_set_threshold(options, float(threshold))
            if top_k is not None:
                lib.vigil_normalize_options_set_top_k(options, _top_k(top_k))
            with self._held() as meddra, model._held() as encoder:
                lib.vigil_meddra_normalize(meddra, encoder, str_array(encoded), len(encoded), options,
                                           ctypes.byref(out))
        with _owned(out.value, lib.vigil_codings_free) as codings:
            return [
                MentionCodings(mention, tuple(
                    Coding(
                        pt_code=lib.vigil_codings_pt(codings, m, i),
                        pt_name=lib.vigil_codings_pt_name(codings, m, i).decode(),
                        soc_code=lib.vigil_codings_soc(codings, m, i) or None,
                        score=lib.vigil_codings_score(codings, m, i),
                        exact=lib.vigil_codings_exact(codings, m, i),
                    )
                    for i in range(lib.vigil_codings_count(codings, m))
                ))
                for m, mention in enumerate(mentions)
            ]
