//! Token classification: ADR spans with the exact semantics of
//! transformers' token-classification pipeline (aggregation none, simple,
//! first, average, max; overlapping windows resolved as it resolves them).
//! Offsets come out as UTF-8 bytes and UTF-16 code units.

use tokenizers::Encoding;

use super::error::{fail, ErrorKind, Result};
use super::model::Model;
use super::model_dir::Task;

/// How token predictions become entities, as the pipeline's `aggregation_strategy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aggregation {
    /// One entity per token, labelled with the full tag (B-ADR).
    None,
    /// Adjacent tokens with the same tag join unless the next one is B-.
    Simple,
    /// Words take their first token's label, then group as `Simple`.
    First,
    /// Words take the label of the mean of their tokens' probabilities.
    Average,
    /// Words take the label of their most confident token.
    Max,
}

impl Aggregation {
    pub fn parse(name: &str) -> Result<Self> {
        match name.to_ascii_lowercase().as_str() {
            "none" => Ok(Aggregation::None),
            "simple" => Ok(Aggregation::Simple),
            "first" => Ok(Aggregation::First),
            "average" => Ok(Aggregation::Average),
            "max" => Ok(Aggregation::Max),
            other => fail(
                ErrorKind::InvalidArgument,
                format!("unknown aggregation `{other}`; expected none, simple, first, average or max"),
            ),
        }
    }
}

/// Per-call choices for [`Model::extract_spans`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpanOptions {
    pub aggregation: Aggregation,
    /// Labels (entity groups, or full tags under `None`) left out; default `["O"]`.
    pub ignore_labels: Vec<String>,
}

impl Default for SpanOptions {
    fn default() -> Self {
        SpanOptions { aggregation: Aggregation::Simple, ignore_labels: vec!["O".to_string()] }
    }
}

/// One entity in a text: `[start, end)` in UTF-8 bytes and in UTF-16 units.
#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    /// The entity group (B-/I- stripped), or the full tag under `Aggregation::None`.
    pub label: String,
    pub score: f64,
    pub start: usize,
    pub end: usize,
    pub start_utf16: usize,
    pub end_utf16: usize,
    /// The token's index in its window, under `Aggregation::None` only.
    pub token: Option<usize>,
}

/// One text's entities, ordered by start.
#[derive(Clone, Debug, PartialEq)]
pub struct TextSpans {
    pub spans: Vec<Span>,
    /// Windows read; > 1 only under a window policy.
    pub windows: usize,
    /// Tokens past max_length were not read (truncate policy only).
    pub truncated: bool,
}

/// A token's prediction before grouping (the pipeline's "pre-entity").
struct Token {
    index: usize,
    probs: Vec<f64>,
    start: usize,
    end: usize,
    is_subword: bool,
}

/// A labelled piece (token or word) before grouping.
struct Labelled {
    label: usize,
    score: f64,
    start: usize,
    end: usize,
    index: usize,
}

impl Model {
    /// Extracts entities from each text; results come back in input order.
    pub fn extract_spans(&self, texts: &[&str], options: &SpanOptions) -> Result<Vec<TextSpans>> {
        self.require_task(Task::TokenClassification, "extract_spans")?;
        let encoded = texts.iter().enumerate().map(|(i, t)| self.encoder.encode(i, t)).collect::<Result<Vec<_>>>()?;
        let mut logits = self.run_windows(&encoded, true)?.into_iter();
        let mut results = Vec::with_capacity(texts.len());
        for (text, e) in texts.iter().zip(&encoded) {
            let mut spans = Vec::new();
            for window in &e.windows {
                let window_logits = logits.next().expect("one logits entry per window");
                spans.extend(self.window_spans(text, window, &window_logits, options));
            }
            if e.windows.len() > 1 {
                spans = resolve_overlaps(text, spans);
            }
            results.push(TextSpans { spans, windows: e.windows.len(), truncated: e.truncated });
        }
        Ok(results)
    }

    fn window_spans(&self, text: &str, window: &Encoding, logits: &[f32], options: &SpanOptions) -> Vec<Span> {
        let n_labels = self.labels.len();
        let tokens: Vec<Token> = (0..window.len())
            .filter(|&i| window.get_special_tokens_mask()[i] == 0)
            .map(|i| {
                let (start, end) = snap_to_chars(text, window.get_offsets()[i]);
                Token {
                    index: i,
                    probs: softmax(&logits[i * n_labels..(i + 1) * n_labels]),
                    start,
                    end,
                    is_subword: self.is_subword(text, window, i, start, end),
                }
            })
            .collect();
        let labelled: Vec<Labelled> = match options.aggregation {
            Aggregation::None | Aggregation::Simple => tokens
                .iter()
                .map(|t| {
                    let label = argmax(&t.probs);
                    Labelled { label, score: t.probs[label], start: t.start, end: t.end, index: t.index }
                })
                .collect(),
            strategy => words(&tokens).map(|word| aggregate_word(word, strategy)).collect(),
        };
        let spans: Vec<Span> = match options.aggregation {
            Aggregation::None => labelled
                .iter()
                .map(|l| self.span(text, self.labels[l.label].clone(), l.score, l.start, l.end, Some(l.index)))
                .collect(),
            _ => group(&labelled, &self.labels)
                .into_iter()
                .map(|g| {
                    let name = group_name(&self.labels[g[0].label]).to_string();
                    let score = g.iter().map(|l| l.score).sum::<f64>() / g.len() as f64;
                    self.span(text, name, score, g[0].start, g[g.len() - 1].end, None)
                })
                .collect(),
        };
        spans.into_iter().filter(|s| !options.ignore_labels.contains(&s.label)).collect()
    }

