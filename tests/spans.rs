//! ADR spans against transformers' token-classification pipeline, for every
//! aggregation strategy, with UTF-8 and UTF-16 offsets that slice the text.

mod common;

use common::{fixture, options_for, root};
use serde_json::Value;
use vigil::{Aggregation, ErrorKind, Model, SpanOptions, TextSpans};

fn spans_reference() -> Value {
    serde_json::from_str(&std::fs::read_to_string(root().join("tests/fixtures/reference/spans.json")).unwrap()).unwrap()
}

fn span_options(case: &Value) -> SpanOptions {
    let mut options = SpanOptions {
        aggregation: Aggregation::parse(case["aggregation"].as_str().unwrap()).unwrap(),
        ..Default::default()
    };
    if let Some(ignore) = case.get("ignore_labels").and_then(Value::as_array) {
        options.ignore_labels = ignore.iter().map(|l| l.as_str().unwrap().to_string()).collect();
    }
    options
}

/// A case without stride is the pipeline truncating; with stride, windows.
fn open(case: &Value) -> Model {
    let stride = case["stride"].as_u64().map(|s| s as usize);
    let policy = if stride.is_some() { "window_max" } else { "truncate" };
    Model::open(fixture(case["model"].as_str().unwrap()), &options_for(policy, stride)).unwrap()
}

/// Vigil refuses blank texts (EMPTY_TEXT), so parity runs over the rest.
fn texts(case: &Value) -> Vec<&str> {
    case["texts"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).filter(|t| !t.trim().is_empty()).collect()
}

fn outputs(case: &Value) -> Vec<&Value> {
    let texts = case["texts"].as_array().unwrap();
    texts
        .iter()
        .zip(case["outputs"].as_array().unwrap())
        .filter(|(t, _)| !t.as_str().unwrap().trim().is_empty())
        .map(|(_, o)| o)
        .collect()
}

#[test]
fn references_have_entities_of_every_kind_for_every_strategy() {
    let reference = spans_reference();
    let cases = reference["cases"].as_array().unwrap();
    for model in ["bert-ner-bio", "bert-ner-cased", "bert-ner-plain"] {
        for strategy in ["none", "simple", "first", "average", "max"] {
            let labels: std::collections::BTreeSet<String> = cases
                .iter()
                .filter(|c| c["model"] == model && c["aggregation"] == strategy)
                .flat_map(|c| c["outputs"].as_array().unwrap().iter().flat_map(|o| o.as_array().unwrap()))
                .map(|e| e["label"].as_str().unwrap().rsplit('-').next().unwrap().to_string())
                .collect();
            assert!(labels.contains("ADR") && labels.contains("DRUG"), "{model} {strategy}: only {labels:?}");
        }
    }
    assert!(cases.iter().any(|c| !c["stride"].is_null()), "no windowed case");
}

#[test]
fn entities_match_the_pipeline() {
    let reference = spans_reference();
    let mut worst = std::collections::BTreeMap::<String, f64>::new();
    for case in reference["cases"].as_array().unwrap() {
        let name = format!("{} {} stride={}", case["model"], case["aggregation"], case["stride"]);
        let model = open(case);
        let texts = texts(case);
        let got = model.extract_spans(&texts, &span_options(case)).unwrap();
        for ((text, want), got) in texts.iter().zip(outputs(case)).zip(&got) {
            let want = want.as_array().unwrap();
            let summary =
                |spans: &TextSpans| spans.spans.iter().map(|s| (s.label.clone(), s.start, s.end)).collect::<Vec<_>>();
            let want_summary: Vec<(String, usize, usize)> = want
                .iter()
                .map(|e| {
                    (
                        e["label"].as_str().unwrap().to_string(),
                        e["start_utf8"].as_u64().unwrap() as usize,
                        e["end_utf8"].as_u64().unwrap() as usize,
                    )
                })
                .collect();
            assert_eq!(summary(got), want_summary, "{name}: {text:?}");
            for (span, e) in got.spans.iter().zip(want) {
                let diff = (span.score - e["score"].as_f64().unwrap()).abs();
                let slot = worst.entry(case["aggregation"].as_str().unwrap().to_string()).or_default();
                *slot = slot.max(diff);
                assert!(diff < 1e-4, "{name}: {text:?}: score {} vs {}", span.score, e["score"]);
                assert_eq!(
                    (span.start_utf16, span.end_utf16),
                    (e["start_utf16"].as_u64().unwrap() as usize, e["end_utf16"].as_u64().unwrap() as usize)
                );
                if let Some(index) = e.get("index").and_then(Value::as_u64) {
                    assert_eq!(span.token, Some(index as usize), "{name}: token index");
                }
            }
        }
    }
    eprintln!("largest score difference per strategy: {worst:?}");
}

