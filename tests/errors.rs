//! Every error Vigil handles at open and classify time: a clear kind, a
//! message with context, and a model that keeps working afterwards.

mod common;

use std::fs;
use std::path::Path;

use common::{fixture, options, scratch_copy};
use vigil::{ErrorKind, ExecutionProvider, Model, Options};

fn open_err(dir: &Path, options: &Options) -> vigil::Error {
    match Model::open(dir, options) {
        Ok(_) => panic!("opening {} should fail", dir.display()),
        Err(e) => e,
    }
}

fn edit_json(path: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let mut value: serde_json::Value = serde_json::from_slice(&fs::read(path).unwrap()).unwrap();
    edit(&mut value);
    fs::write(path, serde_json::to_vec_pretty(&value).unwrap()).unwrap();
}

#[test]
fn a_missing_directory_is_an_io_error_naming_it() {
    let e = open_err(Path::new("/nonexistent/model-dir"), &options());
    assert_eq!(e.kind, ErrorKind::Io);
    assert!(e.message.contains("/nonexistent/model-dir"), "{}", e.message);
}

#[test]
fn missing_files_name_the_file() {
    for (file, kind) in [
        ("model.onnx", ErrorKind::ModelInvalid),
        ("config.json", ErrorKind::ModelInvalid),
        ("tokenizer.json", ErrorKind::TokenizerInvalid),
    ] {
        let dir = scratch_copy("bert-cls2", &format!("missing-{file}"));
        fs::remove_file(dir.join(file)).unwrap();
        let e = open_err(&dir, &options());
        assert_eq!(e.kind, kind, "{file}: {e}");
        assert!(e.message.contains(file), "{}", e.message);
    }
}

#[test]
fn a_corrupt_or_truncated_graph_is_model_invalid() {
    let dir = scratch_copy("bert-cls2", "corrupt-onnx");
    fs::write(dir.join("model.onnx"), b"this is not a protobuf").unwrap();
    let e = open_err(&dir, &options());
    assert_eq!(e.kind, ErrorKind::ModelInvalid, "{e}");
    assert!(e.message.contains("model.onnx"), "{}", e.message);

    let bytes = fs::read(fixture("bert-cls2").join("model.onnx")).unwrap();
    fs::write(dir.join("model.onnx"), &bytes[..bytes.len() / 2]).unwrap();
    assert_eq!(open_err(&dir, &options()).kind, ErrorKind::ModelInvalid);
}

#[test]
fn a_malformed_tokenizer_is_tokenizer_invalid() {
    let dir = scratch_copy("bert-cls2", "bad-tokenizer");
    fs::write(dir.join("tokenizer.json"), b"{\"model\": 42").unwrap();
    let e = open_err(&dir, &options());
    assert_eq!(e.kind, ErrorKind::TokenizerInvalid, "{e}");
    assert!(e.message.contains("tokenizer.json"), "{}", e.message);
}

/// A tokenizer with ids past the embedding table: caught from config.json's
/// vocab_size, and by the probe run when config.json does not say.
#[test]
fn a_tokenizer_larger_than_the_embedding_table_is_a_mismatch() {
    let dir = scratch_copy("bert-cls2", "big-vocab");
    edit_json(&dir.join("tokenizer.json"), |t| {
        let vocab = t["model"]["vocab"].as_object_mut().unwrap();
        let next = vocab.len() as u64;
        for i in 0..50 {
            vocab.insert(format!("zzextra{i}"), (next + i).into());
        }
    });
    let e = open_err(&dir, &options());
    assert_eq!(e.kind, ErrorKind::ModelMismatch, "{e}");
    assert!(e.message.contains("vocab"), "{}", e.message);

    edit_json(&dir.join("config.json"), |c| {
        c.as_object_mut().unwrap().remove("vocab_size");
    });
    let e = open_err(&dir, &options());
    assert_eq!(e.kind, ErrorKind::ModelMismatch, "{e}");
    assert!(e.message.contains("largest id"), "{}", e.message);
}

#[test]
fn labels_that_disagree_with_the_graph_are_a_mismatch() {
    let dir = scratch_copy("bert-cls2", "three-labels");
    edit_json(&dir.join("config.json"), |c| {
        c["id2label"] = serde_json::json!({"0": "a", "1": "b", "2": "c"});
    });
    let e = open_err(&dir, &options());
    assert_eq!(e.kind, ErrorKind::ModelMismatch, "{e}");
    assert!(e.message.contains("3 labels") && e.message.contains("2 scores"), "{}", e.message);
}

