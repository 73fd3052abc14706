//! The MedDRA dictionary, retrieval and end-to-end normalisation through the C ABI.

use std::ffi::{c_char, CString};
use std::sync::Arc;

use super::boundary::{ffi_boundary, ffi_read, ffi_value};
use super::error::vigil_error;
use super::handle::{borrow, borrow_mut, clone_arc, free_arc, free_box, give_arc, give_box};
use super::model::vigil_model;
use super::str::{path as c_path, view, views, vigil_str};
use crate::engine::error::{fail, ErrorKind};
use crate::engine::meddra::{Coding, Dictionary, Hit, LoadOptions, NormalizeOptions};
use crate::engine::rerank::check_threshold;

/// `vigil_meddra_open` flag: keep non-current LLTs (left out by default).
pub const VIGIL_MEDDRA_INCLUDE_NONCURRENT: u32 = 1;

/// A loaded MedDRA release with its retrieval index. Immutable:
/// `const vigil_meddra*` may be shared by any number of threads.
/// Reference-counted like a model, so results may outlive it.
pub struct vigil_meddra {
    dictionary: Dictionary,
    /// C copies of names, made once so lookups can hand out borrowed pointers.
    names: std::collections::HashMap<u32, CString>,
}

fn c_string(s: &str) -> CString {
    CString::new(s.replace('\0', "")).unwrap_or_default()
}

/// Loads the `$`-separated ASCII files of a MedDRA release (llt.asc, pt.asc,
/// hlt.asc, hlt_pt.asc, hlgt.asc, hlgt_hlt.asc, soc.asc, soc_hlgt.asc,
/// mdhier.asc) from `dir`. `flags`: 0 or `VIGIL_MEDDRA_INCLUDE_NONCURRENT`.
/// A missing or malformed file is VIGIL_ERROR_IO naming file and line; LLTs
/// of unknown PTs are skipped and counted (`vigil_meddra_skipped_llts`).
#[no_mangle]
pub extern "C" fn vigil_meddra_open(dir: *const c_char, flags: u32, out: *mut *mut vigil_meddra) -> *mut vigil_error {
    ffi_boundary("vigil_meddra_open", || {
        let out = unsafe { borrow_mut(out, "out") }?;
        let dir = unsafe { c_path(dir, "dir") }?;
        if flags & !VIGIL_MEDDRA_INCLUDE_NONCURRENT != 0 {
            return fail(ErrorKind::InvalidArgument, format!("unknown flags {flags:#x}"));
        }
        let options = LoadOptions { include_noncurrent: flags & VIGIL_MEDDRA_INCLUDE_NONCURRENT != 0 };
        let dictionary = Dictionary::open(&dir, &options)?;
        let mut names = std::collections::HashMap::new();
        for pt in dictionary.pts() {
            names.insert(pt.code, c_string(&pt.name));
        }
        for llt in dictionary.llts() {
            names.entry(llt.code).or_insert_with(|| c_string(&llt.name));
        }
        for path in dictionary.pts().iter().flat_map(|pt| dictionary.hierarchy(pt.code)) {
            for (code, term) in [
                (path.hlt, dictionary.hlt(path.hlt)),
                (path.hlgt, dictionary.hlgt(path.hlgt)),
                (path.soc, dictionary.soc(path.soc)),
            ] {
                if let Some(term) = term {
                    names.entry(code).or_insert_with(|| c_string(&term.name));
                }
            }
        }
        give_arc(out, Arc::new(vigil_meddra { dictionary, names }));
        Ok(())
    })
}

/// Releases the caller's reference. NULL is a no-op. Results taken from it
/// stay valid; like `vigil_model_free`, it must not race with calls still
/// using this handle on other threads.
#[no_mangle]
pub extern "C" fn vigil_meddra_free(meddra: *mut vigil_meddra) {
    ffi_value((), || unsafe { free_arc(meddra) })
}

fn with_meddra<T: Copy>(meddra: *const vigil_meddra, fallback: T, read: impl FnOnce(&vigil_meddra) -> T) -> T {
    ffi_read(meddra, fallback, |m| Some(read(m)))
}

/// Number of PTs; 0 for NULL.
#[no_mangle]
pub extern "C" fn vigil_meddra_pt_count(meddra: *const vigil_meddra) -> usize {
    with_meddra(meddra, 0, |m| m.dictionary.pts().len())
}

/// Number of LLTs kept; 0 for NULL.
#[no_mangle]
pub extern "C" fn vigil_meddra_llt_count(meddra: *const vigil_meddra) -> usize {
    with_meddra(meddra, 0, |m| m.dictionary.llts().len())
}

