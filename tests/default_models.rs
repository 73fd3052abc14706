//! The ready-made models in models/: they open, their cards name the
//! fingerprint Vigil reports, they answer clear sentences sensibly, and their
//! (dynamically quantised) graphs give each text the answer it gets alone.

mod common;

use common::{fixture, options, root};
use vigil::{Aggregation, Model, SpanOptions};

fn open(name: &str) -> Model {
    Model::open(root().join("models").join(name), &options()).unwrap()
}

fn first() -> SpanOptions {
    SpanOptions { aggregation: Aggregation::First, ..Default::default() }
}

/// Self-written sentences of varied length, one long enough for several windows.
fn mixed_texts() -> Vec<String> {
    let long = "The patient, a 67-year-old retired teacher with hypertension, chronic kidney disease and gout, \
                was reviewed in clinic after a change of medication. "
        .repeat(6)
        + "Two days after allopurinol was started she developed a generalised rash, fever and eosinophilia.";
    vec![
        "Hypoglycaemia followed the addition of glibenclamide.".to_string(),
        long,
        "Blood pressure was controlled on amlodipine.".to_string(),
        "A 45-year-old man developed acute pancreatitis three weeks after starting azathioprine for Crohn's disease."
            .to_string(),
        "Ototoxicity.".to_string(),
    ]
}

#[test]
fn model_cards_name_the_fingerprint_vigil_reports() {
    for name in ["ade-classifier", "ade-tagger"] {
        let model = open(name);
        let card = std::fs::read_to_string(root().join("models").join(name).join("MODEL_CARD.md")).unwrap();
        let named: Vec<&str> = card.lines().map(str::trim).filter(|l| l.starts_with("sha256:")).collect();
        assert_eq!(named, [model.fingerprint()], "{name}: MODEL_CARD.md's fingerprint line");
    }
}

#[test]
fn classifier_separates_clear_reactions_from_routine_notes() {
    let model = open("ade-classifier");
    assert_eq!(model.labels(), ["not_ade", "ade"]);
    let reactions = [
        "Rhabdomyolysis and acute renal failure developed after simvastatin was combined with clarithromycin.",
        "Angioedema of the lips and tongue occurred within an hour of the first dose of enalapril.",
        "She developed severe neutropenia ten days after her second cycle of carboplatin.",
    ];
    let routine = [
        "Lisinopril was started for hypertension and her blood pressure was well controlled.",
        "No adverse events were reported during the follow-up period.",
        "The patient has a history of type 2 diabetes treated with metformin.",
    ];
    let texts: Vec<&str> = reactions.iter().chain(&routine).copied().collect();
    let results = model.classify(&texts).unwrap();
    for (text, result) in texts.iter().zip(&results) {
        let expected = if reactions.contains(text) { "ade" } else { "not_ade" };
        assert_eq!(model.labels()[result.top], expected, "{text}: scores {:?}", result.scores);
    }
}

#[test]
fn tagger_marks_the_reactions_and_the_drugs() {
    let model = open("ade-tagger");
    let text = "Rhabdomyolysis and acute renal failure developed after simvastatin was combined with clarithromycin.";
    let found = model.extract_spans(&[text], &first()).unwrap().remove(0);
    let spans: Vec<(&str, &str)> = found.spans.iter().map(|s| (s.label.as_str(), &text[s.start..s.end])).collect();
    for wanted in [("ADE", "Rhabdomyolysis"), ("ADE", "acute renal failure"), ("DRUG", "simvastatin")] {
        assert!(spans.contains(&wanted), "{wanted:?} missing from {spans:?}");
    }
}

/// Dynamic quantisation scales activations per batch tensor; Vigil runs such
/// graphs one window at a time, so a call's answers equal one-text calls'.
#[test]
fn quantised_models_answer_each_text_as_if_it_were_alone() {
    let texts = mixed_texts();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();

    let classifier = open("ade-classifier");
    assert!(classifier.one_window_per_run());
    let together = classifier.classify(&texts).unwrap();
    assert!(together[1].windows > 1, "the long text must need several windows");
    for (text, result) in texts.iter().zip(&together) {
        let alone = classifier.classify(&[text]).unwrap().remove(0);
        assert_eq!(result.scores, alone.scores, "{text}");
    }

    let tagger = open("ade-tagger");
    assert!(tagger.one_window_per_run());
    let together = tagger.extract_spans(&texts, &first()).unwrap();
    for (text, result) in texts.iter().zip(&together) {
        let alone = tagger.extract_spans(&[text], &first()).unwrap().remove(0);
        assert_eq!(result.spans, alone.spans, "{text}");
    }
}

#[test]
fn float_graphs_keep_batching() {
    let model = Model::open(fixture("bert-cls2"), &options()).unwrap();
    assert!(!model.one_window_per_run());
}
