//! A missing ONNX Runtime is an error naming every path tried, never a
//! panic, and the process can still load the right one afterwards. This is
//! its own test binary because the runtime is loaded once per process.

mod common;

use vigil::{ErrorKind, Model, Options};

#[test]
fn a_missing_runtime_names_every_path_then_recovers() {
    // The only test in this binary, so no other thread reads the environment.
    std::env::remove_var("VIGIL_ORT_LIBRARY");
    std::env::set_var("ORT_DYLIB_PATH", "/nonexistent/env/libonnxruntime.so");
    let missing = Options { ort_library: Some("/nonexistent/explicit/libonnxruntime.so".into()), ..Options::default() };
    let e = match Model::open(common::fixture("bert-cls2"), &missing) {
        Ok(m) => panic!("opened with no runtime available: loaded {}", m.ort_library().display()),
        Err(e) => e,
    };
    assert_eq!(e.kind, ErrorKind::RuntimeUnavailable);
    for tried in ["/nonexistent/explicit/libonnxruntime.so", "/nonexistent/env/libonnxruntime.so", "libonnxruntime.so"]
    {
        assert!(e.message.contains(tried), "{tried} missing from: {}", e.message);
    }

    let model = Model::open(common::fixture("bert-cls2"), &common::options()).unwrap();
    assert_eq!(model.classify(&["rash after the first dose"]).unwrap().len(), 1);
    assert!(model.ort_version().starts_with("1."), "{}", model.ort_version());

    let e = match Model::open(common::fixture("bert-cls2"), &missing) {
        Ok(_) => panic!("a second, different runtime was accepted"),
        Err(e) => e,
    };
    assert_eq!(e.kind, ErrorKind::RuntimeUnavailable);
    assert!(e.message.contains("already loaded"), "{}", e.message);
}
