//! Sequence classification: encode → batch → run → scores, with long texts
//! read as windows and aggregated per the model's policy.

use super::error::Result;
use super::model::Model;
use super::model_dir::{Activation, Task};
use super::options::LongText;

/// One text's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Classification {
    /// Every label's score, in label-id order.
    pub scores: Vec<f64>,
    /// Index of the highest score; ties go to the lowest id, as numpy's argmax.
    pub top: usize,
    /// Tokens past max_length were dropped (truncate policy only).
    pub truncated: bool,
    /// How many windows were run for this text.
    pub windows: usize,
}

impl Model {
    /// Classifies texts; results come back in input order. An empty batch
    /// gives an empty result.
    pub fn classify(&self, texts: &[&str]) -> Result<Vec<Classification>> {
        self.require_task(Task::SequenceClassification, "classify")?;
        let encoded = texts.iter().enumerate().map(|(i, t)| self.encoder.encode(i, t)).collect::<Result<Vec<_>>>()?;
        let window_scores: Vec<Vec<f64>> =
            self.run_windows(&encoded, false)?.iter().map(|logits| activate(self.activation, logits)).collect();
        let mut next = window_scores.into_iter();
        Ok(encoded
            .iter()
            .map(|e| {
                let per_window: Vec<Vec<f64>> = next.by_ref().take(e.windows.len()).collect();
                let scores = aggregate(self.long_text, per_window);
                Classification { top: argmax(&scores), scores, truncated: e.truncated, windows: e.windows.len() }
            })
            .collect())
    }
}

/// Softmax or sigmoid as transformers' text-classification pipeline applies
/// them, computed in f64 so nothing is lost before the host sees it.
pub(crate) fn activate(activation: Activation, logits: &[f32]) -> Vec<f64> {
    let logits = logits.iter().map(|&x| x as f64);
    match activation {
        Activation::Identity => logits.collect(),
        Activation::Sigmoid => logits.map(|x| 1.0 / (1.0 + (-x).exp())).collect(),
        Activation::Softmax => {
            let max = logits.clone().fold(f64::NEG_INFINITY, f64::max);
            let exps: Vec<f64> = logits.map(|x| (x - max).exp()).collect();
            let sum: f64 = exps.iter().sum();
            exps.into_iter().map(|e| e / sum).collect()
        }
    }
}

/// Per label: the mean over windows, or the maximum (so a reaction named in
/// one window of a long narrative keeps its full score).
fn aggregate(policy: LongText, windows: Vec<Vec<f64>>) -> Vec<f64> {
    let n = windows.len() as f64;
    let mut iter = windows.into_iter();
    let first = iter.next().unwrap_or_default();
    let total = iter.fold(first, |acc, w| {
        acc.iter()
            .zip(&w)
            .map(|(&a, &b)| match policy {
                LongText::WindowMax => a.max(b),
                LongText::WindowMean | LongText::Truncate => a + b,
            })
            .collect()
    });
    match policy {
        LongText::WindowMax => total,
        LongText::WindowMean | LongText::Truncate => total.into_iter().map(|s| s / n).collect(),
    }
}

fn argmax(scores: &[f64]) -> usize {
    scores.iter().enumerate().fold(0, |best, (i, &s)| if s > scores[best] { i } else { best })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn softmax_sums_to_one_and_is_shift_invariant() {
        let a = activate(Activation::Softmax, &[1.0, 2.0, 3.0]);
        let b = activate(Activation::Softmax, &[101.0, 102.0, 103.0]);
        assert!((a.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        for (x, y) in a.iter().zip(&b) {
            assert!((x - y).abs() < 1e-12);
        }
        assert!(a[2] > a[1] && a[1] > a[0]);
    }

    #[test]
    fn argmax_breaks_ties_towards_the_lowest_id() {
        assert_eq!(argmax(&[0.2, 0.4, 0.4]), 1);
        assert_eq!(argmax(&[0.5, 0.5]), 0);
    }

    #[test]
    fn window_policies_aggregate_as_documented() {
        let windows = vec![vec![0.9, 0.1], vec![0.2, 0.8], vec![0.4, 0.6]];
        assert_eq!(aggregate(LongText::WindowMax, windows.clone()), vec![0.9, 0.8]);
        let mean = aggregate(LongText::WindowMean, windows);
        assert!((mean[0] - 0.5).abs() < 1e-12 && (mean[1] - 0.5).abs() < 1e-12);
    }
}
