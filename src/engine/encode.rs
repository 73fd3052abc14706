//! Tokenisation, long-text windows, and length-bucketed batches.

use tokenizers::{
    Encoding, ModelWrapper, PostProcessor, Tokenizer, TruncationDirection, TruncationParams, TruncationStrategy,
};

use super::error::{fail, Error, ErrorKind, Result};
use super::session_pool::Batch;

/// A text turned into the windows that will be run.
pub struct Encoded {
    /// One window for a text that fits or is truncated; several otherwise.
    pub windows: Vec<Encoding>,
    /// Tokens were dropped (only under the truncate policy).
    pub truncated: bool,
}

/// The model's tokenizer, configured once at open and then only read, so
/// one encoder serves every thread. Vigil encodes one text at a time and
/// never calls the tokenizer's batch API, so its rayon pool never starts and
/// cannot compete with ONNX Runtime's threads.
pub struct Encoder {
    tokenizer: Tokenizer,
    pad_id: u32,
    pub max_length: usize,
    pub stride: usize,
    windows: bool,
    max_text_bytes: usize,
    /// What marks a continuation piece ("##" for WordPiece), if the model has one.
    pub subword_prefix: Option<String>,
    pub unk_id: Option<u32>,
}

impl Encoder {
    pub fn new(
        tokenizer_json: &[u8],
        pad_token: Option<&str>,
        max_length: usize,
        stride: usize,
        windows: bool,
        pairs: bool,
        max_text_bytes: usize,
    ) -> Result<Self> {
        let mut tokenizer = Tokenizer::from_bytes(tokenizer_json)
            .map_err(|e| Error::new(ErrorKind::TokenizerInvalid, format!("tokenizer.json cannot be loaded: {e}")))?;
        let specials = tokenizer.get_post_processor().map_or(0, |p| p.added_tokens(false));
        if stride + specials >= max_length {
            return fail(
                ErrorKind::InvalidArgument,
                format!("stride {stride} must be below max_length {max_length} minus the {specials} special tokens"),
            );
        }
        // The export's own truncation/padding settings would silently change
        // what is run; Vigil owns both.
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length,
                stride: if windows { stride } else { 0 },
                // A pair (mention, candidate) keeps the mention whole, as
                // cross-encoders are trained (truncation="only_second").
                strategy: if pairs { TruncationStrategy::OnlySecond } else { TruncationStrategy::LongestFirst },
                direction: TruncationDirection::Right,
            }))
            .map_err(|e| {
                Error::new(
                    ErrorKind::InvalidArgument,
                    format!("cannot truncate to {max_length} tokens with stride {stride}: {e}"),
                )
            })?;
        let pad_id = [pad_token, Some("[PAD]"), Some("<pad>")]
            .into_iter()
            .flatten()
            .find_map(|t| tokenizer.token_to_id(t))
            .unwrap_or(0);
        // transformers' token pipeline tests the model's continuing_subword_prefix
        // for truthiness, so an empty prefix counts as none.
        let (subword_prefix, unk_token) = match tokenizer.get_model() {
            ModelWrapper::WordPiece(wp) => (Some(wp.continuing_subword_prefix.clone()), Some(wp.unk_token.clone())),
            ModelWrapper::BPE(bpe) => (bpe.continuing_subword_prefix.clone(), bpe.unk_token.clone()),
            _ => (None, None),
        };
        let subword_prefix = subword_prefix.filter(|p| !p.is_empty());
        let unk_id = unk_token.and_then(|t: String| tokenizer.token_to_id(&t));
        Ok(Encoder { tokenizer, pad_id, max_length, stride, windows, max_text_bytes, subword_prefix, unk_id })
    }

    /// The largest id the tokenizer can emit, checked against the model.
    pub fn max_token_id(&self) -> u32 {
        self.tokenizer.get_vocab(true).values().copied().max().unwrap_or(0)
    }

    /// `index` is the text's position in the caller's batch, for messages.
    pub fn encode(&self, index: usize, text: &str) -> Result<Encoded> {
        self.check_size(text, || format!("text {index}"))?;
        let encoding = self
            .tokenizer
            .encode(text, true)
            .map_err(|e| Error::new(ErrorKind::TokenizerInvalid, format!("cannot tokenize text {index}: {e}")))?;
        if encoding.get_special_tokens_mask().iter().all(|&s| s == 1) {
            return fail(
                ErrorKind::EmptyText,
                format!("text {index} is empty or has no tokens besides the special ones"),
            );
        }
        Ok(self.cut(encoding))
    }

    /// A (first, second) pair as one sequence with type ids 0/1; only the
    /// second is ever truncated. `index` is the second's position, for messages.
    pub fn encode_pair(&self, index: usize, first: &str, second: &str) -> Result<Encoded> {
        self.check_size(first, || "the mention".to_string())?;
        self.check_size(second, || format!("candidate {index}"))?;
        let encoding = self.tokenizer.encode((first, second), true).map_err(|e| {
            Error::new(
                ErrorKind::InputTooLarge,
                format!("the mention leaves no room for candidate {index} within {} tokens: {e}", self.max_length),
            )
        })?;
        Ok(self.cut(encoding))
    }

    fn check_size(&self, text: &str, what: impl Fn() -> String) -> Result<()> {
        if text.len() > self.max_text_bytes {
            return fail(
                ErrorKind::InputTooLarge,
                format!(
                    "{} is {} bytes; the limit is {} (options: max_text_bytes)",
                    what(),
                    text.len(),
                    self.max_text_bytes
                ),
            );
        }
        Ok(())
    }

    /// Keeps the overflow as further windows, or drops it and says so.
    fn cut(&self, mut encoding: Encoding) -> Encoded {
        let overflow = encoding.take_overflowing();
        let truncated = !overflow.is_empty() && !self.windows;
        let mut windows = vec![encoding];
        if self.windows {
            windows.extend(overflow);
        }
        Encoded { windows, truncated }
    }

    /// Builds one padded batch from the given windows.
    pub fn batch(&self, windows: &[&Encoding]) -> Batch {
        let rows = windows.len();
        let cols = windows.iter().map(|w| w.len()).max().unwrap_or(0);
        let mut batch = Batch {
            rows,
            cols,
            input_ids: vec![self.pad_id as i64; rows * cols],
            attention_mask: vec![0; rows * cols],
            token_type_ids: vec![0; rows * cols],
        };
        for (row, window) in windows.iter().enumerate() {
            let start = row * cols;
            for (i, (&id, &type_id)) in window.get_ids().iter().zip(window.get_type_ids()).enumerate() {
                batch.input_ids[start + i] = id as i64;
                batch.attention_mask[start + i] = 1;
                batch.token_type_ids[start + i] = type_id as i64;
            }
        }
        batch
    }
}

