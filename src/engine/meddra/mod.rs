//! A MedDRA dictionary: the release's ASCII files ([`loader`]), BM25
//! retrieval of PTs for a reported term ([`retrieve`]), and coding a mention
//! end to end with a cross-encoder ([`normalize`]).
//!
//! MedDRA is licensed: Vigil ships no MedDRA content, the caller points
//! [`Dictionary::open`] at its own release. Safe Rust, no FFI types.

pub mod loader;
pub mod normalize;
pub mod retrieve;

pub use loader::{Dictionary, Llt, LoadOptions, LoadReport, Pt, SocPath, Term};
pub use normalize::{Coding, NormalizeOptions};
pub use retrieve::Hit;
