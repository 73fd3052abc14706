//! The C ABI: the only module with `unsafe`. Each entry point validates and
//! borrows its arguments, calls the engine inside the panic boundary, and
//! hands back an owned result. Naming: `vigil_<object>_<verb>`.
#![allow(non_camel_case_types)]
// Entry points take raw pointers by design; their contract is in the header.
// Rust callers use the safe engine instead.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

pub mod boundary;
pub mod classify;
pub mod error;
pub mod handle;
pub mod locate;
pub mod meddra;
pub mod model;
pub mod options;
pub mod rerank;
pub mod spans;
pub mod str;
pub mod version;
