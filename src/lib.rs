//! Vigil: in-process BERT inference for pharmacovigilance behind a C ABI.
//!
//! Layers, bottom up:
//! - [`engine`]: safe Rust, no FFI types. Finds ONNX Runtime
//!   ([`engine::runtime`]), reads a Hugging Face export directory
//!   ([`engine::model_dir`]), tokenises and batches ([`engine::encode`]), runs
//!   a bounded session pool ([`engine::session_pool`]), drives them
//!   ([`engine::infer`]) and decodes the tasks ([`engine::classify`],
//!   [`engine::spans`], [`engine::rerank`]). Usable as a Rust library on its own.
//! - [`ffi`]: the C ABI of `include/vigil.h`. All `unsafe` lives here, behind
//!   one panic boundary ([`ffi::boundary`]) that turns panics into errors.
//! - `bindings/`: host-language wrappers over the C ABI.
//!
//! Ownership: whatever a call hands back through `**out` is the caller's and
//! is freed with its `_free`, which accepts NULL. Results hold their model
//! alive. Threading: a `const vigil_model*` (a [`Model`] here) may be shared
//! by any number of threads; result objects have one owner.
#![deny(unsafe_code)]

pub mod engine;
#[allow(unsafe_code)]
pub mod ffi;

pub use engine::classify::Classification;
pub use engine::error::{Error, ErrorKind, Result};
pub use engine::meddra::{Coding, Dictionary, Hit, Llt, LoadOptions, LoadReport, NormalizeOptions, Pt, SocPath, Term};
pub use engine::model::Model;
pub use engine::model_dir::Task;
pub use engine::options::{ExecutionProvider, LongText, Options};
pub use engine::rerank::{Candidate, CandidateRecord, Ranked, RerankOptions, Template};
pub use engine::spans::{Aggregation, Span, SpanOptions, TextSpans};