/// LLTs skipped at load because their PT is not in pt.asc; 0 for NULL.
#[no_mangle]
pub extern "C" fn vigil_meddra_skipped_llts(meddra: *const vigil_meddra) -> usize {
    with_meddra(meddra, 0, |m| m.dictionary.report().skipped_llts_unknown_pt)
}

/// The name of any term (LLT, PT, HLT, HLGT or SOC) by code, borrowed for
/// the dictionary's lifetime; NULL when unknown.
#[no_mangle]
pub extern "C" fn vigil_meddra_name(meddra: *const vigil_meddra, code: u32) -> *const c_char {
    ffi_read(meddra, std::ptr::null(), |m| m.names.get(&code).map(|n| n.as_ptr()))
}

/// The PT an LLT belongs to; 0 when the LLT is unknown (MedDRA codes are never 0).
#[no_mangle]
pub extern "C" fn vigil_meddra_llt_pt(meddra: *const vigil_meddra, llt_code: u32) -> u32 {
    with_meddra(meddra, 0, |m| m.dictionary.pt_of_llt(llt_code).map_or(0, |pt| pt.code))
}

/// The PT's primary SOC; 0 when the PT is unknown or has no hierarchy.
#[no_mangle]
pub extern "C" fn vigil_meddra_primary_soc(meddra: *const vigil_meddra, pt_code: u32) -> u32 {
    with_meddra(meddra, 0, |m| m.dictionary.primary_soc(pt_code).map_or(0, |soc| soc.code))
}

/// How many HLT→HLGT→SOC paths the PT has (one per SOC it sits in).
#[no_mangle]
pub extern "C" fn vigil_meddra_path_count(meddra: *const vigil_meddra, pt_code: u32) -> usize {
    with_meddra(meddra, 0, |m| m.dictionary.hierarchy(pt_code).len())
}

/// Path `index` of a PT (the primary one first): writes its codes and
/// whether it is primary, and returns true; false (nothing written) when out
/// of range. Any out-pointer may be NULL.
#[no_mangle]
pub extern "C" fn vigil_meddra_path(
    meddra: *const vigil_meddra,
    pt_code: u32,
    index: usize,
    hlt: *mut u32,
    hlgt: *mut u32,
    soc: *mut u32,
    primary: *mut bool,
) -> bool {
    with_meddra(meddra, false, |m| match m.dictionary.hierarchy(pt_code).get(index) {
        Some(path) => {
            for (out, value) in [(hlt, path.hlt), (hlgt, path.hlgt), (soc, path.soc)] {
                if let Some(out) = unsafe { out.as_mut() } {
                    *out = value;
                }
            }
            if let Some(out) = unsafe { primary.as_mut() } {
                *out = path.primary;
            }
            true
        }
        None => false,
    })
}

/// Retrieval hits, best first. Holds its dictionary alive. One owner at a time.
pub struct vigil_hits {
    _meddra: Arc<vigil_meddra>,
    items: Vec<Hit>,
    names: Vec<CString>,
}

/// BM25 retrieval of the `k` best PTs for `mention` over PT and LLT names
/// (an LLT hit retrieves its PT; an exact name ranks first). A mention with
/// no searchable words retrieves nothing (an empty list, not an error). On success
/// `*out` owns the hits (free with `vigil_hits_free`).
#[no_mangle]
pub extern "C" fn vigil_meddra_retrieve(
    meddra: *const vigil_meddra,
    mention: vigil_str,
    k: usize,
    out: *mut *mut vigil_hits,
) -> *mut vigil_error {
    ffi_boundary("vigil_meddra_retrieve", || {
        let handle = unsafe { borrow(meddra, "meddra") }?;
        let out = unsafe { borrow_mut(out, "out") }?;
        let items = handle.dictionary.retrieve(unsafe { view(mention, "mention") }?, k);
        let names = items.iter().map(|h| c_string(&h.matched_name)).collect();
        give_box(out, vigil_hits { _meddra: unsafe { clone_arc(handle) }, items, names });
        Ok(())
    })
}

/// Frees hits. NULL is a no-op.
#[no_mangle]
pub extern "C" fn vigil_hits_free(hits: *mut vigil_hits) {
    ffi_value((), || unsafe { free_box(hits) })
}

fn with_hit<T: Copy>(hits: *const vigil_hits, i: usize, fallback: T, read: impl FnOnce(&Hit) -> T) -> T {
    ffi_read(hits, fallback, |h| h.items.get(i).map(read))
}

