//! ADR span extraction through the C ABI.

use std::ffi::{c_char, CString};
use std::sync::Arc;

use super::boundary::{ffi_boundary, ffi_read, ffi_value};
use super::error::vigil_error;
use super::handle::{borrow, borrow_mut, clone_arc, free_box, give_box};
use super::model::vigil_model;
use super::str::{views, views16, vigil_str, vigil_str16};
use crate::engine::error::{fail, ErrorKind};
use crate::engine::spans::{Aggregation, SpanOptions, TextSpans};

pub const VIGIL_AGGREGATION_NONE: u32 = 1;
pub const VIGIL_AGGREGATION_SIMPLE: u32 = 2;
pub const VIGIL_AGGREGATION_FIRST: u32 = 3;
pub const VIGIL_AGGREGATION_AVERAGE: u32 = 4;
pub const VIGIL_AGGREGATION_MAX: u32 = 5;

/// Per-call options for `vigil_model_extract_spans`. One owner at a time.
pub struct vigil_span_options {
    options: SpanOptions,
}

/// New span options: aggregation SIMPLE, ignore label "O".
#[no_mangle]
pub extern "C" fn vigil_span_options_new() -> *mut vigil_span_options {
    ffi_value(std::ptr::null_mut(), || Box::into_raw(Box::new(vigil_span_options { options: SpanOptions::default() })))
}

/// Frees span options. NULL is a no-op.
#[no_mangle]
pub extern "C" fn vigil_span_options_free(options: *mut vigil_span_options) {
    ffi_value((), || unsafe { free_box(options) })
}

/// One of `VIGIL_AGGREGATION_*`, with transformers' token-classification semantics.
#[no_mangle]
pub extern "C" fn vigil_span_options_set_aggregation(
    options: *mut vigil_span_options,
    aggregation: u32,
) -> *mut vigil_error {
    ffi_boundary("vigil_span_options_set_aggregation", || {
        let options = unsafe { borrow_mut(options, "options") }?;
        options.options.aggregation = match aggregation {
            VIGIL_AGGREGATION_NONE => Aggregation::None,
            VIGIL_AGGREGATION_SIMPLE => Aggregation::Simple,
            VIGIL_AGGREGATION_FIRST => Aggregation::First,
            VIGIL_AGGREGATION_AVERAGE => Aggregation::Average,
            VIGIL_AGGREGATION_MAX => Aggregation::Max,
            other => return fail(ErrorKind::InvalidArgument, format!("unknown aggregation {other}")),
        };
        Ok(())
    })
}

/// Labels to leave out (entity groups; full tags under NONE). Replaces the
/// default `{"O"}`; `n` may be 0 to keep everything.
#[no_mangle]
pub extern "C" fn vigil_span_options_set_ignore_labels(
    options: *mut vigil_span_options,
    labels: *const vigil_str,
    n: usize,
) -> *mut vigil_error {
    ffi_boundary("vigil_span_options_set_ignore_labels", || {
        let options = unsafe { borrow_mut(options, "options") }?;
        options.options.ignore_labels = unsafe { views(labels, n) }?.into_iter().map(str::to_string).collect();
        Ok(())
    })
}

/// The entities of one batch, in input order. Holds its model alive and a
/// copy of each text, so span texts stay valid whatever the host does with
/// its input buffers. One owner at a time.
pub struct vigil_spans {
    _model: Arc<vigil_model>,
    texts: Vec<String>,
    items: Vec<TextSpans>,
    labels: Vec<Vec<CString>>,
}

fn extract(
    call: &str,
    model: *const vigil_model,
    options: *const vigil_span_options,
    out: *mut *mut vigil_spans,
    texts: impl FnOnce() -> crate::engine::error::Result<Vec<String>>,
) -> *mut vigil_error {
    ffi_boundary(call, || {
        let handle = unsafe { borrow(model, "model") }?;
        let out = unsafe { borrow_mut(out, "out") }?;
        let texts = texts()?;
        let defaults = SpanOptions::default();
        let options = unsafe { options.as_ref() }.map_or(&defaults, |o| &o.options);
        let items = handle.model.extract_spans(&texts.iter().map(String::as_str).collect::<Vec<_>>(), options)?;
        let labels = items
            .iter()
            .map(|t| t.spans.iter().map(|s| CString::new(s.label.replace('\0', "")).unwrap_or_default()).collect())
            .collect();
        give_box(out, vigil_spans { _model: unsafe { clone_arc(handle) }, texts, items, labels });
        Ok(())
    })
}

/// Extracts entities from `n` texts (token-classification models only;
/// others give TASK_MISMATCH). `options` may be NULL for defaults. On
/// success `*out` owns the result (free with `vigil_spans_free`); on failure
/// `*out` is untouched.
#[no_mangle]
pub extern "C" fn vigil_model_extract_spans(
    model: *const vigil_model,
    texts: *const vigil_str,
    n: usize,
    options: *const vigil_span_options,
    out: *mut *mut vigil_spans,
) -> *mut vigil_error {
    extract("vigil_model_extract_spans", model, options, out, || {
        Ok(unsafe { views(texts, n) }?.into_iter().map(str::to_string).collect())
    })
}

