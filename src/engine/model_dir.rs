//! Reading a Hugging Face export directory: the files, their fingerprint,
//! and what config.json, tokenizer_config.json and vigil.json say.
//!
//! Every file is read once; the bytes that are hashed are the bytes that are
//! parsed and loaded, so the fingerprint always describes what actually ran.

use std::path::Path;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::error::{fail, Error, ErrorKind, Result};
use super::options::LongText;

/// What the model does, which decides the entry points it answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Task {
    SequenceClassification = 1,
    TokenClassification = 2,
    /// A sequence classifier scoring (mention, candidate) pairs.
    CrossEncoder = 3,
}

/// How logits become scores, as transformers' pipelines choose it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    Softmax,
    Sigmoid,
    /// `problem_type: regression`: the pipeline reports raw logits.
    Identity,
}

/// The raw files of a model directory, held until the model is built.
pub struct ModelFiles {
    pub onnx: Vec<u8>,
    pub config: Vec<u8>,
    pub tokenizer: Vec<u8>,
    pub tokenizer_config: Option<Vec<u8>>,
    pub vigil: Option<Vec<u8>>,
    /// "sha256:<hex>" over the manifest of per-file digests.
    pub fingerprint: String,
}

impl ModelFiles {
    pub fn read(dir: &Path) -> Result<Self> {
        if !dir.is_dir() {
            return fail(
                ErrorKind::Io,
                format!("model directory `{}` does not exist or is not a directory", dir.display()),
            );
        }
        let required = |name: &str, kind: ErrorKind| {
            std::fs::read(dir.join(name))
                .map_err(|e| Error::new(kind, format!("cannot read `{}`: {e}", dir.join(name).display())))
        };
        let optional = |name: &str| match std::fs::read(dir.join(name)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => fail(ErrorKind::Io, format!("cannot read `{}`: {e}", dir.join(name).display())),
        };
        let mut files = ModelFiles {
            onnx: required("model.onnx", ErrorKind::ModelInvalid)?,
            config: required("config.json", ErrorKind::ModelInvalid)?,
            tokenizer: required("tokenizer.json", ErrorKind::TokenizerInvalid)?,
            tokenizer_config: optional("tokenizer_config.json")?,
            vigil: optional("vigil.json")?,
            fingerprint: String::new(),
        };
        files.fingerprint = files.compute_fingerprint();
        Ok(files)
    }

    /// The digest of a `sha256sum`-style manifest ("<hex>  <name>\n" per file
    /// present, in this fixed order), so an auditor can recompute it with
    /// standard tools. tokenizer_config.json is included because its
    /// model_max_length changes the answers.
    fn compute_fingerprint(&self) -> String {
        let entries: [(&str, Option<&[u8]>); 5] = [
            ("model.onnx", Some(&self.onnx)),
            ("config.json", Some(&self.config)),
            ("tokenizer.json", Some(&self.tokenizer)),
            ("tokenizer_config.json", self.tokenizer_config.as_deref()),
            ("vigil.json", self.vigil.as_deref()),
        ];
        let mut manifest = String::new();
        for (name, bytes) in entries {
            if let Some(bytes) = bytes {
                manifest.push_str(&format!("{}  {name}\n", hex(&Sha256::digest(bytes))));
            }
        }
        format!("sha256:{}", hex(&Sha256::digest(manifest.as_bytes())))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the JSON files say about the model, merged (vigil.json wins).
#[derive(Clone, Debug, PartialEq)]
pub struct ModelConfig {
    pub task: Task,
    /// Label names by id; empty when the export names none (filled from the graph).
    pub labels: Vec<String>,
    pub activation: Activation,
    /// The model's own sequence limit, before the host's cap.
    pub max_length: usize,
    pub vocab_size: Option<usize>,
    pub pad_token: Option<String>,
    pub long_text: Option<LongText>,
    pub stride: Option<usize>,
    /// Cross-encoders: the label whose probability is the match score.
    pub positive_label: Option<String>,
    pub threshold: Option<f64>,
    /// Cross-encoders: vigil.json's `template`, parsed by the rerank task.
    pub template: Option<Value>,
}

const VIGIL_KEYS: &[&str] =
    &["task", "labels", "problem_type", "long_text", "stride", "max_length", "positive_label", "threshold", "template"];

fn parse_object(bytes: &[u8], name: &str, kind: ErrorKind) -> Result<Map<String, Value>> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => fail(kind, format!("{name} is not a JSON object")),
        Err(e) => fail(kind, format!("{name} is not valid JSON: {e}")),
    }
}

