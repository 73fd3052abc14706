//! Cross-encoder reranking: score (mention, candidate) pairs and sort them,
//! with MedDRA candidates rendered by the model directory's template.

use serde_json::Value;

use super::classify::activate;
use super::error::{fail, Error, ErrorKind, Result};
use super::model::Model;
use super::model_dir::{ModelConfig, Task};

/// How a MedDRA record becomes the candidate text the model was trained on.
/// Labels and separators are part of it: a model trained on "PT: …；HLT: …"
/// scores differently on any other rendering. An empty label drops its part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    pub pt: String,
    pub llt: String,
    pub hlt: String,
    pub hlgt: String,
    pub soc: String,
    pub alias_separator: String,
    pub part_separator: String,
    pub max_llts: usize,
}

impl Default for Template {
    /// mention2meddra's "full" template (src/mention2meddra/templates.py).
    fn default() -> Self {
        Template {
            pt: "PT: ".into(),
            llt: "LLT别名: ".into(),
            hlt: "HLT: ".into(),
            hlgt: "HLGT: ".into(),
            soc: "SOC: ".into(),
            alias_separator: " | ".into(),
            part_separator: "；".into(),
            max_llts: 8,
        }
    }
}

impl Template {
    /// vigil.json's `template`: absent or "mention2meddra_full" for the
    /// default, or an object overriding any of its fields.
    fn parse(value: Option<&Value>) -> Result<Self> {
        let mut template = Template::default();
        let object = match value {
            None | Some(Value::Null) => return Ok(template),
            Some(Value::String(name)) if name == "mention2meddra_full" => return Ok(template),
            Some(Value::Object(object)) => object,
            Some(other) => {
                return fail(
                    ErrorKind::ModelInvalid,
                    format!("vigil.json: `template` must be \"mention2meddra_full\" or an object, got {other}"),
                )
            }
        };
        for (key, value) in object {
            let text = || {
                value.as_str().map(str::to_string).ok_or_else(|| {
                    Error::new(ErrorKind::ModelInvalid, format!("vigil.json: template `{key}` must be a string"))
                })
            };
            match key.as_str() {
                "pt" => template.pt = text()?,
                "llt" => template.llt = text()?,
                "hlt" => template.hlt = text()?,
                "hlgt" => template.hlgt = text()?,
                "soc" => template.soc = text()?,
                "alias_separator" => template.alias_separator = text()?,
                "part_separator" => template.part_separator = text()?,
                "max_llts" => {
                    template.max_llts = value.as_u64().ok_or_else(|| {
                        Error::new(ErrorKind::ModelInvalid, "vigil.json: template `max_llts` must be a whole number")
                    })? as usize
                }
                other => return fail(ErrorKind::ModelInvalid, format!("vigil.json: unknown template key `{other}`")),
            }
        }
        Ok(template)
    }

    /// Renders as mention2meddra does: names trimmed, empty ones left out,
    /// at most `max_llts` aliases.
    pub fn render(&self, record: &CandidateRecord) -> String {
        let clean = |s: &Option<String>| s.as_deref().map(str::trim).unwrap_or("").to_string();
        let llts: Vec<&str> =
            record.llt_names.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).take(self.max_llts).collect();
        let mut parts = vec![format!("{}{}", self.pt, record.pt_name.trim())];
        if !llts.is_empty() && !self.llt.is_empty() {
            parts.push(format!("{}{}", self.llt, llts.join(&self.alias_separator)));
        }
        for (label, name) in
            [(&self.hlt, &record.hlt_name), (&self.hlgt, &record.hlgt_name), (&self.soc, &record.soc_name)]
        {
            let name = clean(name);
            if !name.is_empty() && !label.is_empty() {
                parts.push(format!("{label}{name}"));
            }
        }
        parts.join(&self.part_separator)
    }
}

/// A MedDRA candidate: a PT with its aliases and hierarchy names, any of
/// which may be absent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CandidateRecord {
    pub pt_name: String,
    pub llt_names: Vec<String>,
    pub hlt_name: Option<String>,
    pub hlgt_name: Option<String>,
    pub soc_name: Option<String>,
}

/// What a cross-encoder directory declares, resolved at open.
pub struct RerankConfig {
    /// Index of the label whose probability is the score.
    pub positive: usize,
    pub threshold: f64,
    pub template: Template,
}

impl RerankConfig {
    pub fn new(config: &ModelConfig, labels: &[String]) -> Result<Self> {
        let positive = match (&config.positive_label, labels.len()) {
            (_, 1) => 0,
            (Some(name), _) => labels.iter().position(|l| l == name).ok_or_else(|| {
                Error::new(
                    ErrorKind::ModelInvalid,
                    format!("vigil.json: positive_label `{name}` is not one of {labels:?}"),
                )
            })?,
            // Binary cross-encoders put "match" at index 1 by convention.
            (None, 2) => 1,
            (None, n) => {
                return fail(
                    ErrorKind::ModelInvalid,
                    format!("vigil.json must name the positive_label among {n} labels"),
                )
            }
        };
        Ok(RerankConfig {
            positive,
            threshold: config.threshold.unwrap_or(0.5),
            template: Template::parse(config.template.as_ref())?,
        })
    }
}

/// Per-call choices for [`Model::rerank`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RerankOptions {
    /// Overrides the model's threshold (vigil.json `threshold`, else 0.5).
    pub threshold: Option<f64>,
    /// Keep only the best k; `None` keeps all.
    pub top_k: Option<usize>,
}

