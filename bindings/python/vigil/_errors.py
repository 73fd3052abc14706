"""Vigil's errors as Python exceptions: one class per VIGIL_ERROR_* code."""

from __future__ import annotations

import enum


class ErrorCode(enum.IntEnum):
    """The stable VIGIL_ERROR_* codes of include/vigil.h."""

    INVALID_ARGUMENT = 1
    INVALID_UTF8 = 2
    IO = 3
    MODEL_INVALID = 4
    TOKENIZER_INVALID = 5
    MODEL_MISMATCH = 6
    RUNTIME_UNAVAILABLE = 7
    PROVIDER_UNAVAILABLE = 8
    INFERENCE = 9
    TASK_MISMATCH = 10
    EMPTY_TEXT = 11
    INPUT_TOO_LARGE = 12
    NON_FINITE = 13
    PANIC = 14
    INVALID_UTF16 = 15


class VigilError(Exception):
    """A failed Vigil call. `code` is an ErrorCode (a plain int for a code
    newer than this binding); the message starts with the code's name."""

    def __init__(self, code: int, message: str):
        # Both in args, so the exception pickles (multiprocessing, logging).
        super().__init__(code, message)
        try:
            self.code: ErrorCode | int = ErrorCode(code)
        except ValueError:
            self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message


# Bad input also reads as ValueError, so `except ValueError` works as in any library.
class InvalidArgumentError(VigilError, ValueError):
    """A call was given a value outside its contract."""


class InvalidUtf8Error(VigilError, ValueError):
    """A text could not be encoded as UTF-8 (a lone surrogate in a str)."""


class IoError(VigilError):
    """The model directory or one of its files could not be read."""


class ModelInvalidError(VigilError):
    """model.onnx or config.json is unusable."""


class TokenizerInvalidError(VigilError):
    """tokenizer.json is unusable."""


class ModelMismatchError(VigilError):
    """The graph, config and tokenizer disagree with each other."""


class RuntimeUnavailableError(VigilError):
    """ONNX Runtime could not be loaded; the message names every path tried."""


class ProviderUnavailableError(VigilError):
    """The requested execution provider is not in this build."""


class InferenceError(VigilError):
    """ONNX Runtime failed while running the graph."""


class TaskMismatchError(VigilError):
    """The model's task does not answer this call (e.g. spans from a classifier)."""


class EmptyTextError(VigilError, ValueError):
    """A text was empty or whitespace only; the message names its index."""


class InputTooLargeError(VigilError, ValueError):
    """A text is over max_text_bytes, or a mention leaves no room for a candidate."""


class NonFiniteError(VigilError):
    """The model produced NaN or infinite scores."""


class PanicError(VigilError):
    """A bug inside Vigil, caught at the C boundary."""


class InvalidUtf16Error(VigilError, ValueError):
    """Unpaired surrogate in UTF-16 input (not produced by this binding)."""


_CLASSES: dict[int, type[VigilError]] = {
    ErrorCode.INVALID_ARGUMENT: InvalidArgumentError,
    ErrorCode.INVALID_UTF8: InvalidUtf8Error,
    ErrorCode.IO: IoError,
    ErrorCode.MODEL_INVALID: ModelInvalidError,
    ErrorCode.TOKENIZER_INVALID: TokenizerInvalidError,
    ErrorCode.MODEL_MISMATCH: ModelMismatchError,
    ErrorCode.RUNTIME_UNAVAILABLE: RuntimeUnavailableError,
    ErrorCode.PROVIDER_UNAVAILABLE: ProviderUnavailableError,
    ErrorCode.INFERENCE: InferenceError,
    ErrorCode.TASK_MISMATCH: TaskMismatchError,
    ErrorCode.EMPTY_TEXT: EmptyTextError,
    ErrorCode.INPUT_TOO_LARGE: InputTooLargeError,
    ErrorCode.NON_FINITE: NonFiniteError,
    ErrorCode.PANIC: PanicError,
    ErrorCode.INVALID_UTF16: InvalidUtf16Error,
}


def error_for(code: int, message: str) -> VigilError:
    """The exception for `code`: its subclass, or VigilError for an unknown code."""
    return _CLASSES.get(code, VigilError)(code, message)


def invalid_argument(message: str) -> InvalidArgumentError:
    """An argument refused on the Python side, worded like the library's own."""
    return InvalidArgumentError(ErrorCode.INVALID_ARGUMENT, f"INVALID_ARGUMENT: {message}")