fn usize_field(map: &Map<String, Value>, key: &str, file: &str) -> Result<Option<usize>> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match v.as_u64() {
            Some(n) => Ok(Some(n as usize)),
            // tokenizer_config.json writes a huge float for "no limit".
            None if v.as_f64().is_some_and(|f| f > 1e9) => Ok(None),
            None => fail(ErrorKind::ModelInvalid, format!("{file}: `{key}` must be a non-negative integer, got {v}")),
        },
    }
}

fn str_field<'m>(map: &'m Map<String, Value>, key: &str, file: &str) -> Result<Option<&'m str>> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(v) => fail(ErrorKind::ModelInvalid, format!("{file}: `{key}` must be a string, got {v}")),
    }
}

impl ModelConfig {
    pub fn parse(files: &ModelFiles) -> Result<Self> {
        let config = parse_object(&files.config, "config.json", ErrorKind::ModelInvalid)?;
        let vigil = match &files.vigil {
            Some(bytes) => parse_object(bytes, "vigil.json", ErrorKind::ModelInvalid)?,
            None => Map::new(),
        };
        if let Some(unknown) = vigil.keys().find(|k| !VIGIL_KEYS.contains(&k.as_str())) {
            return fail(
                ErrorKind::ModelInvalid,
                format!("vigil.json: unknown key `{unknown}` (known: {})", VIGIL_KEYS.join(", ")),
            );
        }
        let tokenizer_config = match &files.tokenizer_config {
            Some(bytes) => parse_object(bytes, "tokenizer_config.json", ErrorKind::TokenizerInvalid)?,
            None => Map::new(),
        };

        let task = match str_field(&vigil, "task", "vigil.json")? {
            Some(name) => parse_task(name)?,
            None => task_from_architectures(&config)?,
        };
        let labels = match vigil.get("labels") {
            Some(value) => labels_from_list(value)?,
            None => labels_from_id2label(&config)?,
        };
        let problem_type = match str_field(&vigil, "problem_type", "vigil.json")? {
            Some(p) => Some(p),
            None => str_field(&config, "problem_type", "config.json")?,
        };
        let activation = match problem_type {
            Some("regression") => Activation::Identity,
            Some("multi_label_classification") => Activation::Sigmoid,
            Some("single_label_classification") => Activation::Softmax,
            Some(other) if !other.is_empty() => {
                return fail(ErrorKind::ModelInvalid, format!("unsupported problem_type `{other}`"));
            }
            _ if labels.len() == 1 => Activation::Sigmoid,
            _ => Activation::Softmax,
        };

        let max_length = model_max_length(&config, &tokenizer_config, &vigil)?;
        let long_text = match str_field(&vigil, "long_text", "vigil.json")? {
            Some(name) => Some(parse_long_text(name)?),
            None => None,
        };
        let pad_token = match tokenizer_config.get("pad_token") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Object(o)) => o.get("content").and_then(Value::as_str).map(str::to_string),
            _ => None,
        };
        Ok(ModelConfig {
            task,
            labels,
            activation,
            max_length,
            vocab_size: usize_field(&config, "vocab_size", "config.json")?,
            pad_token,
            long_text,
            stride: usize_field(&vigil, "stride", "vigil.json")?,
            positive_label: str_field(&vigil, "positive_label", "vigil.json")?.map(str::to_string),
            threshold: match vigil.get("threshold") {
                None | Some(Value::Null) => None,
                Some(v) => Some(v.as_f64().filter(|t| (0.0..=1.0).contains(t)).ok_or_else(|| {
                    Error::new(
                        ErrorKind::ModelInvalid,
                        format!("vigil.json: `threshold` must be a number in [0, 1], got {v}"),
                    )
                })?),
            },
            template: vigil.get("template").cloned(),
        })
    }
}

