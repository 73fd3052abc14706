//! Cross-encoder reranking through the C ABI.

use std::sync::Arc;

use super::boundary::{ffi_boundary, ffi_read, ffi_value};
use super::error::vigil_error;
use super::handle::{borrow, borrow_mut, clone_arc, free_box, give_box};
use super::model::vigil_model;
use super::str::{view, views, vigil_str};
use crate::engine::rerank::{check_threshold, Candidate, CandidateRecord, Ranked, RerankOptions};

/// A list of candidates to rerank, built one by one: plain texts and MedDRA
/// records (rendered by the model's template) may be mixed. One owner at a time.
pub struct vigil_candidates {
    pub(crate) items: Vec<Candidate>,
}

/// A new, empty candidate list. Free with `vigil_candidates_free`.
#[no_mangle]
pub extern "C" fn vigil_candidates_new() -> *mut vigil_candidates {
    ffi_value(std::ptr::null_mut(), || Box::into_raw(Box::new(vigil_candidates { items: Vec::new() })))
}

/// Frees a candidate list. NULL is a no-op.
#[no_mangle]
pub extern "C" fn vigil_candidates_free(candidates: *mut vigil_candidates) {
    ffi_value((), || unsafe { free_box(candidates) })
}

/// Appends a plain candidate text (copied).
#[no_mangle]
pub extern "C" fn vigil_candidates_add_text(candidates: *mut vigil_candidates, text: vigil_str) -> *mut vigil_error {
    ffi_boundary("vigil_candidates_add_text", || {
        let list = unsafe { borrow_mut(candidates, "candidates") }?;
        list.items.push(Candidate::Text(unsafe { view(text, "text") }?.to_string()));
        Ok(())
    })
}

/// Appends a MedDRA record (copied): PT name, `n_llts` LLT names (`llt_names`
/// may be NULL when 0), and HLT, HLGT and SOC names, each `{NULL, 0}` when absent.
#[no_mangle]
pub extern "C" fn vigil_candidates_add_meddra(
    candidates: *mut vigil_candidates,
    pt_name: vigil_str,
    llt_names: *const vigil_str,
    n_llts: usize,
    hlt_name: vigil_str,
    hlgt_name: vigil_str,
    soc_name: vigil_str,
) -> *mut vigil_error {
    ffi_boundary("vigil_candidates_add_meddra", || {
        let list = unsafe { borrow_mut(candidates, "candidates") }?;
        let optional = |s: vigil_str, what: &str| -> crate::engine::error::Result<Option<String>> {
            let text = unsafe { view(s, what) }?;
            Ok((!text.is_empty()).then(|| text.to_string()))
        };
        let record = CandidateRecord {
            pt_name: unsafe { view(pt_name, "pt_name") }?.to_string(),
            llt_names: unsafe { views(llt_names, n_llts) }?.into_iter().map(str::to_string).collect(),
            hlt_name: optional(hlt_name, "hlt_name")?,
            hlgt_name: optional(hlgt_name, "hlgt_name")?,
            soc_name: optional(soc_name, "soc_name")?,
        };
        list.items.push(Candidate::Record(record));
        Ok(())
    })
}

/// Per-call rerank options. One owner at a time.
pub struct vigil_rerank_options {
    pub(crate) options: RerankOptions,
}

/// New rerank options: the model's threshold, every candidate returned.
#[no_mangle]
pub extern "C" fn vigil_rerank_options_new() -> *mut vigil_rerank_options {
    ffi_value(std::ptr::null_mut(), || {
        Box::into_raw(Box::new(vigil_rerank_options { options: RerankOptions::default() }))
    })
}

/// Frees rerank options. NULL is a no-op.
#[no_mangle]
pub extern "C" fn vigil_rerank_options_free(options: *mut vigil_rerank_options) {
    ffi_value((), || unsafe { free_box(options) })
}

/// Overrides the model's threshold (vigil.json `threshold`, else 0.5); must be in [0, 1].
#[no_mangle]
pub extern "C" fn vigil_rerank_options_set_threshold(
    options: *mut vigil_rerank_options,
    threshold: f64,
) -> *mut vigil_error {
    ffi_boundary("vigil_rerank_options_set_threshold", || {
        unsafe { borrow_mut(options, "options") }?.options.threshold = Some(check_threshold(threshold)?);
        Ok(())
    })
}