#[test]
fn utf16_offsets_slice_the_same_text_as_utf8_offsets() {
    let model = Model::open(fixture("bert-ner-bio"), &options_for("window_max", Some(16))).unwrap();
    let texts = [
        "😷 rash and 🤢 nausea after ibuprofen",
        "Patiënte développa une hépatite après amoxicilline",
        "服用阿莫西林后出现皮疹 and rash 💊",
    ];
    let options = SpanOptions { ignore_labels: vec![], ..Default::default() };
    let mut checked = 0;
    for (text, spans) in texts.iter().zip(model.extract_spans(&texts, &options).unwrap()) {
        let utf16: Vec<u16> = text.encode_utf16().collect();
        for span in spans.spans {
            let by_utf16 = String::from_utf16(&utf16[span.start_utf16..span.end_utf16]).unwrap();
            assert_eq!(by_utf16, &text[span.start..span.end]);
            checked += 1;
        }
    }
    assert!(checked > 10, "only {checked} spans checked");
}

#[test]
fn results_do_not_depend_on_batch_composition() {
    let reference = spans_reference();
    let case = reference["cases"].as_array().unwrap().iter().find(|c| !c["stride"].is_null()).unwrap();
    let model = Model::open(
        fixture("bert-ner-bio"),
        &vigil::Options { max_tokens_per_batch: 64, ..options_for("window_max", Some(16)) },
    )
    .unwrap();
    let texts = texts(case);
    let options = span_options(case);
    let together = model.extract_spans(&texts, &options).unwrap();
    for (text, expected) in texts.iter().zip(&together) {
        let alone = &model.extract_spans(&[text], &options).unwrap()[0];
        assert_eq!(alone.spans.len(), expected.spans.len());
        for (a, b) in alone.spans.iter().zip(&expected.spans) {
            assert_eq!((&a.label, a.start, a.end), (&b.label, b.start, b.end));
            assert!((a.score - b.score).abs() < 1e-6);
        }
    }
}

#[test]
fn tasks_refuse_each_others_calls() {
    let tagger = Model::open(fixture("bert-ner-bio"), &common::options()).unwrap();
    assert_eq!(tagger.classify(&["rash"]).unwrap_err().kind, ErrorKind::TaskMismatch);
    let classifier = Model::open(fixture("bert-cls2"), &common::options()).unwrap();
    let e = classifier.extract_spans(&["rash"], &SpanOptions::default()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::TaskMismatch);
    assert!(e.message.contains("TokenClassification"), "{}", e.message);
}

#[test]
fn a_long_text_reports_its_windows() {
    let reference = spans_reference();
    let case = reference["cases"].as_array().unwrap().iter().find(|c| !c["stride"].is_null()).unwrap();
    let model = open(case);
    let got = model.extract_spans(&texts(case), &span_options(case)).unwrap();
    assert!(got.iter().any(|t| t.windows >= 3), "no text needed 3 windows");
    let truncating = Model::open(fixture("bert-ner-bio"), &options_for("truncate", None)).unwrap();
    let got = truncating.extract_spans(&texts(case), &SpanOptions::default()).unwrap();
    assert!(got.iter().any(|t| t.truncated && t.windows == 1));
}
