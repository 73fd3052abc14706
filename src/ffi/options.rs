//! The options builder. Adding a setter never changes an existing one.

use std::ffi::c_char;

use super::boundary::{ffi_boundary, ffi_value};
use super::error::vigil_error;
use super::handle::{borrow_mut, free_box};
use super::str::{c_str, path};
use crate::engine::error::{fail, ErrorKind};
use crate::engine::options::{ExecutionProvider, LongText, Options};

/// Options for `vigil_model_open`. Owned by the caller; one thread at a time.
pub struct vigil_options {
    pub(crate) options: Options,
}

pub const VIGIL_LONG_TEXT_TRUNCATE: u32 = 1;
pub const VIGIL_LONG_TEXT_WINDOW_MEAN: u32 = 2;
pub const VIGIL_LONG_TEXT_WINDOW_MAX: u32 = 3;

/// New options with every value at its default. Free with `vigil_options_free`.
#[no_mangle]
pub extern "C" fn vigil_options_new() -> *mut vigil_options {
    ffi_value(std::ptr::null_mut(), || Box::into_raw(Box::new(vigil_options { options: Options::default() })))
}

/// Frees options. NULL is a no-op. Models opened with them are unaffected.
#[no_mangle]
pub extern "C" fn vigil_options_free(options: *mut vigil_options) {
    ffi_value((), || unsafe { free_box(options) })
}

fn set(
    call: &str,
    options: *mut vigil_options,
    apply: impl FnOnce(&mut Options) -> crate::engine::error::Result<()>,
) -> *mut vigil_error {
    ffi_boundary(call, || apply(&mut unsafe { borrow_mut(options, "options") }?.options))
}

/// Path to libonnxruntime, tried before every other location.
#[no_mangle]
pub extern "C" fn vigil_options_set_ort_library(
    options: *mut vigil_options,
    ort_library: *const c_char,
) -> *mut vigil_error {
    set("vigil_options_set_ort_library", options, |o| {
        o.ort_library = Some(unsafe { path(ort_library, "ort_library") }?);
        Ok(())
    })
}

/// ONNX Runtime intra-op threads per session; 0 (default) lets it choose.
#[no_mangle]
pub extern "C" fn vigil_options_set_intra_threads(options: *mut vigil_options, threads: u32) -> *mut vigil_error {
    set("vigil_options_set_intra_threads", options, |o| {
        o.intra_threads = threads as usize;
        Ok(())
    })
}

/// How many calls may run the graph at once (default 1). Each session holds
/// its own copy of the weights; see the README's concurrency figures.
#[no_mangle]
pub extern "C" fn vigil_options_set_sessions(options: *mut vigil_options, sessions: u32) -> *mut vigil_error {
    set("vigil_options_set_sessions", options, |o| {
        if sessions == 0 {
            return fail(ErrorKind::InvalidArgument, "sessions must be at least 1");
        }
        o.sessions = sessions as usize;
        Ok(())
    })
}

/// Upper bound on batch rows × padded length per graph run (default 8192).
#[no_mangle]
pub extern "C" fn vigil_options_set_max_tokens_per_batch(options: *mut vigil_options, tokens: u32) -> *mut vigil_error {
    set("vigil_options_set_max_tokens_per_batch", options, |o| {
        if tokens == 0 {
            return fail(ErrorKind::InvalidArgument, "max_tokens_per_batch must be at least 1");
        }
        o.max_tokens_per_batch = tokens as usize;
        Ok(())
    })
}

/// Caps tokens per sequence below the model's own limit.
#[no_mangle]
pub extern "C" fn vigil_options_set_max_length(options: *mut vigil_options, tokens: u32) -> *mut vigil_error {
    set("vigil_options_set_max_length", options, |o| {
        if tokens < 2 {
            return fail(ErrorKind::InvalidArgument, format!("max_length {tokens} cannot hold the special tokens"));
        }
        o.max_length = Some(tokens as usize);
        Ok(())
    })
}

/// Long-text policy: one of `VIGIL_LONG_TEXT_*`. Default: vigil.json's,
/// else WINDOW_MAX (see README: why max for safety screening).
#[no_mangle]
pub extern "C" fn vigil_options_set_long_text(options: *mut vigil_options, policy: u32) -> *mut vigil_error {
    set("vigil_options_set_long_text", options, |o| {
        o.long_text = Some(match policy {
            VIGIL_LONG_TEXT_TRUNCATE => LongText::Truncate,
            VIGIL_LONG_TEXT_WINDOW_MEAN => LongText::WindowMean,
            VIGIL_LONG_TEXT_WINDOW_MAX => LongText::WindowMax,
            other => return fail(ErrorKind::InvalidArgument, format!("unknown long-text policy {other}")),
        });
        Ok(())
    })
}

/// Tokens shared by consecutive windows (default: a quarter of max_length).
/// Checked against max_length when the model opens.
#[no_mangle]
pub extern "C" fn vigil_options_set_stride(options: *mut vigil_options, tokens: u32) -> *mut vigil_error {
    set("vigil_options_set_stride", options, |o| {
        o.stride = Some(tokens as usize);
        Ok(())
    })
}

/// Longest accepted text in bytes (default 1 MiB); longer gives INPUT_TOO_LARGE.
#[no_mangle]
pub extern "C" fn vigil_options_set_max_text_bytes(options: *mut vigil_options, bytes: usize) -> *mut vigil_error {
    set("vigil_options_set_max_text_bytes", options, |o| {
        if bytes == 0 {
            return fail(ErrorKind::InvalidArgument, "max_text_bytes must be at least 1");
        }
        o.max_text_bytes = bytes;
        Ok(())
    })
}

/// "cpu", "cuda" or "tensorrt". Only cpu exists in this build: the others
/// give PROVIDER_UNAVAILABLE here, never a silent fallback to CPU.
#[no_mangle]
pub extern "C" fn vigil_options_set_execution_provider(
    options: *mut vigil_options,
    name: *const c_char,
) -> *mut vigil_error {
    set("vigil_options_set_execution_provider", options, |o| {
        let provider = ExecutionProvider::parse(unsafe { c_str(name, "name") }?)?;
        if provider != ExecutionProvider::Cpu {
            return fail(
                ErrorKind::ProviderUnavailable,
                format!("execution provider `{}` is not available in this build; only cpu is", provider.name()),
            );
        }
        o.execution_provider = provider;
        Ok(())
    })
}
