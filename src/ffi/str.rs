//! Strings in: `vigil_str` views (UTF-8, not NUL-terminated) and C paths.

use std::ffi::{c_char, CStr, OsStr};
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

use crate::engine::error::{fail, ErrorKind, Result};

/// A borrowed UTF-8 string: `len` bytes at `ptr`, no terminator needed.
/// `{NULL, 0}` is the empty string.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct vigil_str {
    pub ptr: *const c_char,
    pub len: usize,
}

/// A borrowed UTF-16 string, as Java and .NET hold text: `len` code units
/// at `ptr`. `{NULL, 0}` is the empty string.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct vigil_str16 {
    pub ptr: *const u16,
    pub len: usize,
}

/// Transcodes an array of UTF-16 views to owned UTF-8, rejecting unpaired
/// surrogates with their position. This is the one copy the engine needs
/// (the tokenizer reads UTF-8); it replaces the host's own transcoding.
///
/// # Safety
/// `texts` is NULL (only with `n == 0`) or points to `n` valid views.
pub unsafe fn views16(texts: *const vigil_str16, n: usize) -> Result<Vec<String>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    if texts.is_null() {
        return fail(ErrorKind::InvalidArgument, format!("texts is NULL but n is {n}"));
    }
    let slice = unsafe { std::slice::from_raw_parts(texts, n) };
    slice
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if s.ptr.is_null() {
                return if s.len == 0 {
                    Ok(String::new())
                } else {
                    fail(ErrorKind::InvalidArgument, format!("text {i} has a NULL pointer and length {}", s.len))
                };
            }
            let units = unsafe { std::slice::from_raw_parts(s.ptr, s.len) };
            let mut text = String::with_capacity(units.len());
            for (unit, c) in char::decode_utf16(units.iter().copied()).enumerate() {
                match c {
                    Ok(c) => text.push(c),
                    Err(e) => {
                        return fail(
                            ErrorKind::InvalidUtf16,
                            format!(
                                "text {i} is not valid UTF-16 (unpaired surrogate {:#06x} near unit {unit})",
                                e.unpaired_surrogate()
                            ),
                        )
                    }
                }
            }
            Ok(text)
        })
        .collect()
}

/// Borrows a view as `&str`, rejecting invalid UTF-8 with its position.
///
/// # Safety
/// `s.ptr` is NULL or points to `s.len` readable bytes that outlive `'a`.
pub unsafe fn view<'a>(s: vigil_str, what: &str) -> Result<&'a str> {
    if s.ptr.is_null() {
        return if s.len == 0 {
            Ok("")
        } else {
            fail(ErrorKind::InvalidArgument, format!("{what} has a NULL pointer and length {}", s.len))
        };
    }
    let bytes = unsafe { std::slice::from_raw_parts(s.ptr.cast::<u8>(), s.len) };
    std::str::from_utf8(bytes).map_err(|e| {
        crate::engine::error::Error::new(
            ErrorKind::InvalidUtf8,
            format!("{what} is not valid UTF-8 (bad byte at offset {})", e.valid_up_to()),
        )
    })
}

/// Borrows an array of views as `&str`s.
///
/// # Safety
/// `texts` is NULL (only with `n == 0`) or points to `n` valid views.
pub unsafe fn views<'a>(texts: *const vigil_str, n: usize) -> Result<Vec<&'a str>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    if texts.is_null() {
        return fail(ErrorKind::InvalidArgument, format!("texts is NULL but n is {n}"));
    }
    let slice = unsafe { std::slice::from_raw_parts(texts, n) };
    slice.iter().enumerate().map(|(i, &s)| unsafe { view(s, &format!("text {i}")) }).collect()
}

/// A NUL-terminated path; bytes are taken as-is, as the OS does.
///
/// # Safety
/// `path` is NULL or a NUL-terminated string.
pub unsafe fn path(path: *const c_char, what: &str) -> Result<PathBuf> {
    if path.is_null() {
        return fail(ErrorKind::InvalidArgument, format!("{what} is NULL"));
    }
    Ok(PathBuf::from(OsStr::from_bytes(unsafe { CStr::from_ptr(path) }.to_bytes())))
}

/// A NUL-terminated UTF-8 string.
///
/// # Safety
/// `s` is NULL or a NUL-terminated string.
pub unsafe fn c_str<'a>(s: *const c_char, what: &str) -> Result<&'a str> {
    if s.is_null() {
        return fail(ErrorKind::InvalidArgument, format!("{what} is NULL"));
    }
    unsafe { CStr::from_ptr(s) }
        .to_str()
        .map_err(|_| crate::engine::error::Error::new(ErrorKind::InvalidUtf8, format!("{what} is not valid UTF-8")))
}
