//! The one panic boundary. Every exported function runs its body through
//! `ffi_boundary` (fallible calls) or `ffi_value` (accessors), so a panic
//! becomes a PANIC error or a neutral value and never unwinds into the host.

use std::panic::{catch_unwind, AssertUnwindSafe};

use super::error::{into_error, vigil_error};
use crate::engine::error::{Error, ErrorKind, Result};

fn panic_message(call: &str, payload: Box<dyn std::any::Any + Send>) -> Error {
    let detail = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic payload".to_string());
    Error::new(ErrorKind::Panic, format!("internal panic in {call}: {detail}"))
}

/// Runs a fallible entry point: NULL on success, an owned error otherwise.
pub fn ffi_boundary(call: &str, body: impl FnOnce() -> Result<()>) -> *mut vigil_error {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => std::ptr::null_mut(),
        Ok(Err(e)) => into_error(e),
        Err(payload) => into_error(panic_message(call, payload)),
    }
}

/// Runs an accessor on a borrowed object: NULL, a `None` (index out of
/// range) or a panic all yield `fallback`. The only place accessors turn a
/// raw pointer into a reference.
pub fn ffi_read<R, T: Copy>(object: *const R, fallback: T, read: impl FnOnce(&R) -> Option<T>) -> T {
    ffi_value(fallback, || unsafe { object.as_ref() }.and_then(read).unwrap_or(fallback))
}

/// Runs an infallible accessor; a panic yields `fallback`.
pub fn ffi_value<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}
