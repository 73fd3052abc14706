//! Cross-encoder reranking against transformers on text pairs, plus the
//! ranking rules: order, ties, threshold, top-k, sizes.

mod common;

use common::{fixture, options, root};
use serde_json::Value;
use vigil::{Candidate, CandidateRecord, ErrorKind, Model, RerankOptions};

fn reference() -> Value {
    serde_json::from_str(&std::fs::read_to_string(root().join("tests/fixtures/reference/rerank.json")).unwrap())
        .unwrap()
}

fn record(value: &Value) -> CandidateRecord {
    let name = |key: &str| value[key].as_str().map(str::to_string);
    CandidateRecord {
        pt_name: value["pt_name"].as_str().unwrap().to_string(),
        llt_names: value["llt_names"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect(),
        hlt_name: name("hlt_name"),
        hlgt_name: name("hlgt_name"),
        soc_name: name("soc_name"),
    }
}

fn candidates(case: &Value) -> Vec<Candidate> {
    match case.get("records") {
        Some(records) => records.as_array().unwrap().iter().map(|r| Candidate::Record(record(r))).collect(),
        None => {
            case["plain"].as_array().unwrap().iter().map(|t| Candidate::Text(t.as_str().unwrap().to_string())).collect()
        }
    }
}

#[test]
fn scores_and_order_match_transformers() {
    let reference = reference();
    let mut worst = 0.0f64;
    for case in reference["cases"].as_array().unwrap() {
        let model = Model::open(fixture(case["model"].as_str().unwrap()), &options()).unwrap();
        let candidates = candidates(case);
        if let Some(rendered) = case.get("rendered") {
            for (c, want) in candidates.iter().zip(rendered.as_array().unwrap()) {
                assert_eq!(model.render(c).unwrap(), want.as_str().unwrap());
            }
        }
        let want: Vec<f64> = case["scores"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
        let mention = case["mention"].as_str().unwrap();
        let ranked = model.rerank_candidates(mention, &candidates, &RerankOptions::default()).unwrap();
        assert_eq!(ranked.len(), want.len());
        for r in &ranked {
            let diff = (r.score - want[r.index]).abs();
            worst = worst.max(diff);
            assert!(
                diff < 1e-5,
                "{} {mention:?} candidate {}: {} vs {}",
                case["model"],
                r.index,
                r.score,
                want[r.index]
            );
        }
        let mut expected_order: Vec<usize> = (0..want.len()).collect();
        expected_order.sort_by(|&a, &b| want[b].total_cmp(&want[a]).then(a.cmp(&b)));
        assert_eq!(ranked.iter().map(|r| r.index).collect::<Vec<_>>(), expected_order, "{mention:?}");
    }
    eprintln!("largest |vigil - transformers| over all pairs: {worst:.3e}");
}

#[test]
fn threshold_top_k_and_ties() {
    let model = Model::open(fixture("bert-cross-encoder"), &options()).unwrap();
    let texts = ["Rash", "Nausea", "Rash", "Headache", "Rash"];
    let all = model.rerank("itchy red rash", &texts, &RerankOptions::default()).unwrap();
    // Identical candidates tie and keep the caller's order.
    let rash: Vec<usize> = all.iter().filter(|r| texts[r.index] == "Rash").map(|r| r.index).collect();
    assert_eq!(rash, [0, 2, 4]);
    // The default threshold comes from vigil.json (0.3 in this fixture).
    for r in &all {
        assert_eq!(r.passes, r.score >= 0.3);
    }
    let top = model.rerank("itchy red rash", &texts, &RerankOptions { top_k: Some(2), ..Default::default() }).unwrap();
    assert_eq!(top, all[..2]);
    let strict =
        model.rerank("itchy red rash", &texts, &RerankOptions { threshold: Some(1.0), ..Default::default() }).unwrap();
    assert!(strict.iter().all(|r| !r.passes));
    let e = model.rerank("x", &texts, &RerankOptions { threshold: Some(1.5), ..Default::default() }).unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidArgument);
}

#[test]
fn empty_lists_long_mentions_and_large_lists() {
    let model = Model::open(fixture("bert-cross-encoder"), &options()).unwrap();
    assert!(model.rerank("rash", &[], &RerankOptions::default()).unwrap().is_empty());
    assert_eq!(model.rerank("  ", &["Rash"], &RerankOptions::default()).unwrap_err().kind, ErrorKind::EmptyText);

    let long = reference()["long_mention"].as_str().unwrap().to_string();
    let e = model.rerank(&long, &["Headache"], &RerankOptions::default()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::InputTooLarge);
    assert!(e.message.contains("candidate 0"), "{}", e.message);

    // A long candidate is cut (only_second) and says so; the mention is kept whole.
    let long_candidate = "headache ".repeat(200);
    let ranked = model.rerank("headache", &["Headache", &long_candidate], &RerankOptions::default()).unwrap();
    assert!(ranked.iter().any(|r| r.index == 1 && r.truncated) && ranked.iter().any(|r| r.index == 0 && !r.truncated));

    let many: Vec<String> = (0..10_000).map(|i| format!("candidate term {i}")).collect();
    let refs: Vec<&str> = many.iter().map(String::as_str).collect();
    let ranked = model.rerank("rash", &refs, &RerankOptions { top_k: Some(5), ..Default::default() }).unwrap();
    assert_eq!(ranked.len(), 5);
    assert!(ranked.windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn rerank_is_only_for_cross_encoders() {
    let classifier = Model::open(fixture("bert-cls2"), &options()).unwrap();
    assert_eq!(
        classifier.rerank("rash", &["Rash"], &RerankOptions::default()).unwrap_err().kind,
        ErrorKind::TaskMismatch
    );
    let encoder = Model::open(fixture("bert-cross-encoder"), &options()).unwrap();
    assert_eq!(encoder.classify(&["rash"]).unwrap_err().kind, ErrorKind::TaskMismatch);
}