/// Number of hits; 0 for NULL.
#[no_mangle]
pub extern "C" fn vigil_hits_count(hits: *const vigil_hits) -> usize {
    ffi_read(hits, 0, |h| Some(h.items.len()))
}

/// Hit `i`'s PT code; 0 when out of range.
#[no_mangle]
pub extern "C" fn vigil_hits_pt(hits: *const vigil_hits, i: usize) -> u32 {
    with_hit(hits, i, 0, |h| h.pt_code)
}

/// Hit `i`'s BM25 score; NaN when out of range.
#[no_mangle]
pub extern "C" fn vigil_hits_score(hits: *const vigil_hits, i: usize) -> f64 {
    with_hit(hits, i, f64::NAN, |h| f64::from(h.score))
}

/// The code of the LLT (or PT) whose name matched best; 0 when out of range.
#[no_mangle]
pub extern "C" fn vigil_hits_matched_code(hits: *const vigil_hits, i: usize) -> u32 {
    with_hit(hits, i, 0, |h| h.matched_code)
}

/// That name, borrowed for the hits' lifetime; NULL when out of range.
#[no_mangle]
pub extern "C" fn vigil_hits_matched_name(hits: *const vigil_hits, i: usize) -> *const c_char {
    ffi_read(hits, std::ptr::null(), |h| h.names.get(i).map(|n| n.as_ptr()))
}

/// Whether the name equals the mention (case and accents folded); false when out of range.
#[no_mangle]
pub extern "C" fn vigil_hits_exact(hits: *const vigil_hits, i: usize) -> bool {
    with_hit(hits, i, false, |h| h.exact)
}

/// Options for `vigil_meddra_normalize`. One owner at a time.
pub struct vigil_normalize_options {
    options: NormalizeOptions,
}

/// New normalisation options: 100 candidates, the model's threshold, every passing PT.
#[no_mangle]
pub extern "C" fn vigil_normalize_options_new() -> *mut vigil_normalize_options {
    ffi_value(std::ptr::null_mut(), || {
        Box::into_raw(Box::new(vigil_normalize_options { options: NormalizeOptions::default() }))
    })
}

/// Frees normalisation options. NULL is a no-op.
#[no_mangle]
pub extern "C" fn vigil_normalize_options_free(options: *mut vigil_normalize_options) {
    ffi_value((), || unsafe { free_box(options) })
}

/// Candidates retrieved per mention before reranking (default 100; at least 1).
#[no_mangle]
pub extern "C" fn vigil_normalize_options_set_candidates(
    options: *mut vigil_normalize_options,
    k: usize,
) -> *mut vigil_error {
    ffi_boundary("vigil_normalize_options_set_candidates", || {
        let options = unsafe { borrow_mut(options, "options") }?;
        if k == 0 {
            return fail(ErrorKind::InvalidArgument, "candidates per mention must be at least 1");
        }
        options.options.candidates = k;
        Ok(())
    })
}

/// Overrides the cross-encoder's threshold; must be in [0, 1].
#[no_mangle]
pub extern "C" fn vigil_normalize_options_set_threshold(
    options: *mut vigil_normalize_options,
    threshold: f64,
) -> *mut vigil_error {
    ffi_boundary("vigil_normalize_options_set_threshold", || {
        unsafe { borrow_mut(options, "options") }?.options.threshold = Some(check_threshold(threshold)?);
        Ok(())
    })
}

/// Keeps at most `k` PTs per mention; 0 keeps every PT that passes.
#[no_mangle]
pub extern "C" fn vigil_normalize_options_set_top_k(
    options: *mut vigil_normalize_options,
    k: usize,
) -> *mut vigil_error {
    ffi_boundary("vigil_normalize_options_set_top_k", || {
        unsafe { borrow_mut(options, "options") }?.options.top_k = (k > 0).then_some(k);
        Ok(())
    })
}

/// The PTs each mention was coded to, best first. Holds its dictionary and
/// model alive. One owner at a time.
pub struct vigil_codings {
    _meddra: Arc<vigil_meddra>,
    _model: Arc<vigil_model>,
    items: Vec<Vec<Coding>>,
    /// Per coding: (PT name, primary SOC name), readable after the host
    /// frees the dictionary.
    names: Vec<Vec<(CString, CString)>>,
}

