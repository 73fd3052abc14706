//! The hot path shared by every task: encoded windows → length-sorted
//! batches under the token budget → session pool → logits per window, back
//! in input order.

use super::encode::{plan_batches, Encoded};
use super::error::{fail, ErrorKind, Result};
use super::model::Model;

/// Raw logits for one window: `[labels]` for a sequence task, or
/// `[tokens × labels]` (row-major, the window's real tokens only) for a
/// token task.
pub type WindowLogits = Vec<f32>;

impl Model {
    /// How windows of these token lengths are grouped into graph runs:
    /// length-sorted batches under the token budget, or one window per run
    /// for a graph whose answers would depend on its batch-mates.
    pub fn plan_runs(&self, lengths: &[usize]) -> Vec<Vec<usize>> {
        if self.one_window_per_run {
            (0..lengths.len()).map(|i| vec![i]).collect()
        } else {
            plan_batches(lengths, self.max_tokens_per_batch)
        }
    }

    /// Runs every window of every text; the result lists windows text by
    /// text, in the order `encoded` holds them.
    pub(crate) fn run_windows(&self, encoded: &[Encoded], per_token: bool) -> Result<Vec<WindowLogits>> {
        let windows: Vec<(usize, &tokenizers::Encoding)> =
            encoded.iter().enumerate().flat_map(|(t, e)| e.windows.iter().map(move |w| (t, w))).collect();
        let lengths: Vec<usize> = windows.iter().map(|(_, w)| w.len()).collect();
        let n_labels = self.labels.len();
        let mut out = vec![Vec::new(); windows.len()];
        for plan in self.plan_runs(&lengths) {
            let batch = self.encoder.batch(&plan.iter().map(|&i| windows[i].1).collect::<Vec<_>>());
            let logits = self.pool.run(&batch)?;
            let expected: &[usize] =
                if per_token { &[batch.rows, batch.cols, n_labels] } else { &[batch.rows, n_labels] };
            if logits.shape != expected {
                return fail(
                    ErrorKind::ModelInvalid,
                    format!("model.onnx returned logits of shape {:?}, expected {expected:?}", logits.shape),
                );
            }
            let row_size = logits.data.len() / batch.rows;
            for (row, &item) in plan.iter().enumerate() {
                let used = if per_token { lengths[item] * n_labels } else { n_labels };
                let row_logits = &logits.data[row * row_size..row * row_size + used];
                if row_logits.iter().any(|x| !x.is_finite()) {
                    return fail(
                        ErrorKind::NonFinite,
                        format!("model produced non-finite logits for text {}", windows[item].0),
                    );
                }
                out[item] = row_logits.to_vec();
            }
        }
        Ok(out)
    }
}
