//! Vigil's scores against transformers' on the committed fixtures, and the
//! invariances a host relies on: batch size, input order and threads.

mod common;

use std::sync::Arc;

use common::{fixture, options, options_for, references};
use serde_json::Value;
use vigil::{Classification, ErrorKind, Model};

struct Case {
    model: String,
    policy: String,
    stride: Option<usize>,
    texts: Vec<String>,
    expected: Vec<Value>,
}

fn cases() -> Vec<Case> {
    references()["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| Case {
            model: c["model"].as_str().unwrap().to_string(),
            policy: c["policy"].as_str().unwrap().to_string(),
            stride: c["stride"].as_u64().map(|s| s as usize),
            texts: c["texts"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_string()).collect(),
            expected: c["outputs"].as_array().unwrap().clone(),
        })
        .collect()
}

/// The empty text is in the references (transformers scores it) but Vigil
/// refuses it, so parity runs over the rest.
fn scorable(case: &Case) -> (Vec<&str>, Vec<&Value>) {
    case.texts.iter().zip(&case.expected).filter(|(t, _)| !t.trim().is_empty()).map(|(t, e)| (t.as_str(), e)).unzip()
}

#[test]
fn references_cover_what_the_parity_test_claims() {
    let cases = cases();
    for model in ["bert-cls2", "bert-cls3", "distilbert-cls2", "bert-multilabel", "bert-single-logit"] {
        assert!(cases.iter().any(|c| c.model == model), "no reference for {model}");
    }
    for policy in ["truncate", "window_mean", "window_max"] {
        assert!(
            cases.iter().any(|c| c.policy == policy && c.expected.iter().any(|e| e["windows"].as_u64().unwrap() >= 3))
                || policy == "truncate"
        );
    }
    assert!(cases.iter().any(|c| c.expected.iter().any(|e| e["truncated"] == true)), "no reference text is truncated");
}

#[test]
fn scores_match_transformers_within_1e_5() {
    let mut worst = 0.0f64;
    for case in cases() {
        let model = Model::open(fixture(&case.model), &options_for(&case.policy, case.stride)).unwrap();
        let (texts, expected) = scorable(&case);
        let got = model.classify(&texts).unwrap();
        for ((text, exp), got) in texts.iter().zip(expected).zip(&got) {
            let exp_scores: Vec<f64> = exp["scores"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
            assert_eq!(got.scores.len(), exp_scores.len());
            for (g, e) in got.scores.iter().zip(&exp_scores) {
                let diff = (g - e).abs();
                worst = worst.max(diff);
                assert!(
                    diff < 1e-5,
                    "{} {}: {text:?}: got {:?}, want {:?}",
                    case.model,
                    case.policy,
                    got.scores,
                    exp_scores
                );
            }
            let label = &model.labels()[got.top];
            assert_eq!(label, exp["top_label"].as_str().unwrap(), "{} {}: {text:?}", case.model, case.policy);
            assert_eq!(
                got.truncated,
                exp["truncated"].as_bool().unwrap(),
                "{} {}: truncated flag for {text:?}",
                case.model,
                case.policy
            );
            assert_eq!(
                got.windows as u64,
                exp["windows"].as_u64().unwrap(),
                "{} {}: windows for {text:?}",
                case.model,
                case.policy
            );
        }
    }
    eprintln!("largest |vigil - transformers| over all cases: {worst:.3e}");
}

#[test]
fn an_empty_text_is_refused_with_its_index() {
    let model = Model::open(fixture("bert-cls2"), &options()).unwrap();
    for blank in ["", "   \t\n "] {
        let err = model.classify(&["fine text", blank]).unwrap_err();
        assert_eq!(err.kind, ErrorKind::EmptyText);
        assert!(err.message.contains("text 1"), "{}", err.message);
    }
}

fn assert_close(a: &[Classification], b: &[Classification]) {
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(b) {
        assert_eq!(x.top, y.top);
        assert_eq!((x.truncated, x.windows), (y.truncated, y.windows));
        for (p, q) in x.scores.iter().zip(&y.scores) {
            assert!((p - q).abs() < 1e-6, "{:?} vs {:?}", x.scores, y.scores);
        }
    }
}

fn window_case() -> (Model, Vec<String>) {
    let case = cases().into_iter().find(|c| c.policy == "window_mean").unwrap();
    let model = Model::open(fixture(&case.model), &options_for(&case.policy, case.stride)).unwrap();
    let texts = scorable(&case).0.into_iter().map(str::to_string).collect();
    (model, texts)
}

#[test]
fn results_do_not_depend_on_batch_size_or_order() {
    let (model, texts) = window_case();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let together = model.classify(&texts).unwrap();
    let one_by_one: Vec<Classification> = texts.iter().flat_map(|t| model.classify(&[t]).unwrap()).collect();
    assert_close(&together, &one_by_one);

    let reversed: Vec<&str> = texts.iter().rev().copied().collect();
    let mut back = model.classify(&reversed).unwrap();
    back.reverse();
    assert_close(&together, &back);

    let tight = Model::open(
        fixture("bert-cls3"),
        &vigil::Options { max_tokens_per_batch: 64, ..options_for("window_mean", Some(16)) },
    )
    .unwrap();
    assert_close(&together, &tight.classify(&texts).unwrap());
}

#[test]
fn an_empty_batch_gives_an_empty_result() {
    let model = Model::open(fixture("bert-cls2"), &options()).unwrap();
    assert!(model.classify(&[]).unwrap().is_empty());
}

#[test]
fn threads_sharing_one_model_get_the_serial_answers() {
    let (model, texts) = window_case();
    let serial = model.classify(&texts.iter().map(String::as_str).collect::<Vec<_>>()).unwrap();
    for sessions in [1, 3] {
        let model = Arc::new(
            Model::open(fixture("bert-cls3"), &vigil::Options { sessions, ..options_for("window_mean", Some(16)) })
                .unwrap(),
        );
        let handles: Vec<_> = (0..8)
            .map(|t| {
                let model = Arc::clone(&model);
                let texts = texts.clone();
                std::thread::spawn(move || {
                    // Each thread starts at a different text so batches differ.
                    let order: Vec<usize> = (0..texts.len()).map(|i| (i + t) % texts.len()).collect();
                    let got = model.classify(&order.iter().map(|&i| texts[i].as_str()).collect::<Vec<_>>()).unwrap();
                    let mut back = vec![None; texts.len()];
                    for (k, &i) in order.iter().enumerate() {
                        back[i] = Some(got[k].clone());
                    }
                    back.into_iter().map(Option::unwrap).collect::<Vec<_>>()
                })
            })
            .collect();
        for handle in handles {
            assert_close(&serial, &handle.join().unwrap());
        }
    }
}