/// Codes `n` mentions (e.g. the spans of a batch): retrieve candidates,
/// rerank them with the cross-encoder `model` (records rendered by its
/// template, every mention's pairs batched together), keep those over the
/// threshold with their primary SOC. `options` may be NULL for defaults.
/// TASK_MISMATCH unless `model` is a cross-encoder; a blank mention is EMPTY_TEXT.
/// On success `*out` owns the codings (free with `vigil_codings_free`).
#[no_mangle]
pub extern "C" fn vigil_meddra_normalize(
    meddra: *const vigil_meddra,
    model: *const vigil_model,
    mentions: *const vigil_str,
    n: usize,
    options: *const vigil_normalize_options,
    out: *mut *mut vigil_codings,
) -> *mut vigil_error {
    ffi_boundary("vigil_meddra_normalize", || {
        let dictionary = unsafe { borrow(meddra, "meddra") }?;
        let encoder = unsafe { borrow(model, "model") }?;
        let out = unsafe { borrow_mut(out, "out") }?;
        let mentions = unsafe { views(mentions, n) }?;
        let defaults = NormalizeOptions::default();
        let options = unsafe { options.as_ref() }.map_or(&defaults, |o| &o.options);
        let items = dictionary.dictionary.normalize(&encoder.model, &mentions, options)?;
        let soc_name = |code| dictionary.dictionary.soc(code).map_or_else(CString::default, |s| c_string(&s.name));
        let names = items
            .iter()
            .map(|codings| codings.iter().map(|c| (c_string(&c.pt_name), soc_name(c.soc_code))).collect())
            .collect();
        let codings = vigil_codings {
            _meddra: unsafe { clone_arc(dictionary) },
            _model: unsafe { clone_arc(encoder) },
            items,
            names,
        };
        give_box(out, codings);
        Ok(())
    })
}

/// Frees codings. NULL is a no-op.
#[no_mangle]
pub extern "C" fn vigil_codings_free(codings: *mut vigil_codings) {
    ffi_value((), || unsafe { free_box(codings) })
}

fn with_coding<T: Copy>(
    codings: *const vigil_codings,
    mention: usize,
    i: usize,
    fallback: T,
    read: impl FnOnce(&Coding) -> T,
) -> T {
    ffi_read(codings, fallback, |c| c.items.get(mention)?.get(i).map(read))
}

/// Number of mentions; 0 for NULL.
#[no_mangle]
pub extern "C" fn vigil_codings_mention_count(codings: *const vigil_codings) -> usize {
    ffi_read(codings, 0, |c| Some(c.items.len()))
}

/// Number of PTs mention `mention` was coded to; 0 when out of range.
#[no_mangle]
pub extern "C" fn vigil_codings_count(codings: *const vigil_codings, mention: usize) -> usize {
    ffi_read(codings, 0, |c| c.items.get(mention).map(Vec::len))
}

/// The PT code of coding `i`; 0 when out of range.
#[no_mangle]
pub extern "C" fn vigil_codings_pt(codings: *const vigil_codings, mention: usize, i: usize) -> u32 {
    with_coding(codings, mention, i, 0, |c| c.pt_code)
}

/// The PT name, borrowed for the codings' lifetime; NULL when out of range.
#[no_mangle]
pub extern "C" fn vigil_codings_pt_name(codings: *const vigil_codings, mention: usize, i: usize) -> *const c_char {
    ffi_read(codings, std::ptr::null(), |c| c.names.get(mention)?.get(i).map(|n| n.0.as_ptr()))
}

/// The primary SOC's name ("" without hierarchy), borrowed for the codings'
/// lifetime; NULL when out of range.
#[no_mangle]
pub extern "C" fn vigil_codings_soc_name(codings: *const vigil_codings, mention: usize, i: usize) -> *const c_char {
    ffi_read(codings, std::ptr::null(), |c| c.names.get(mention)?.get(i).map(|n| n.1.as_ptr()))
}

/// The PT's primary SOC code; 0 when out of range or without hierarchy.
#[no_mangle]
pub extern "C" fn vigil_codings_soc(codings: *const vigil_codings, mention: usize, i: usize) -> u32 {
    with_coding(codings, mention, i, 0, |c| c.soc_code)
}

/// The cross-encoder's probability; NaN when out of range.
#[no_mangle]
pub extern "C" fn vigil_codings_score(codings: *const vigil_codings, mention: usize, i: usize) -> f64 {
    with_coding(codings, mention, i, f64::NAN, |c| c.score)
}

/// Whether the mention equals one of the PT's names (case and accents folded); false when out of range.
#[no_mangle]
pub extern "C" fn vigil_codings_exact(codings: *const vigil_codings, mention: usize, i: usize) -> bool {
    with_coding(codings, mention, i, false, |c| c.exact)
}
