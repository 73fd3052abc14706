//! A loaded model: its configuration, tokenizer, session pool and identity.

use std::path::Path;

use super::encode::Encoder;
use super::error::{fail, Error, ErrorKind, Result};
use super::model_dir::{Activation, ModelConfig, ModelFiles, Task};
use super::options::{ExecutionProvider, LongText, Options};
use super::rerank::RerankConfig;
use super::runtime::{self, Runtime};
use super::session_pool::{Batch, SessionPool};

/// A model opened from an export directory. Immutable after `open`, and
/// `Sync`: share one across all threads.
pub struct Model {
    /// Cross-encoders only: positive label, threshold, candidate template.
    pub(crate) rerank: Option<RerankConfig>,
    pub(crate) task: Task,
    pub(crate) labels: Vec<String>,
    pub(crate) activation: Activation,
    pub(crate) encoder: Encoder,
    pub(crate) pool: SessionPool,
    pub(crate) long_text: LongText,
    pub(crate) max_tokens_per_batch: usize,
    /// Set for dynamically quantised graphs: see [`scales_with_batch`].
    pub(crate) one_window_per_run: bool,
    fingerprint: String,
    runtime: &'static Runtime,
}

impl Model {
    pub fn open(dir: impl AsRef<Path>, options: &Options) -> Result<Model> {
        let dir = dir.as_ref();
        if options.execution_provider != ExecutionProvider::Cpu {
            return fail(
                ErrorKind::ProviderUnavailable,
                format!(
                    "execution provider `{}` is not available in this build; only cpu is",
                    options.execution_provider.name()
                ),
            );
        }
        if options.sessions == 0 {
            return fail(ErrorKind::InvalidArgument, "sessions must be at least 1");
        }
        let files = ModelFiles::read(dir)?;
        let config = ModelConfig::parse(&files)?;
        let runtime = runtime::load(options)?;

        let max_length = options.max_length.map_or(config.max_length, |cap| cap.min(config.max_length));
        if options.max_tokens_per_batch < max_length {
            return fail(
                ErrorKind::InvalidArgument,
                format!("max_tokens_per_batch {} is below max_length {max_length}", options.max_tokens_per_batch),
            );
        }
        // A (mention, candidate) pair is never split into windows.
        let pairs = config.task == Task::CrossEncoder;
        let long_text = if pairs {
            LongText::Truncate
        } else {
            options.long_text.or(config.long_text).unwrap_or(LongText::WindowMax)
        };
        let stride = options.stride.or(config.stride).unwrap_or(max_length / 4);
        let encoder = Encoder::new(
            &files.tokenizer,
            config.pad_token.as_deref(),
            max_length,
            stride,
            long_text != LongText::Truncate,
            pairs,
            options.max_text_bytes,
        )?;
        let max_id = encoder.max_token_id() as usize;
        if let Some(vocab_size) = config.vocab_size.filter(|&v| max_id >= v) {
            return fail(
                ErrorKind::ModelMismatch,
                format!("tokenizer.json emits ids up to {max_id} but config.json says the model's vocabulary has {vocab_size} entries"),
            );
        }
        let pool = SessionPool::new(runtime, &files.onnx, options.sessions, options.intra_threads)?;
        let labels = probe_labels(&pool, max_id, config.labels.clone())?;
        let rerank = if pairs { Some(RerankConfig::new(&config, &labels)?) } else { None };
        Ok(Model {
            rerank,
            task: config.task,
            labels,
            activation: config.activation,
            encoder,
            pool,
            long_text,
            max_tokens_per_batch: options.max_tokens_per_batch,
            one_window_per_run: scales_with_batch(&files.onnx),
            fingerprint: files.fingerprint,
            runtime,
        })
    }

    pub fn task(&self) -> Task {
        self.task
    }
    pub fn labels(&self) -> &[String] {
        &self.labels
    }
    pub fn max_length(&self) -> usize {
        self.encoder.max_length
    }
    pub fn stride(&self) -> usize {
        self.encoder.stride
    }
    pub fn long_text(&self) -> LongText {
        self.long_text
    }
    /// True when every window runs alone, so that a text's scores never
    /// depend on the other texts in a call (dynamically quantised graphs).
    pub fn one_window_per_run(&self) -> bool {
        self.one_window_per_run
    }
    /// "sha256:<hex>": see [`ModelFiles`] for exactly what it covers.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
    pub fn ort_version(&self) -> &str {
        &self.runtime.version
    }
    pub fn ort_library(&self) -> &Path {
        &self.runtime.library
    }
    pub fn execution_provider(&self) -> ExecutionProvider {
        ExecutionProvider::Cpu
    }

    pub(crate) fn require_task(&self, wanted: Task, call: &str) -> Result<()> {
        if self.task == wanted {
            Ok(())
        } else {
            fail(ErrorKind::TaskMismatch, format!("{call} needs a {wanted:?} model, but this model is {:?}", self.task))
        }
    }
}

/// ONNX Runtime's dynamic quantisation (DynamicQuantizeLinear, and the
/// DynamicQuantizeMatMul it fuses into) takes one activation scale from the
/// whole batch tensor, padding included, so a text's scores would move with
/// its batch-mates. Op types are plain strings in the protobuf; a stray match
/// (say in a doc string) only costs batching, never correctness.
fn scales_with_batch(onnx: &[u8]) -> bool {
    const OP_PREFIX: &[u8] = b"DynamicQuantize";
    onnx.windows(OP_PREFIX.len()).any(|w| w == OP_PREFIX)
}

/// Runs the tokenizer's largest id through the graph once. ONNX Runtime
/// rejects an id past the embedding table, so a tokenizer that does not
/// belong to the model fails here rather than giving wrong answers later;
/// the output's last dimension also tells how many labels the graph has.
fn probe_labels(pool: &SessionPool, max_id: usize, labels: Vec<String>) -> Result<Vec<String>> {
    let batch =
        Batch { rows: 1, cols: 1, input_ids: vec![max_id as i64], attention_mask: vec![1], token_type_ids: vec![0] };
    let logits = pool.run(&batch).map_err(|e| {
        Error::new(
            ErrorKind::ModelMismatch,
            format!("model.onnx fails on the tokenizer's largest id {max_id}, so tokenizer.json does not match the model: {}", e.message),
        )
    })?;
    let width = logits.shape.last().copied().unwrap_or(0);
    if labels.is_empty() {
        return Ok((0..width).map(|i| format!("LABEL_{i}")).collect());
    }
    if width != labels.len() {
        return fail(
            ErrorKind::ModelMismatch,
            format!("config names {} labels but model.onnx outputs {width} scores", labels.len()),
        );
    }
    Ok(labels)
}
