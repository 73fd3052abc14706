//! A bounded pool of ONNX Runtime sessions over one graph.
//!
//! ort 2.0.0-rc.15 makes `Session::run` take `&mut self` because some ONNX
//! Runtime internals are not safe under concurrent `Run`. Rather than a lock
//! around the model, each call checks out one of `sessions` sessions and
//! returns it when done. Each session holds its own weights (measured: +490
//! MB for BERT-base), so the default is one session using every core.

use ort::session::builder::GraphOptimizationLevel;
use ort::session::Session;
use ort::value::{Tensor, ValueType};
use parking_lot::{Condvar, Mutex};

use super::error::{fail, Error, ErrorKind, Result};
use super::runtime::Runtime;

/// One padded batch, row-major `[rows, cols]`.
pub struct Batch {
    pub rows: usize,
    pub cols: usize,
    pub input_ids: Vec<i64>,
    pub attention_mask: Vec<i64>,
    pub token_type_ids: Vec<i64>,
}

/// The graph's first output, copied out of ONNX Runtime.
pub struct Logits {
    pub shape: Vec<usize>,
    pub data: Vec<f32>,
}

pub struct SessionPool {
    idle: Mutex<Vec<Session>>,
    returned: Condvar,
    /// Whether the graph declares a `token_type_ids` input (DistilBERT does not).
    pub feeds_token_types: bool,
    output_name: String,
}

const KNOWN_INPUTS: [&str; 3] = ["input_ids", "attention_mask", "token_type_ids"];

impl SessionPool {
    pub fn new(runtime: &Runtime, onnx: &[u8], sessions: usize, intra_threads: usize) -> Result<Self> {
        let mut idle = Vec::with_capacity(sessions.max(1));
        for _ in 0..sessions.max(1) {
            idle.push(build_session(runtime, onnx, intra_threads)?);
        }
        let first = &idle[0];
        let names: Vec<&str> = first.inputs().iter().map(|i| i.name()).collect();
        if let Some(unknown) = names.iter().find(|n| !KNOWN_INPUTS.contains(n)) {
            return fail(
                ErrorKind::ModelInvalid,
                format!("model.onnx has input `{unknown}`; Vigil feeds only {KNOWN_INPUTS:?}"),
            );
        }
        for required in ["input_ids", "attention_mask"] {
            if !names.contains(&required) {
                return fail(
                    ErrorKind::ModelInvalid,
                    format!("model.onnx has no `{required}` input (inputs: {names:?})"),
                );
            }
        }
        for input in first.inputs() {
            if !matches!(input.dtype(), ValueType::Tensor { ty: ort::value::TensorElementType::Int64, .. }) {
                return fail(
                    ErrorKind::ModelInvalid,
                    format!("model.onnx input `{}` is {}, expected int64", input.name(), input.dtype()),
                );
            }
        }
        let output_name = first
            .outputs()
            .iter()
            .map(|o| o.name())
            .find(|&n| n == "logits")
            .or_else(|| first.outputs().first().map(|o| o.name()))
            .ok_or_else(|| Error::new(ErrorKind::ModelInvalid, "model.onnx has no outputs"))?
            .to_string();
        let feeds_token_types = names.contains(&"token_type_ids");
        Ok(SessionPool { idle: Mutex::new(idle), returned: Condvar::new(), feeds_token_types, output_name })
    }

    /// Runs one batch on whichever session is free, waiting for one if all
    /// are busy. The session goes back to the pool even if `run` fails.
    pub fn run(&self, batch: &Batch) -> Result<Logits> {
        let mut checkout = self.checkout();
        let session = checkout.session.as_mut().expect("a checkout holds its session until dropped");
        self.run_on(session, batch)
    }

    fn checkout(&self) -> Checkout<'_> {
        let mut idle = self.idle.lock();
        loop {
            if let Some(session) = idle.pop() {
                return Checkout { pool: self, session: Some(session) };
            }
            self.returned.wait(&mut idle);
        }
    }

    fn run_on(&self, session: &mut Session, batch: &Batch) -> Result<Logits> {
        let shape = [batch.rows, batch.cols];
        let tensor = |data: &[i64]| {
            Tensor::from_array((shape, data.to_vec()))
                .map_err(|e| Error::new(ErrorKind::Inference, format!("cannot build a {shape:?} input tensor: {e}")))
        };
        let mut inputs =
            vec![("input_ids", tensor(&batch.input_ids)?), ("attention_mask", tensor(&batch.attention_mask)?)];
        if self.feeds_token_types {
            inputs.push(("token_type_ids", tensor(&batch.token_type_ids)?));
        }
        let outputs = session.run(inputs).map_err(|e| {
            Error::new(ErrorKind::Inference, format!("ONNX Runtime failed on a batch of {shape:?}: {e}"))
        })?;
        let (out_shape, data) = outputs[self.output_name.as_str()].try_extract_tensor::<f32>().map_err(|e| {
            Error::new(ErrorKind::ModelInvalid, format!("output `{}` is not a float32 tensor: {e}", self.output_name))
        })?;
        Ok(Logits { shape: out_shape.iter().map(|&d| d as usize).collect(), data: data.to_vec() })
    }
}

/// A session on loan; dropping it (also during unwinding) returns it.
struct Checkout<'p> {
    pool: &'p SessionPool,
    session: Option<Session>,
}

impl Drop for Checkout<'_> {
    fn drop(&mut self) {
        if let Some(session) = self.session.take() {
            self.pool.idle.lock().push(session);
            self.pool.returned.notify_one();
        }
    }
}

fn build_session(runtime: &Runtime, onnx: &[u8], intra_threads: usize) -> Result<Session> {
    fn invalid(e: impl std::fmt::Display) -> Error {
        Error::new(ErrorKind::ModelInvalid, format!("ONNX Runtime cannot load model.onnx: {e}"))
    }
    Session::builder(&runtime.environment)
        .map_err(invalid)?
        .with_optimization_level(GraphOptimizationLevel::Level3)
        .map_err(invalid)?
        .with_intra_threads(intra_threads)
        .map_err(invalid)?
        .commit_from_memory(onnx)
        .map_err(invalid)
}
