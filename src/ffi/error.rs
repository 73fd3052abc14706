//! Owned error objects: a stable code and a message with context.

use std::ffi::{c_char, CString};

use super::boundary::{ffi_read, ffi_value};
use super::handle::free_box;
use crate::engine::error::Error;

/// An error returned by a fallible call. Owned by the caller; free it with
/// `vigil_error_free`.
pub struct vigil_error {
    code: u32,
    message: CString,
}

pub fn into_error(error: Error) -> *mut vigil_error {
    let message = format!("{}: {}", error.kind.name(), error.message).replace('\0', "\\0");
    let message = CString::new(message).unwrap_or_default();
    Box::into_raw(Box::new(vigil_error { code: error.kind as u32, message }))
}

/// The error's stable code (a `VIGIL_ERROR_*` value); 0 for NULL.
#[no_mangle]
pub extern "C" fn vigil_error_code(error: *const vigil_error) -> u32 {
    ffi_read(error, 0, |e| Some(e.code))
}

/// The error's UTF-8 message, prefixed with the code's name. Borrowed: valid
/// until the error is freed. Never NULL ("" for a NULL error).
#[no_mangle]
pub extern "C" fn vigil_error_message(error: *const vigil_error) -> *const c_char {
    ffi_read(error, c"".as_ptr(), |e| Some(e.message.as_ptr()))
}

/// Frees an error. NULL is a no-op.
#[no_mangle]
pub extern "C" fn vigil_error_free(error: *mut vigil_error) {
    ffi_value((), || unsafe { free_box(error) })
}

// Stable error codes, as returned by `vigil_error_code`. Values are never
// reused; a unit test checks each against the engine's `ErrorKind`.
pub const VIGIL_ERROR_INVALID_ARGUMENT: u32 = 1;
pub const VIGIL_ERROR_INVALID_UTF8: u32 = 2;
pub const VIGIL_ERROR_IO: u32 = 3;
pub const VIGIL_ERROR_MODEL_INVALID: u32 = 4;
pub const VIGIL_ERROR_TOKENIZER_INVALID: u32 = 5;
pub const VIGIL_ERROR_MODEL_MISMATCH: u32 = 6;
pub const VIGIL_ERROR_RUNTIME_UNAVAILABLE: u32 = 7;
pub const VIGIL_ERROR_PROVIDER_UNAVAILABLE: u32 = 8;
pub const VIGIL_ERROR_INFERENCE: u32 = 9;
pub const VIGIL_ERROR_TASK_MISMATCH: u32 = 10;
pub const VIGIL_ERROR_EMPTY_TEXT: u32 = 11;
pub const VIGIL_ERROR_INPUT_TOO_LARGE: u32 = 12;
pub const VIGIL_ERROR_NON_FINITE: u32 = 13;
pub const VIGIL_ERROR_PANIC: u32 = 14;
pub const VIGIL_ERROR_INVALID_UTF16: u32 = 15;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::error::ErrorKind::*;

    #[test]
    fn header_codes_match_the_engine() {
        let pairs = [
            (VIGIL_ERROR_INVALID_ARGUMENT, InvalidArgument),
            (VIGIL_ERROR_INVALID_UTF8, InvalidUtf8),
            (VIGIL_ERROR_IO, Io),
            (VIGIL_ERROR_MODEL_INVALID, ModelInvalid),
            (VIGIL_ERROR_TOKENIZER_INVALID, TokenizerInvalid),
            (VIGIL_ERROR_MODEL_MISMATCH, ModelMismatch),
            (VIGIL_ERROR_RUNTIME_UNAVAILABLE, RuntimeUnavailable),
            (VIGIL_ERROR_PROVIDER_UNAVAILABLE, ProviderUnavailable),
            (VIGIL_ERROR_INFERENCE, Inference),
            (VIGIL_ERROR_TASK_MISMATCH, TaskMismatch),
            (VIGIL_ERROR_EMPTY_TEXT, EmptyText),
            (VIGIL_ERROR_INPUT_TOO_LARGE, InputTooLarge),
            (VIGIL_ERROR_NON_FINITE, NonFinite),
            (VIGIL_ERROR_PANIC, Panic),
            (VIGIL_ERROR_INVALID_UTF16, InvalidUtf16),
        ];
        for (code, kind) in pairs {
            assert_eq!(code, kind as u32, "{}", kind.name());
        }
    }
}
