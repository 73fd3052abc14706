//! A MedDRA dictionary: the release's ASCII files ([`loader`]) and BM25
//! retrieval of PTs for a reported term ([`retrieve`]).
//!
//! MedDRA is licensed: Vigil ships no MedDRA content, the caller points
//! [`Dictionary::open`] at its own release. Safe Rust, no FFI types.

pub mod loader;
pub mod retrieve;

pub use loader::{Dictionary, Llt, LoadOptions, LoadReport, Pt, SocPath, Term};
pub use retrieve::Hit;
