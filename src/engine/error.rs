//! The engine's one error type. Codes are stable: the C ABI exposes them as
//! `uint32_t`, so a value is never reused or renumbered, only appended.

use std::fmt;

/// Why a call failed. The discriminants are part of the ABI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum ErrorKind {
    /// A required argument was NULL, out of range or otherwise unusable.
    InvalidArgument = 1,
    /// A text was not valid UTF-8.
    InvalidUtf8 = 2,
    /// A file could not be read.
    Io = 3,
    /// model.onnx, config.json or vigil.json is missing, corrupt or unsupported.
    ModelInvalid = 4,
    /// tokenizer.json (or tokenizer_config.json) is missing or malformed.
    TokenizerInvalid = 5,
    /// The tokenizer and the model disagree (vocabulary, labels, inputs).
    ModelMismatch = 6,
    /// ONNX Runtime could not be found or loaded.
    RuntimeUnavailable = 7,
    /// The requested execution provider is not available in this build.
    ProviderUnavailable = 8,
    /// ONNX Runtime failed while running the graph.
    Inference = 9,
    /// The call does not fit the model's task (e.g. classify on a tagger).
    TaskMismatch = 10,
    /// A text is empty, or has no tokens besides the special ones.
    EmptyText = 11,
    /// A text or batch exceeds a configured limit.
    InputTooLarge = 12,
    /// The model produced NaN or infinite scores.
    NonFinite = 13,
    /// A panic was caught at the C boundary; the library remains usable.
    Panic = 14,
    /// A UTF-16 text had an unpaired surrogate.
    InvalidUtf16 = 15,
}

impl ErrorKind {
    /// Stable upper-case name, used in messages and by the bindings.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgument => "INVALID_ARGUMENT",
            ErrorKind::InvalidUtf8 => "INVALID_UTF8",
            ErrorKind::Io => "IO",
            ErrorKind::ModelInvalid => "MODEL_INVALID",
            ErrorKind::TokenizerInvalid => "TOKENIZER_INVALID",
            ErrorKind::ModelMismatch => "MODEL_MISMATCH",
            ErrorKind::RuntimeUnavailable => "RUNTIME_UNAVAILABLE",
            ErrorKind::ProviderUnavailable => "PROVIDER_UNAVAILABLE",
            ErrorKind::Inference => "INFERENCE",
            ErrorKind::TaskMismatch => "TASK_MISMATCH",
            ErrorKind::EmptyText => "EMPTY_TEXT",
            ErrorKind::InputTooLarge => "INPUT_TOO_LARGE",
            ErrorKind::NonFinite => "NON_FINITE",
            ErrorKind::Panic => "PANIC",
            ErrorKind::InvalidUtf16 => "INVALID_UTF16",
        }
    }
}

/// An error with its kind and a message that says what was being done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// Shorthand for `Err(Error::new(kind, message))`.
pub fn fail<T>(kind: ErrorKind, message: impl Into<String>) -> Result<T> {
    Err(Error::new(kind, message))
}