    /// The pipeline's rule: with a continuation prefix (WordPiece "##"), a
    /// token is a subword when its vocabulary string and the text it covers
    /// differ in length; otherwise, when no space precedes it. Unknown
    /// tokens are never subwords.
    fn is_subword(&self, text: &str, window: &Encoding, i: usize, start: usize, end: usize) -> bool {
        if Some(window.get_ids()[i]) == self.encoder.unk_id {
            return false;
        }
        match &self.encoder.subword_prefix {
            Some(_) => window.get_tokens()[i].chars().count() != text[start..end].chars().count(),
            None => start > 0 && !text[..start].ends_with(' ') && !text[start..].starts_with(' '),
        }
    }

    fn span(&self, text: &str, label: String, score: f64, start: usize, end: usize, token: Option<usize>) -> Span {
        Span {
            label,
            score,
            start,
            end,
            start_utf16: utf16_len(&text[..start]),
            end_utf16: utf16_len(&text[..end]),
            token,
        }
    }
}

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// Tokenizer offsets are byte offsets on character boundaries; this keeps a
/// malformed one from ever slicing inside a character.
fn snap_to_chars(text: &str, (start, end): (usize, usize)) -> (usize, usize) {
    let mut start = start.min(text.len());
    let mut end = end.clamp(start, text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    (start, end)
}

/// numpy's softmax as the pipeline computes it, in f64.
fn softmax(logits: &[f32]) -> Vec<f64> {
    let max = logits.iter().fold(f64::NEG_INFINITY, |m, &x| m.max(x as f64));
    let exps: Vec<f64> = logits.iter().map(|&x| (x as f64 - max).exp()).collect();
    let sum: f64 = exps.iter().sum();
    exps.into_iter().map(|e| e / sum).collect()
}

/// First index of the maximum, as numpy's argmax.
fn argmax(values: &[f64]) -> usize {
    values.iter().enumerate().fold(0, |best, (i, &v)| if v > values[best] { i } else { best })
}

/// Splits tokens into words: a word starts at every token that is not a subword.
fn words(tokens: &[Token]) -> impl Iterator<Item = &[Token]> {
    let mut rest = tokens;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let len = 1 + rest[1..].iter().take_while(|t| t.is_subword).count();
        let (word, tail) = rest.split_at(len);
        rest = tail;
        Some(word)
    })
}

/// One label per word under first, average or max.
fn aggregate_word(word: &[Token], strategy: Aggregation) -> Labelled {
    let probs: Vec<f64> = match strategy {
        Aggregation::First => word[0].probs.clone(),
        // max_by keeps the last of equal maxima; Python's max keeps the first.
        Aggregation::Max => word
            .iter()
            .rev()
            .max_by(|a, b| a.probs[argmax(&a.probs)].total_cmp(&b.probs[argmax(&b.probs)]))
            .expect("a word has a token")
            .probs
            .clone(),
        _ => {
            (0..word[0].probs.len()).map(|l| word.iter().map(|t| t.probs[l]).sum::<f64>() / word.len() as f64).collect()
        }
    };
    let label = argmax(&probs);
    Labelled { label, score: probs[label], start: word[0].start, end: word[word.len() - 1].end, index: word[0].index }
}

/// The pipeline's get_tag: ("B"|"I", type); an unprefixed label is an I- of itself.
fn tag(label: &str) -> (bool, &str) {
    match label.strip_prefix("B-") {
        Some(rest) => (true, rest),
        None => (false, label.strip_prefix("I-").unwrap_or(label)),
    }
}

/// The pipeline names a group by splitting its first label at the first '-'.
fn group_name(label: &str) -> &str {
    label.split_once('-').map_or(label, |(_, rest)| rest)
}

/// Adjacent pieces join when their types match and the next is not B-.
fn group<'l>(pieces: &'l [Labelled], labels: &[String]) -> Vec<&'l [Labelled]> {
    let mut groups = Vec::new();
    let mut start = 0;
    for i in 1..=pieces.len() {
        let joins = i < pieces.len() && {
            let (is_b, kind) = tag(&labels[pieces[i].label]);
            !is_b && kind == tag(&labels[pieces[i - 1].label]).1
        };
        if !joins && start < pieces.len() {
            groups.push(&pieces[start..i]);
            start = i;
        }
    }
    groups
}

/// Entities from overlapping windows: sorted by start, an entity starting
/// inside the previous one replaces it when longer, or as long and more
/// confident (aggregate_overlapping_entities). Lengths are in characters, as
/// Python measures them.
fn resolve_overlaps(text: &str, mut spans: Vec<Span>) -> Vec<Span> {
    let chars = |s: &Span| text[s.start..s.end].chars().count();
    spans.sort_by_key(|s| s.start);
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    let mut spans = spans.into_iter();
    let Some(mut previous) = spans.next() else { return out };
    for span in spans {
        if previous.start <= span.start && span.start < previous.end {
            let (len, prev_len) = (chars(&span), chars(&previous));
            if len > prev_len || (len == prev_len && span.score > previous.score) {
                previous = span;
            }
        } else {
            out.push(std::mem::replace(&mut previous, span));
        }
    }
    out.push(previous);
    out
}
