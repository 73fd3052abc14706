//! Mention → MedDRA PT end to end: BM25 retrieves candidate PTs, the
//! cross-encoder reranks them rendered as records, and the PTs over the
//! threshold come back with their primary SOC.

use super::loader::Dictionary;
use crate::engine::error::{fail, ErrorKind, Result};
use crate::engine::model::Model;
use crate::engine::rerank::{CandidateRecord, RerankOptions};

/// Per-call choices for [`Dictionary::normalize`].
#[derive(Clone, Debug, PartialEq)]
pub struct NormalizeOptions {
    /// Candidates retrieved per mention before reranking (mention2meddra: 100).
    pub candidates: usize,
    /// Overrides the cross-encoder's threshold.
    pub threshold: Option<f64>,
    /// Keep at most this many codings per mention; `None` keeps all that pass.
    pub top_k: Option<usize>,
}

impl Default for NormalizeOptions {
    fn default() -> Self {
        NormalizeOptions { candidates: 100, threshold: None, top_k: None }
    }
}

/// One PT a mention is coded to.
#[derive(Clone, Debug, PartialEq)]
pub struct Coding {
    pub pt_code: u32,
    pub pt_name: String,
    /// The PT's primary SOC code (0 when the release gives it no hierarchy).
    pub soc_code: u32,
    /// The cross-encoder's probability for (mention, PT record).
    pub score: f64,
    /// The mention equals one of the PT's names (after case and accent folding).
    pub exact: bool,
}

impl Dictionary {
    /// The record the cross-encoder sees for a PT: its name, its other
    /// current LLT names, and the names on its primary SOC path.
    pub fn candidate_record(&self, pt_code: u32) -> Option<CandidateRecord> {
        let pt = self.pt(pt_code)?;
        let path = self.hierarchy(pt_code).iter().find(|p| p.primary).or_else(|| self.hierarchy(pt_code).first());
        let name = |term: Option<&super::loader::Term>| term.map(|t| t.name.clone());
        Some(CandidateRecord {
            pt_name: pt.name.clone(),
            // The PT's own LLT repeats its name; the alias list is for the others.
            llt_names: self
                .llts_of(pt_code)
                .filter(|l| l.current && l.name != pt.name)
                .map(|l| l.name.clone())
                .collect(),
            hlt_name: path.and_then(|p| name(self.hlt(p.hlt))),
            hlgt_name: path.and_then(|p| name(self.hlgt(p.hlgt))),
            soc_name: path.and_then(|p| name(self.soc(p.soc))),
        })
    }

    /// Codes each mention: retrieve `options.candidates` PTs, rerank them
    /// with the cross-encoder `model` (all mentions' pairs batched
    /// together), keep those passing the threshold, best first.
    pub fn normalize(&self, model: &Model, mentions: &[&str], options: &NormalizeOptions) -> Result<Vec<Vec<Coding>>> {
        if options.candidates == 0 {
            return fail(ErrorKind::InvalidArgument, "candidates per mention must be at least 1");
        }
        let hits: Vec<_> = mentions.iter().map(|m| self.retrieve(m, options.candidates)).collect();
        let template = model.candidate_template()?;
        let texts: Vec<Vec<String>> = hits
            .iter()
            .map(|hits| {
                hits.iter()
                    .map(|h| template.render(&self.candidate_record(h.pt_code).expect("retrieval returns known PTs")))
                    .collect()
            })
            .collect();
        let refs: Vec<Vec<&str>> = texts.iter().map(|t| t.iter().map(String::as_str).collect()).collect();
        let queries: Vec<(&str, &[&str])> = mentions.iter().zip(&refs).map(|(m, t)| (*m, t.as_slice())).collect();
        let rerank = RerankOptions { threshold: options.threshold, top_k: None };
        let ranked = model.rerank_many(&queries, &rerank)?;
        Ok(ranked
            .into_iter()
            .zip(&hits)
            .map(|(ranked, hits)| {
                let mut codings: Vec<Coding> = ranked
                    .into_iter()
                    .filter(|r| r.passes)
                    .map(|r| {
                        let hit = &hits[r.index];
                        let pt = self.pt(hit.pt_code).expect("retrieval returns known PTs");
                        let soc_code = self.primary_soc(pt.code).map_or(0, |s| s.code);
                        Coding {
                            pt_code: pt.code,
                            pt_name: pt.name.clone(),
                            soc_code,
                            score: r.score,
                            exact: hit.exact,
                        }
                    })
                    .collect();
                codings.truncate(options.top_k.unwrap_or(usize::MAX));
                codings
            })
            .collect())
    }
}