/// Keeps only the best `k` candidates; 0 keeps all.
#[no_mangle]
pub extern "C" fn vigil_rerank_options_set_top_k(options: *mut vigil_rerank_options, k: usize) -> *mut vigil_error {
    ffi_boundary("vigil_rerank_options_set_top_k", || {
        unsafe { borrow_mut(options, "options") }?.options.top_k = (k > 0).then_some(k);
        Ok(())
    })
}

/// Candidates ranked best first (equal scores keep the input order). Holds
/// its model alive. One owner at a time.
pub struct vigil_ranking {
    _model: Arc<vigil_model>,
    items: Vec<Ranked>,
}

fn rank(
    call: &str,
    model: *const vigil_model,
    mention: vigil_str,
    options: *const vigil_rerank_options,
    out: *mut *mut vigil_ranking,
    candidates: impl FnOnce() -> crate::engine::error::Result<Vec<Candidate>>,
) -> *mut vigil_error {
    ffi_boundary(call, || {
        let handle = unsafe { borrow(model, "model") }?;
        let out = unsafe { borrow_mut(out, "out") }?;
        let mention = unsafe { view(mention, "mention") }?;
        let defaults = RerankOptions::default();
        let options = unsafe { options.as_ref() }.map_or(&defaults, |o| &o.options);
        let items = handle.model.rerank_candidates(mention, &candidates()?, options)?;
        give_box(out, vigil_ranking { _model: unsafe { clone_arc(handle) }, items });
        Ok(())
    })
}

/// Scores every (mention, candidate) pair with a cross-encoder and ranks
/// them. `options` may be NULL for defaults. An empty list gives an empty
/// ranking. On success `*out` owns the result (free with
/// `vigil_ranking_free`); on failure `*out` is untouched.
#[no_mangle]
pub extern "C" fn vigil_model_rerank(
    model: *const vigil_model,
    mention: vigil_str,
    candidates: *const vigil_candidates,
    options: *const vigil_rerank_options,
    out: *mut *mut vigil_ranking,
) -> *mut vigil_error {
    rank("vigil_model_rerank", model, mention, options, out, || {
        Ok(unsafe { borrow(candidates, "candidates") }?.items.clone())
    })
}

/// `vigil_model_rerank` for `n` plain candidate texts (`texts` may be NULL when `n` is 0).
#[no_mangle]
pub extern "C" fn vigil_model_rerank_texts(
    model: *const vigil_model,
    mention: vigil_str,
    texts: *const vigil_str,
    n: usize,
    options: *const vigil_rerank_options,
    out: *mut *mut vigil_ranking,
) -> *mut vigil_error {
    rank("vigil_model_rerank_texts", model, mention, options, out, || {
        Ok(unsafe { views(texts, n) }?.into_iter().map(|t| Candidate::Text(t.to_string())).collect())
    })
}

/// Frees a ranking. NULL is a no-op.
#[no_mangle]
pub extern "C" fn vigil_ranking_free(ranking: *mut vigil_ranking) {
    ffi_value((), || unsafe { free_box(ranking) })
}

fn with_rank<T: Copy>(ranking: *const vigil_ranking, i: usize, fallback: T, read: impl FnOnce(&Ranked) -> T) -> T {
    ffi_read(ranking, fallback, |r| r.items.get(i).map(read))
}

/// Number of ranked candidates (after top-k); 0 for NULL.
#[no_mangle]
pub extern "C" fn vigil_ranking_count(ranking: *const vigil_ranking) -> usize {
    ffi_read(ranking, 0, |r| Some(r.items.len()))
}

/// The `i`-th best candidate's position in the input list; SIZE_MAX when out of range.
#[no_mangle]
pub extern "C" fn vigil_ranking_index(ranking: *const vigil_ranking, i: usize) -> usize {
    with_rank(ranking, i, usize::MAX, |r| r.index)
}

/// Its score: the positive label's probability; NaN when out of range.
#[no_mangle]
pub extern "C" fn vigil_ranking_score(ranking: *const vigil_ranking, i: usize) -> f64 {
    with_rank(ranking, i, f64::NAN, |r| r.score)
}

/// Whether its score reaches the threshold; false when out of range.
#[no_mangle]
pub extern "C" fn vigil_ranking_passes(ranking: *const vigil_ranking, i: usize) -> bool {
    with_rank(ranking, i, false, |r| r.passes)
}

/// Whether its candidate text was cut to fit max_length; false when out of range.
#[no_mangle]
pub extern "C" fn vigil_ranking_truncated(ranking: *const vigil_ranking, i: usize) -> bool {
    with_rank(ranking, i, false, |r| r.truncated)
}
