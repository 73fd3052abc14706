//! What a host can choose when it opens a model. Plain Rust values; the C
//! ABI's options builder fills one of these.

use std::path::PathBuf;

use super::error::{fail, ErrorKind, Result};

/// What to do with a text longer than the model's maximum length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LongText {
    /// Keep the first `max_length` tokens and flag the result as truncated.
    Truncate,
    /// Overlapping windows; each label's score is the mean over windows.
    WindowMean,
    /// Overlapping windows; each label's score is its maximum over windows,
    /// so evidence in any one window is never diluted by the rest.
    WindowMax,
}

/// Where the graph runs. Only CPU exists today; the others are named so a
/// host asking for them gets a clear refusal instead of a silent fallback.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExecutionProvider {
    Cpu,
    Cuda,
    TensorRt,
}

impl ExecutionProvider {
    pub fn parse(name: &str) -> Result<Self> {
        match name.to_ascii_lowercase().as_str() {
            "cpu" => Ok(ExecutionProvider::Cpu),
            "cuda" => Ok(ExecutionProvider::Cuda),
            "tensorrt" => Ok(ExecutionProvider::TensorRt),
            other => fail(
                ErrorKind::InvalidArgument,
                format!("unknown execution provider `{other}`; expected cpu, cuda or tensorrt"),
            ),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ExecutionProvider::Cpu => "cpu",
            ExecutionProvider::Cuda => "cuda",
            ExecutionProvider::TensorRt => "tensorrt",
        }
    }
}

/// Options for [`crate::Model::open`]. `None` means "the model's own value".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Explicit path to libonnxruntime; tried before any other location.
    pub ort_library: Option<PathBuf>,
    /// Folder searched after the environment variables. The C ABI sets it to
    /// the folder that holds libvigil.so, so ORT can ship beside it.
    pub ort_search_dir: Option<PathBuf>,
    /// ONNX Runtime intra-op threads per session; 0 lets ONNX Runtime decide.
    pub intra_threads: usize,
    /// Sessions in the model's pool: how many calls may run at once.
    pub sessions: usize,
    /// Upper bound on batch_size × padded_length for one graph run.
    pub max_tokens_per_batch: usize,
    /// Cap on tokens per sequence, below the model's own limit.
    pub max_length: Option<usize>,
    /// Long-text policy; `None` takes vigil.json's, else [`LongText::WindowMax`].
    pub long_text: Option<LongText>,
    /// Tokens shared by consecutive windows; `None` means a quarter of max_length.
    pub stride: Option<usize>,
    /// Longest accepted text in bytes, so one runaway input cannot stall a batch.
    pub max_text_bytes: usize,
    pub execution_provider: ExecutionProvider,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            ort_library: None,
            ort_search_dir: None,
            intra_threads: 0,
            sessions: 1,
            max_tokens_per_batch: 8192,
            max_length: None,
            long_text: None,
            stride: None,
            max_text_bytes: 1 << 20,
            execution_provider: ExecutionProvider::Cpu,
        }
    }
}