/// `vigil_model_extract_spans` for UTF-16 texts; the UTF-16 offsets then
/// index the caller's own strings directly.
#[no_mangle]
pub extern "C" fn vigil_model_extract_spans_utf16(
    model: *const vigil_model,
    texts: *const vigil_str16,
    n: usize,
    options: *const vigil_span_options,
    out: *mut *mut vigil_spans,
) -> *mut vigil_error {
    extract("vigil_model_extract_spans_utf16", model, options, out, || unsafe { views16(texts, n) })
}

/// Frees a result. NULL is a no-op.
#[no_mangle]
pub extern "C" fn vigil_spans_free(result: *mut vigil_spans) {
    ffi_value((), || unsafe { free_box(result) })
}

fn with_text<T: Copy>(result: *const vigil_spans, text: usize, fallback: T, read: impl FnOnce(&TextSpans) -> T) -> T {
    ffi_read(result, fallback, |r| r.items.get(text).map(read))
}

fn with_span<T: Copy>(
    result: *const vigil_spans,
    text: usize,
    index: usize,
    fallback: T,
    read: impl FnOnce(&vigil_spans, &crate::engine::spans::Span) -> T,
) -> T {
    ffi_read(result, fallback, |r| r.items.get(text)?.spans.get(index).map(|span| read(r, span)))
}

/// Number of texts in the result; 0 for NULL.
#[no_mangle]
pub extern "C" fn vigil_spans_text_count(result: *const vigil_spans) -> usize {
    ffi_read(result, 0, |r| Some(r.items.len()))
}

/// Number of entities in text `text`, ordered by start; 0 when out of range.
#[no_mangle]
pub extern "C" fn vigil_spans_count(result: *const vigil_spans, text: usize) -> usize {
    with_text(result, text, 0, |t| t.spans.len())
}

/// Windows read for text `text`; 0 when out of range.
#[no_mangle]
pub extern "C" fn vigil_spans_windows(result: *const vigil_spans, text: usize) -> u32 {
    with_text(result, text, 0, |t| t.windows as u32)
}

/// Whether text `text` lost tokens to truncation (truncate policy only).
#[no_mangle]
pub extern "C" fn vigil_spans_truncated(result: *const vigil_spans, text: usize) -> bool {
    with_text(result, text, false, |t| t.truncated)
}

/// Entity `index` of text `text`: its label (the entity group, or the full
/// tag under NONE). Borrowed for the result's lifetime; NULL when out of range.
#[no_mangle]
pub extern "C" fn vigil_spans_label(result: *const vigil_spans, text: usize, index: usize) -> *const c_char {
    ffi_read(result, std::ptr::null(), |r| r.labels.get(text)?.get(index).map(|l| l.as_ptr()))
}

/// The entity's score (mean of its tokens' probabilities under SIMPLE); NaN when out of range.
#[no_mangle]
pub extern "C" fn vigil_spans_score(result: *const vigil_spans, text: usize, index: usize) -> f64 {
    with_span(result, text, index, f64::NAN, |_, s| s.score)
}

/// Start, in UTF-8 bytes, of the half-open span; 0 when out of range.
#[no_mangle]
pub extern "C" fn vigil_spans_start(result: *const vigil_spans, text: usize, index: usize) -> usize {
    with_span(result, text, index, 0, |_, s| s.start)
}

/// End, in UTF-8 bytes (exclusive); 0 when out of range.
#[no_mangle]
pub extern "C" fn vigil_spans_end(result: *const vigil_spans, text: usize, index: usize) -> usize {
    with_span(result, text, index, 0, |_, s| s.end)
}

/// Start in UTF-16 code units: `text.substring(start16, end16)` in Java or C#.
#[no_mangle]
pub extern "C" fn vigil_spans_start_utf16(result: *const vigil_spans, text: usize, index: usize) -> usize {
    with_span(result, text, index, 0, |_, s| s.start_utf16)
}

/// End in UTF-16 code units (exclusive).
#[no_mangle]
pub extern "C" fn vigil_spans_end_utf16(result: *const vigil_spans, text: usize, index: usize) -> usize {
    with_span(result, text, index, 0, |_, s| s.end_utf16)
}

/// The covered text: a view into the result's own copy of the input (valid
/// for the result's lifetime, not NUL-terminated); {NULL, 0} when out of range.
#[no_mangle]
pub extern "C" fn vigil_spans_text(result: *const vigil_spans, text: usize, index: usize) -> vigil_str {
    let none = vigil_str { ptr: std::ptr::null(), len: 0 };
    with_span(result, text, index, none, |r, s| {
        let covered = &r.texts[text][s.start..s.end];
        vigil_str { ptr: covered.as_ptr().cast(), len: covered.len() }
    })
}

/// The token's index in its window under NONE; -1 for aggregated entities or out of range.
#[no_mangle]
pub extern "C" fn vigil_spans_token(result: *const vigil_spans, text: usize, index: usize) -> i64 {
    with_span(result, text, index, -1, |_, s| s.token.map_or(-1, |t| t as i64))
}
