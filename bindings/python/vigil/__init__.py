"""Vigil from Python: pharmacovigilance NLP (classification, ADR spans,
MedDRA reranking and coding) on ONNX models, through libvigil's C ABI.

    import vigil
    with vigil.Model("models/adr-classifier") as model:
        print(model.classify(["Rash after amoxicillin."])[0].top_label)
    with vigil.Meddra("meddra/en") as meddra, vigil.Model("models/meddra-reranker") as reranker:
        print(meddra.normalize(reranker, ["pain in my head"])[0].codings)
"""

from ._errors import (
    EmptyTextError,
    ErrorCode,
    InferenceError,
    InputTooLargeError,
    InvalidArgumentError,
    InvalidUtf8Error,
    InvalidUtf16Error,
    IoError,
    ModelInvalidError,
    ModelMismatchError,
    NonFiniteError,
    PanicError,
    ProviderUnavailableError,
    RuntimeUnavailableError,
    TaskMismatchError,
    TokenizerInvalidError,
    VigilError,
)
from ._meddra import Meddra
from ._model import Model
from ._native import ABI_VERSION
from ._native import library as _library
from ._types import (
    Aggregation,
    Classification,
    Coding,
    Hit,
    LongText,
    MeddraRecord,
    MentionCodings,
    RankedCandidate,
    SocPath,
    Span,
    Task,
    TextSpans,
)

__version__ = "0.1.0"


def version(lib_path=None) -> str:
    """The loaded libvigil's version, "MAJOR.MINOR.PATCH" (see Model for lib_path)."""
    return _library(lib_path).vigil_version().decode()


__all__ = [
    "ABI_VERSION",
    "Aggregation",
    "Classification",
    "Coding",
    "EmptyTextError",
    "ErrorCode",
    "Hit",
    "InferenceError",
    "InputTooLargeError",
    "InvalidArgumentError",
    "InvalidUtf16Error",
    "InvalidUtf8Error",
    "IoError",
    "LongText",
    "Meddra",
    "MeddraRecord",
    "MentionCodings",
    "Model",
    "ModelInvalidError",
    "ModelMismatchError",
    "NonFiniteError",
    "PanicError",
    "ProviderUnavailableError",
    "RankedCandidate",
    "RuntimeUnavailableError",
    "SocPath",
    "Span",
    "Task",
    "TaskMismatchError",
    "TextSpans",
    "TokenizerInvalidError",
    "VigilError",
    "version",
]