#[test]
fn config_problems_are_model_invalid() {
    let dir = scratch_copy("bert-cls2", "bad-config");
    fs::write(dir.join("config.json"), b"[1, 2").unwrap();
    assert_eq!(open_err(&dir, &options()).kind, ErrorKind::ModelInvalid);

    fs::copy(fixture("bert-cls2").join("config.json"), dir.join("config.json")).unwrap();
    edit_json(&dir.join("config.json"), |c| c["architectures"] = serde_json::json!(["BertModel"]));
    let e = open_err(&dir, &options());
    assert_eq!(e.kind, ErrorKind::ModelInvalid);
    assert!(e.message.contains("architectures"), "{}", e.message);

    fs::write(dir.join("vigil.json"), br#"{"long_txt": "truncate"}"#).unwrap();
    let e = open_err(&dir, &options());
    assert_eq!(e.kind, ErrorKind::ModelInvalid);
    assert!(e.message.contains("long_txt"), "{}", e.message);
}

#[test]
fn vigil_json_overrides_task_labels_and_policy() {
    let dir = scratch_copy("bert-cls2", "override");
    fs::write(dir.join("vigil.json"), br#"{"labels": ["no_ade", "ade"], "long_text": "window_mean", "stride": 8}"#)
        .unwrap();
    let model = Model::open(&dir, &options()).unwrap();
    assert_eq!(model.labels(), ["no_ade", "ade"]);
    assert_eq!(model.long_text(), vigil::LongText::WindowMean);
    assert_eq!(model.stride(), 8);

    fs::write(dir.join("vigil.json"), br#"{"task": "token_classification"}"#).unwrap();
    let model = Model::open(&dir, &options()).unwrap();
    let e = model.classify(&["rash after amoxicillin"]).unwrap_err();
    assert_eq!(e.kind, ErrorKind::TaskMismatch, "{e}");
}

#[test]
fn bad_options_are_refused_before_any_work() {
    let dir = fixture("bert-cls3");
    let e = open_err(&dir, &Options { stride: Some(62), ..options() });
    assert_eq!(e.kind, ErrorKind::InvalidArgument);
    assert!(e.message.contains("stride 62"), "{}", e.message);
    let e = open_err(&dir, &Options { max_tokens_per_batch: 10, ..options() });
    assert_eq!(e.kind, ErrorKind::InvalidArgument);
    let e = open_err(&dir, &Options { sessions: 0, ..options() });
    assert_eq!(e.kind, ErrorKind::InvalidArgument);
    let e = open_err(&dir, &Options { execution_provider: ExecutionProvider::Cuda, ..options() });
    assert_eq!(e.kind, ErrorKind::ProviderUnavailable);
    assert!(e.message.contains("cuda"), "{}", e.message);
}

#[test]
fn a_huge_text_is_refused_and_the_model_keeps_working() {
    let model = Model::open(fixture("bert-cls2"), &Options { max_text_bytes: 10_000, ..options() }).unwrap();
    let huge = "nausea ".repeat(2_000);
    let e = model.classify(&["short text", &huge]).unwrap_err();
    assert_eq!(e.kind, ErrorKind::InputTooLarge);
    assert!(e.message.contains("text 1") && e.message.contains("14000 bytes"), "{}", e.message);
    assert_eq!(model.classify(&["short text"]).unwrap().len(), 1);
}

#[test]
fn max_length_option_caps_the_model_and_flags_truncation() {
    let model = Model::open(
        fixture("bert-cls2"),
        &Options { max_length: Some(8), long_text: Some(vigil::LongText::Truncate), ..options() },
    )
    .unwrap();
    assert_eq!(model.max_length(), 8);
    let got = model.classify(&["the patient developed severe hepatitis after the second dose of the drug"]).unwrap();
    assert!(got[0].truncated);
    assert_eq!(got[0].windows, 1);
}

/// The fingerprint is the sha256 of a `sha256sum`-format manifest, so it can
/// be recomputed with coreutils alone; any file change moves it.
#[test]
fn the_fingerprint_is_recomputable_with_sha256sum_and_tracks_every_file() {
    let dir = scratch_copy("bert-cls2", "fingerprint");
    let files = ["model.onnx", "config.json", "tokenizer.json", "tokenizer_config.json"];
    let sha256sum = |args: &[&str], stdin: Option<&[u8]>| {
        use std::io::Write;
        let mut child = std::process::Command::new("sha256sum")
            .args(args)
            .current_dir(&dir)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("sha256sum");
        child.stdin.take().unwrap().write_all(stdin.unwrap_or_default()).unwrap();
        String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap()
    };
    let manifest = sha256sum(&files, None);
    let expected = format!("sha256:{}", sha256sum(&[], Some(manifest.as_bytes())).split_whitespace().next().unwrap());
    let before = Model::open(&dir, &options()).unwrap().fingerprint().to_string();
    assert_eq!(before, expected);

    edit_json(&dir.join("config.json"), |c| c["id2label"]["0"] = "renamed".into());
    let after_config = Model::open(&dir, &options()).unwrap().fingerprint().to_string();
    assert_ne!(before, after_config);
    fs::write(dir.join("vigil.json"), b"{}").unwrap();
    assert_ne!(after_config, Model::open(&dir, &options()).unwrap().fingerprint());
}
