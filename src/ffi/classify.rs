//! Sequence classification through the C ABI.

use std::ffi::c_char;
use std::sync::Arc;

use super::boundary::{ffi_boundary, ffi_read, ffi_value};
use super::error::vigil_error;
use super::handle::{borrow, borrow_mut, clone_arc, free_box, give_box};
use super::model::vigil_model;
use super::str::{views, views16, vigil_str, vigil_str16};
use crate::engine::classify::Classification;

/// The answers for one batch, in input order. Owns a reference to its
/// model, so it stays valid after `vigil_model_free`. One owner at a time.
pub struct vigil_classification {
    model: Arc<vigil_model>,
    items: Vec<Classification>,
}

/// Classifies `n` texts. `texts` may be NULL when `n` is 0 (empty result).
/// On success `*out` owns the result (free with `vigil_classification_free`);
/// on failure `*out` is untouched and nothing was computed for the caller.
#[no_mangle]
pub extern "C" fn vigil_model_classify(
    model: *const vigil_model,
    texts: *const vigil_str,
    n: usize,
    out: *mut *mut vigil_classification,
) -> *mut vigil_error {
    ffi_boundary("vigil_model_classify", || {
        let handle = unsafe { borrow(model, "model") }?;
        let out = unsafe { borrow_mut(out, "out") }?;
        let texts = unsafe { views(texts, n) }?;
        let items = handle.model.classify(&texts)?;
        give_box(out, vigil_classification { model: unsafe { clone_arc(handle) }, items });
        Ok(())
    })
}

/// `vigil_model_classify` for UTF-16 texts (Java `String`, .NET `string`
/// contents), transcoded once inside; an unpaired surrogate is INVALID_UTF16.
#[no_mangle]
pub extern "C" fn vigil_model_classify_utf16(
    model: *const vigil_model,
    texts: *const vigil_str16,
    n: usize,
    out: *mut *mut vigil_classification,
) -> *mut vigil_error {
    ffi_boundary("vigil_model_classify_utf16", || {
        let handle = unsafe { borrow(model, "model") }?;
        let out = unsafe { borrow_mut(out, "out") }?;
        let texts = unsafe { views16(texts, n) }?;
        let items = handle.model.classify(&texts.iter().map(String::as_str).collect::<Vec<_>>())?;
        give_box(out, vigil_classification { model: unsafe { clone_arc(handle) }, items });
        Ok(())
    })
}

/// Frees a result. NULL is a no-op.
#[no_mangle]
pub extern "C" fn vigil_classification_free(result: *mut vigil_classification) {
    ffi_value((), || unsafe { free_box(result) })
}

fn with_item<T: Copy>(
    result: *const vigil_classification,
    index: usize,
    fallback: T,
    read: impl FnOnce(&vigil_classification, &Classification) -> T,
) -> T {
    ffi_read(result, fallback, |r| r.items.get(index).map(|item| read(r, item)))
}

/// Number of texts in the result; 0 for NULL.
#[no_mangle]
pub extern "C" fn vigil_classification_count(result: *const vigil_classification) -> usize {
    ffi_read(result, 0, |r| Some(r.items.len()))
}

/// Text `index`'s scores, one per label in label-id order
/// (`vigil_model_label_count` of them). Borrowed for the result's lifetime;
/// NULL when out of range.
#[no_mangle]
pub extern "C" fn vigil_classification_scores(result: *const vigil_classification, index: usize) -> *const f64 {
    with_item(result, index, std::ptr::null(), |_, item| item.scores.as_ptr())
}

/// Index of text `index`'s top label (ties go to the lowest id); SIZE_MAX when out of range.
#[no_mangle]
pub extern "C" fn vigil_classification_top(result: *const vigil_classification, index: usize) -> usize {
    with_item(result, index, usize::MAX, |_, item| item.top)
}

/// Number of scores per text (the model's label count), readable after the
/// model is freed; 0 for NULL.
#[no_mangle]
pub extern "C" fn vigil_classification_label_count(result: *const vigil_classification) -> usize {
    ffi_read(result, 0, |r| Some(r.model.model.labels().len()))
}

/// Name of label `label` (an index into the scores), borrowed for the
/// result's lifetime; NULL when out of range.
#[no_mangle]
pub extern "C" fn vigil_classification_label(result: *const vigil_classification, label: usize) -> *const c_char {
    ffi_read(result, std::ptr::null(), |r| Some(r.model.label(label)))
}

/// Name of text `index`'s top label, borrowed for the result's lifetime; NULL when out of range.
#[no_mangle]
pub extern "C" fn vigil_classification_top_label(result: *const vigil_classification, index: usize) -> *const c_char {
    with_item(result, index, std::ptr::null(), |r, item| r.model.label(item.top))
}

/// Whether text `index` lost tokens to truncation (truncate policy only);
/// false when out of range.
#[no_mangle]
pub extern "C" fn vigil_classification_truncated(result: *const vigil_classification, index: usize) -> bool {
    with_item(result, index, false, |_, item| item.truncated)
}

/// How many windows were run for text `index`; 0 when out of range.
#[no_mangle]
pub extern "C" fn vigil_classification_windows(result: *const vigil_classification, index: usize) -> u32 {
    with_item(result, index, 0, |_, item| item.windows as u32)
}