/// A threshold is a probability; anything else (NaN included) is refused.
pub fn check_threshold(threshold: f64) -> Result<f64> {
    if (0.0..=1.0).contains(&threshold) {
        Ok(threshold)
    } else {
        fail(ErrorKind::InvalidArgument, format!("threshold {threshold} is outside [0, 1]"))
    }
}

/// One candidate's place in the ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked {
    /// The candidate's position in the caller's list.
    pub index: usize,
    /// The positive label's probability.
    pub score: f64,
    /// `score >= threshold`.
    pub passes: bool,
    /// The candidate text was cut to fit max_length (the mention never is).
    pub truncated: bool,
}

impl Model {
    /// Scores each (mention, candidate) pair and returns them best first;
    /// equal scores keep the caller's order.
    pub fn rerank(&self, mention: &str, candidates: &[&str], options: &RerankOptions) -> Result<Vec<Ranked>> {
        let mut ranked = self.rerank_many(&[(mention, candidates)], options)?;
        Ok(ranked.pop().expect("one ranking per mention"))
    }

    /// Several mentions, each with its own candidates, scored in shared
    /// batches (so a batch of short mentions fills the token budget).
    pub fn rerank_many(&self, queries: &[(&str, &[&str])], options: &RerankOptions) -> Result<Vec<Vec<Ranked>>> {
        self.require_task(Task::CrossEncoder, "rerank")?;
        let config = self.rerank.as_ref().expect("cross-encoders carry a rerank config");
        let threshold = check_threshold(options.threshold.unwrap_or(config.threshold))?;
        let mut encoded = Vec::new();
        for (m, (mention, candidates)) in queries.iter().enumerate() {
            if mention.trim().is_empty() {
                let which = if queries.len() == 1 { "the mention".to_string() } else { format!("mention {m}") };
                return fail(ErrorKind::EmptyText, format!("{which} is empty"));
            }
            for (i, candidate) in candidates.iter().enumerate() {
                encoded.push(self.encoder.encode_pair(i, mention, candidate)?);
            }
        }
        let mut scored = self.run_windows(&encoded, false)?.into_iter().zip(&encoded);
        Ok(queries
            .iter()
            .map(|(_, candidates)| {
                let mut ranked: Vec<Ranked> = scored
                    .by_ref()
                    .take(candidates.len())
                    .enumerate()
                    .map(|(index, (logits, e))| {
                        let score = activate(self.activation, &logits)[config.positive];
                        Ranked { index, score, passes: score >= threshold, truncated: e.truncated }
                    })
                    .collect();
                ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.index.cmp(&b.index)));
                ranked.truncate(options.top_k.unwrap_or(usize::MAX));
                ranked
            })
            .collect())
    }

    /// Renders record candidates with the model's template, then reranks.
    pub fn rerank_candidates(
        &self,
        mention: &str,
        candidates: &[Candidate],
        options: &RerankOptions,
    ) -> Result<Vec<Ranked>> {
        let texts = candidates.iter().map(|c| self.render(c)).collect::<Result<Vec<_>>>()?;
        self.rerank(mention, &texts.iter().map(|t| t.as_ref()).collect::<Vec<_>>(), options)
    }

    /// The text the model sees for a candidate.
    pub fn render<'c>(&self, candidate: &'c Candidate) -> Result<std::borrow::Cow<'c, str>> {
        Ok(match candidate {
            Candidate::Text(text) => text.as_str().into(),
            Candidate::Record(record) => self.candidate_template()?.render(record).into(),
        })
    }

    /// The template this cross-encoder renders MedDRA records with.
    pub fn candidate_template(&self) -> Result<&Template> {
        self.require_task(Task::CrossEncoder, "render")?;
        Ok(&self.rerank.as_ref().expect("cross-encoders carry a rerank config").template)
    }
}

/// A candidate for reranking: plain text, or a MedDRA record the model's
/// template renders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Candidate {
    Text(String),
    Record(CandidateRecord),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_template_renders_as_mention2meddra_full() {
        let record = CandidateRecord {
            pt_name: " Rash ".into(),
            llt_names: vec!["Skin rash".into(), " ".into(), "Eruption".into()],
            hlt_name: None,
            hlgt_name: Some("Epidermal conditions".into()),
            soc_name: Some("".into()),
        };
        assert_eq!(
            Template::default().render(&record),
            "PT: Rash；LLT别名: Skin rash | Eruption；HLGT: Epidermal conditions"
        );
        let bare = CandidateRecord { pt_name: "Nausea".into(), ..Default::default() };
        assert_eq!(Template::default().render(&bare), "PT: Nausea");
    }

    #[test]
    fn templates_cap_aliases_and_reject_unknown_keys() {
        let template = Template::parse(Some(&serde_json::json!({"max_llts": 2, "part_separator": "; "}))).unwrap();
        let record = CandidateRecord {
            pt_name: "Headache".into(),
            llt_names: vec!["a".into(), "b".into(), "c".into()],
            ..Default::default()
        };
        assert_eq!(template.render(&record), "PT: Headache; LLT别名: a | b");
        assert!(Template::parse(Some(&serde_json::json!({"pt_label": "x"}))).is_err());
        assert!(Template::parse(Some(&serde_json::json!("english"))).is_err());
    }
}
