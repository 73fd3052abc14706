//! Shared test helpers: fixture paths, options that find ONNX Runtime, and
//! the committed transformers references.
#![allow(dead_code)] // each test binary uses a different subset

use std::path::{Path, PathBuf};

use serde_json::Value;
use vigil::{LongText, Options};

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/models").join(name)
}

/// The runtime that tools/setup.sh places, unless VIGIL_ORT_LIBRARY says otherwise.
pub fn ort_library() -> PathBuf {
    std::env::var_os("VIGIL_ORT_LIBRARY")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/onnxruntime/libonnxruntime.so"))
}

pub fn options() -> Options {
    Options { ort_library: Some(ort_library()), ..Options::default() }
}

pub fn options_for(policy: &str, stride: Option<usize>) -> Options {
    let long_text = match policy {
        "truncate" => LongText::Truncate,
        "window_mean" => LongText::WindowMean,
        "window_max" => LongText::WindowMax,
        other => panic!("unknown policy {other}"),
    };
    Options { long_text: Some(long_text), stride, ..options() }
}

pub fn references() -> Value {
    let text = std::fs::read_to_string(root().join("tests/fixtures/reference/classify.json")).expect("classify.json");
    serde_json::from_str(&text).unwrap()
}

/// A writable copy of a fixture, for tests that damage one file.
pub fn scratch_copy(name: &str, tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vigil-test-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(fixture(name)).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    dir
}
