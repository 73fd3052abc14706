//! Mention → PT end to end: retrieval, records rendered for the
//! cross-encoder, threshold and batching, on the invented dictionary.

mod common;

use common::{fixture, options, root};
use vigil::{Dictionary, ErrorKind, LoadOptions, Model, NormalizeOptions, RerankOptions};

fn dictionary() -> Dictionary {
    Dictionary::open(&root().join("tests/fixtures/meddra/en"), &LoadOptions::default()).unwrap()
}

fn cross_encoder() -> Model {
    Model::open(fixture("bert-cross-encoder"), &options()).unwrap()
}

#[test]
fn a_candidate_record_carries_aliases_and_the_primary_path() {
    let dictionary = dictionary();
    let headache = dictionary.pts().iter().find(|p| p.name == "Headache").unwrap();
    let record = dictionary.candidate_record(headache.code).unwrap();
    assert_eq!(record.pt_name, "Headache");
    assert!(record.llt_names.contains(&"Head pain".to_string()));
    assert!(!record.llt_names.contains(&"Headache".to_string()), "the PT's own LLT is not an alias");
    let primary = dictionary.hierarchy(headache.code).iter().find(|p| p.primary).unwrap();
    assert_eq!(record.hlt_name.as_deref(), Some(dictionary.hlt(primary.hlt).unwrap().name.as_str()));
    assert_eq!(record.soc_name.as_deref(), Some(dictionary.soc(primary.soc).unwrap().name.as_str()));
    assert!(dictionary.candidate_record(1).is_none());
}

#[test]
fn codings_are_the_reranked_retrievals_that_pass_the_threshold() {
    let dictionary = dictionary();
    let model = cross_encoder();
    let mention = "pain in my head";
    let options = NormalizeOptions { candidates: 10, ..Default::default() };
    let codings = dictionary.normalize(&model, &[mention], &options).unwrap().remove(0);

    // The same thing by hand: retrieve, render, rerank, keep what passes.
    let hits = dictionary.retrieve(mention, 10);
    let texts: Vec<String> = hits
        .iter()
        .map(|h| model.candidate_template().unwrap().render(&dictionary.candidate_record(h.pt_code).unwrap()))
        .collect();
    let ranked = model
        .rerank(mention, &texts.iter().map(String::as_str).collect::<Vec<_>>(), &RerankOptions::default())
        .unwrap();
    let expected: Vec<(u32, f64)> =
        ranked.iter().filter(|r| r.passes).map(|r| (hits[r.index].pt_code, r.score)).collect();
    assert!(
        !expected.is_empty() && expected.len() < hits.len(),
        "the threshold should split this fixture's candidates"
    );
    assert_eq!(codings.iter().map(|c| (c.pt_code, c.score)).collect::<Vec<_>>(), expected);
    for coding in &codings {
        assert_eq!(coding.soc_code, dictionary.primary_soc(coding.pt_code).unwrap().code);
        assert_eq!(coding.pt_name, dictionary.pt(coding.pt_code).unwrap().name);
    }
}

#[test]
fn a_batch_codes_each_mention_as_alone_and_options_apply() {
    let dictionary = dictionary();
    let model = cross_encoder();
    let mentions = ["pain in my head", "Headache", "felt sick to my stomach"];
    let options = NormalizeOptions { candidates: 20, threshold: Some(0.0), top_k: Some(5) };
    let batch = dictionary.normalize(&model, &mentions, &options).unwrap();
    for (mention, codings) in mentions.iter().zip(&batch) {
        let alone = dictionary.normalize(&model, &[mention], &options).unwrap().remove(0);
        assert_eq!(codings.len(), 5, "threshold 0 passes everything, top_k keeps 5");
        for (a, b) in alone.iter().zip(codings) {
            assert_eq!(a.pt_code, b.pt_code);
            assert!((a.score - b.score).abs() < 1e-6);
        }
    }
    // With every candidate kept, the exact name is among them and says so.
    let everything = NormalizeOptions { candidates: 20, threshold: Some(0.0), top_k: None };
    let codings = dictionary.normalize(&model, &["Headache"], &everything).unwrap().remove(0);
    assert!(codings.iter().any(|c| c.exact && c.pt_name == "Headache"));
    assert!(codings.iter().filter(|c| c.exact).count() == 1);
}

#[test]
fn bad_calls_are_refused() {
    let dictionary = dictionary();
    let model = cross_encoder();
    let e = dictionary.normalize(&model, &["rash", " "], &NormalizeOptions::default()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::EmptyText);
    assert!(e.message.contains("mention 1"), "{}", e.message);
    let none = NormalizeOptions { candidates: 0, ..Default::default() };
    assert_eq!(dictionary.normalize(&model, &["rash"], &none).unwrap_err().kind, ErrorKind::InvalidArgument);
    let classifier = Model::open(fixture("bert-cls2"), &options()).unwrap();
    let e = dictionary.normalize(&classifier, &["rash"], &NormalizeOptions::default()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::TaskMismatch);
    assert!(dictionary.normalize(&model, &[], &NormalizeOptions::default()).unwrap().is_empty());
}
