//! Opening, describing and freeing models.

use std::ffi::{c_char, CString};
use std::sync::Arc;

use super::boundary::{ffi_boundary, ffi_read, ffi_value};
use super::error::vigil_error;
use super::handle::{borrow_mut, free_arc, give_arc};
use super::locate::library_dir;
use super::options::vigil_options;
use super::str::path as c_path;
use crate::engine::model::Model;
use crate::engine::options::{LongText, Options};

/// An open model. `const vigil_model*` may be used by any number of threads
/// at once. Reference-counted: results keep it alive after
/// `vigil_model_free`, so they may be freed in any order.
pub struct vigil_model {
    pub(crate) model: Model,
    labels: Vec<CString>,
    fingerprint: CString,
    ort_version: CString,
    provider: CString,
}

impl vigil_model {
    pub(crate) fn label(&self, index: usize) -> *const c_char {
        self.labels.get(index).map_or(std::ptr::null(), |l| l.as_ptr())
    }
}

pub const VIGIL_TASK_SEQUENCE_CLASSIFICATION: u32 = 1;
pub const VIGIL_TASK_TOKEN_CLASSIFICATION: u32 = 2;
pub const VIGIL_TASK_CROSS_ENCODER: u32 = 3;

fn c_string(s: &str) -> CString {
    CString::new(s.replace('\0', "")).unwrap_or_default()
}

/// Opens the model directory `dir` (model.onnx, config.json,
/// tokenizer.json; optional tokenizer_config.json and vigil.json).
/// `options` may be NULL for defaults. On success `*out` owns a model, to be
/// released with `vigil_model_free`; on failure `*out` is untouched.
#[no_mangle]
pub extern "C" fn vigil_model_open(
    dir: *const c_char,
    options: *const vigil_options,
    out: *mut *mut vigil_model,
) -> *mut vigil_error {
    ffi_boundary("vigil_model_open", || {
        let out = unsafe { borrow_mut(out, "out") }?;
        let dir = unsafe { c_path(dir, "dir") }?;
        let mut opts = match unsafe { options.as_ref() } {
            Some(o) => o.options.clone(),
            None => Options::default(),
        };
        opts.ort_search_dir = library_dir();
        let model = Model::open(&dir, &opts)?;
        let handle = vigil_model {
            labels: model.labels().iter().map(|l| c_string(l)).collect(),
            fingerprint: c_string(model.fingerprint()),
            ort_version: c_string(model.ort_version()),
            provider: c_string(model.execution_provider().name()),
            model,
        };
        give_arc(out, Arc::new(handle));
        Ok(())
    })
}

/// Releases the caller's reference. NULL is a no-op. Results taken from the
/// model stay valid. Like any free, it must not race with calls still using
/// this handle on other threads: a host that closes a shared model while
/// others may be mid-call keeps its own count of calls in flight.
#[no_mangle]
pub extern "C" fn vigil_model_free(model: *mut vigil_model) {
    ffi_value((), || unsafe { free_arc(model) })
}

fn with_model<T: Copy>(model: *const vigil_model, fallback: T, read: impl FnOnce(&vigil_model) -> T) -> T {
    ffi_read(model, fallback, |m| Some(read(m)))
}

/// `VIGIL_TASK_*`; 0 for NULL.
#[no_mangle]
pub extern "C" fn vigil_model_task(model: *const vigil_model) -> u32 {
    with_model(model, 0, |m| m.model.task() as u32)
}

/// Number of labels; 0 for NULL.
#[no_mangle]
pub extern "C" fn vigil_model_label_count(model: *const vigil_model) -> usize {
    with_model(model, 0, |m| m.labels.len())
}

/// Label `index`'s name, borrowed for the model's lifetime; NULL when out of range.
#[no_mangle]
pub extern "C" fn vigil_model_label(model: *const vigil_model, index: usize) -> *const c_char {
    with_model(model, std::ptr::null(), |m| m.label(index))
}

/// Tokens per sequence (window) after the host's cap; 0 for NULL.
#[no_mangle]
pub extern "C" fn vigil_model_max_length(model: *const vigil_model) -> u32 {
    with_model(model, 0, |m| m.model.max_length() as u32)
}

/// The long-text policy in force (`VIGIL_LONG_TEXT_*`); 0 for NULL.
#[no_mangle]
pub extern "C" fn vigil_model_long_text(model: *const vigil_model) -> u32 {
    with_model(model, 0, |m| match m.model.long_text() {
        LongText::Truncate => super::options::VIGIL_LONG_TEXT_TRUNCATE,
        LongText::WindowMean => super::options::VIGIL_LONG_TEXT_WINDOW_MEAN,
        LongText::WindowMax => super::options::VIGIL_LONG_TEXT_WINDOW_MAX,
    })
}

/// Tokens shared by consecutive windows; 0 for NULL.
#[no_mangle]
pub extern "C" fn vigil_model_stride(model: *const vigil_model) -> u32 {
    with_model(model, 0, |m| m.model.stride() as u32)
}

/// "sha256:<hex>" over the sha256sum-style manifest of model.onnx,
/// config.json, tokenizer.json, tokenizer_config.json and vigil.json (those
/// present, in that order). Borrowed for the model's lifetime; NULL for NULL.
#[no_mangle]
pub extern "C" fn vigil_model_fingerprint(model: *const vigil_model) -> *const c_char {
    with_model(model, std::ptr::null(), |m| m.fingerprint.as_ptr())
}

/// The ONNX Runtime in use, e.g. "1.31.1 (git 6af1a93)": the release read
/// from the loaded file's versioned name ("unknown release" when the file
/// carries none) and the build's commit. Borrowed; NULL for NULL.
#[no_mangle]
pub extern "C" fn vigil_model_ort_version(model: *const vigil_model) -> *const c_char {
    with_model(model, std::ptr::null(), |m| m.ort_version.as_ptr())
}

/// The execution provider in use ("cpu"). Borrowed; NULL for NULL.
#[no_mangle]
pub extern "C" fn vigil_model_execution_provider(model: *const vigil_model) -> *const c_char {
    with_model(model, std::ptr::null(), |m| m.provider.as_ptr())
}
