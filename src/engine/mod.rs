//! The safe engine: no FFI types, usable as a Rust library on its own.
//! Data flows encode → session pool → decode; the C layer only wraps it.

pub mod classify;
pub mod encode;
pub mod error;
pub mod infer;
pub mod meddra;
pub mod model;
pub mod model_dir;
pub mod options;
pub mod rerank;
pub mod runtime;
pub mod session_pool;
pub mod spans;