pub fn parse_long_text(name: &str) -> Result<LongText> {
    match name {
        "truncate" => Ok(LongText::Truncate),
        "window_mean" => Ok(LongText::WindowMean),
        "window_max" => Ok(LongText::WindowMax),
        other => fail(
            ErrorKind::ModelInvalid,
            format!("unknown long_text policy `{other}`; expected truncate, window_mean or window_max"),
        ),
    }
}

fn parse_task(name: &str) -> Result<Task> {
    match name {
        "sequence_classification" | "text-classification" => Ok(Task::SequenceClassification),
        "token_classification" | "token-classification" => Ok(Task::TokenClassification),
        "cross_encoder" => Ok(Task::CrossEncoder),
        other => fail(ErrorKind::ModelInvalid, format!("vigil.json: unknown task `{other}`")),
    }
}

fn task_from_architectures(config: &Map<String, Value>) -> Result<Task> {
    let architectures: Vec<&str> = config
        .get("architectures")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for arch in &architectures {
        if arch.ends_with("ForSequenceClassification") {
            return Ok(Task::SequenceClassification);
        }
        if arch.ends_with("ForTokenClassification") {
            return Ok(Task::TokenClassification);
        }
    }
    fail(
        ErrorKind::ModelInvalid,
        format!(
            "config.json: cannot tell the task from architectures {architectures:?}; \
             expected *ForSequenceClassification or *ForTokenClassification, or set `task` in vigil.json"
        ),
    )
}

fn labels_from_list(value: &Value) -> Result<Vec<String>> {
    let list = value
        .as_array()
        .ok_or_else(|| Error::new(ErrorKind::ModelInvalid, "vigil.json: `labels` must be a list of strings"))?;
    list.iter()
        .map(|v| {
            v.as_str()
                .map(str::to_string)
                .ok_or_else(|| Error::new(ErrorKind::ModelInvalid, "vigil.json: `labels` must be a list of strings"))
        })
        .collect()
}

/// id2label as a dense list; ids must be exactly 0..n.
fn labels_from_id2label(config: &Map<String, Value>) -> Result<Vec<String>> {
    let Some(map) = config.get("id2label").and_then(Value::as_object) else {
        return Ok(Vec::new());
    };
    let mut labels = vec![None; map.len()];
    for (id, name) in map {
        let index = id.parse::<usize>().ok().filter(|&i| i < labels.len());
        let name = name.as_str();
        match (index, name) {
            (Some(i), Some(name)) if labels[i].is_none() => labels[i] = Some(name.to_string()),
            _ => {
                return fail(
                    ErrorKind::ModelInvalid,
                    format!("config.json: id2label must map ids 0..{} to names; bad entry `{id}`", map.len()),
                )
            }
        }
    }
    Ok(labels.into_iter().map(|l| l.unwrap_or_default()).collect())
}

/// The smallest of the limits the export states. RoBERTa-family position
/// tables carry two extra rows for the padding offset, so they hold two
/// tokens fewer than max_position_embeddings says.
fn model_max_length(
    config: &Map<String, Value>,
    tokenizer_config: &Map<String, Value>,
    vigil: &Map<String, Value>,
) -> Result<usize> {
    let offset = match config.get("model_type").and_then(Value::as_str) {
        Some("roberta" | "xlm-roberta" | "camembert") => 2,
        _ => 0,
    };
    let limits = [
        usize_field(config, "max_position_embeddings", "config.json")?.map(|n| n.saturating_sub(offset)),
        usize_field(tokenizer_config, "model_max_length", "tokenizer_config.json")?,
        usize_field(vigil, "max_length", "vigil.json")?,
    ];
    match limits.into_iter().flatten().min() {
        Some(n) if n >= 2 => Ok(n),
        Some(n) => fail(ErrorKind::ModelInvalid, format!("maximum sequence length {n} is too small to hold a text")),
        None => fail(
            ErrorKind::ModelInvalid,
            "config.json states no max_position_embeddings and no other file gives a maximum length",
        ),
    }
}