/// Groups items (by their token lengths) into batches whose padded size,
/// rows × longest row, stays within `max_tokens`. Items are sorted longest
/// first so short sentences never pay for a long one's padding; each batch
/// lists item indices. An item longer than the budget runs alone.
pub fn plan_batches(lengths: &[usize], max_tokens: usize) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..lengths.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(lengths[i]));
    let mut batches: Vec<Vec<usize>> = Vec::new();
    for i in order {
        match batches.last_mut() {
            // Sorted descending, so the batch's first item is its longest.
            Some(batch) if (batch.len() + 1) * lengths[batch[0]] <= max_tokens => batch.push(i),
            _ => batches.push(vec![i]),
        }
    }
    batches
}

#[cfg(test)]
mod tests {
    use super::plan_batches;

    #[test]
    fn batches_respect_the_budget_and_cover_every_item_once() {
        let lengths = [5, 40, 7, 40, 3, 12, 100, 9];
        let batches = plan_batches(&lengths, 80);
        let mut seen: Vec<usize> = batches.iter().flatten().copied().collect();
        seen.sort();
        assert_eq!(seen, (0..lengths.len()).collect::<Vec<_>>());
        for batch in &batches {
            let longest = batch.iter().map(|&i| lengths[i]).max().unwrap();
            assert!(batch.len() == 1 || batch.len() * longest <= 80, "{batch:?} exceeds the budget");
        }
        // The 100-token item exceeds the budget and must run alone.
        assert!(batches.contains(&vec![6]));
    }

    #[test]
    fn short_items_are_not_batched_with_long_ones_when_the_budget_is_tight() {
        let batches = plan_batches(&[100, 2, 2, 2], 100);
        assert_eq!(batches[0], vec![0]);
        assert_eq!(batches[1], vec![1, 2, 3]);
    }
}
