//! Finding and initialising ONNX Runtime, once per process.
//!
//! ort's lazy loader panics when the library is missing, so Vigil always
//! loads it explicitly here and turns every failure into an error that names
//! each path it tried.

use std::path::{Path, PathBuf};

use once_cell::sync::OnceCell;
use ort::environment::Environment;
use parking_lot::Mutex;

use super::error::{fail, Error, ErrorKind, Result};
use super::options::Options;

const LIBRARY_NAME: &str = "libonnxruntime.so";

/// The loaded ONNX Runtime: one per process, shared by every model.
pub struct Runtime {
    pub environment: Environment,
    /// The path the library was loaded from, as given to the loader.
    pub library: PathBuf,
    /// Release and build commit, e.g. "1.31.1 (git 6af1a93)" (see `version_of`).
    pub version: String,
}

static RUNTIME: OnceCell<Runtime> = OnceCell::new();
/// Serialises first loads so two threads never race ort's global loader.
static LOADING: Mutex<()> = Mutex::new(());

/// Where to look, in order: the explicit option, `VIGIL_ORT_LIBRARY`,
/// `ORT_DYLIB_PATH`, the folder of the library that contains Vigil, then the
/// bare file name (which ort first tries beside the host executable, then
/// leaves to the system loader's search).
pub fn candidates(options: &Options) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    paths.extend(options.ort_library.clone());
    for var in ["VIGIL_ORT_LIBRARY", "ORT_DYLIB_PATH"] {
        if let Some(value) = std::env::var_os(var).filter(|v| !v.is_empty()) {
            paths.push(PathBuf::from(value));
        }
    }
    if let Some(dir) = &options.ort_search_dir {
        paths.push(dir.join(LIBRARY_NAME));
    }
    paths.push(PathBuf::from(LIBRARY_NAME));
    paths
}

/// Returns the process's runtime, loading it on first use.
pub fn load(options: &Options) -> Result<&'static Runtime> {
    if let Some(runtime) = RUNTIME.get() {
        return check_same_library(runtime, options);
    }
    let _guard = LOADING.lock();
    if let Some(runtime) = RUNTIME.get() {
        return check_same_library(runtime, options);
    }
    let mut tried = Vec::new();
    for path in candidates(options) {
        // Relative paths inside ort resolve against the host executable's
        // folder (the JVM's, for Java), so anything with a folder is made
        // absolute here against the working directory instead.
        let path = if path.components().count() > 1 { std::path::absolute(&path).unwrap_or(path) } else { path };
        match ort::init_from(&path) {
            Ok(builder) => {
                let environment = builder.with_name("vigil").with_telemetry(false).build().map_err(|e| {
                    Error::new(
                        ErrorKind::RuntimeUnavailable,
                        format!("ONNX Runtime loaded from `{}` but failed to start: {e}", path.display()),
                    )
                })?;
                let runtime = Runtime { version: version_of(&path, ort::info()), environment, library: path };
                return Ok(RUNTIME.get_or_init(|| runtime));
            }
            Err(e) => tried.push(format!("{} ({})", path.display(), load_failure(&e))),
        }
    }
    fail(
        ErrorKind::RuntimeUnavailable,
        format!("could not load ONNX Runtime (>= 1.{}); tried: {}", ort::MINOR_VERSION, tried.join("; ")),
    )
}

/// The loader's own words (dlerror: missing file, missing dependency, wrong
/// architecture), which ort's message leaves out.
fn load_failure(error: &ort::LoadDynamicError) -> String {
    match error {
        ort::LoadDynamicError::Dlopen { error, .. } => {
            std::error::Error::source(error).map_or_else(|| error.to_string(), |detail| detail.to_string())
        }
        other => other.to_string(),
    }
}

/// A process holds one ONNX Runtime; asking for a different one later is an
/// error rather than a silent substitution.
fn check_same_library<'r>(runtime: &'r Runtime, options: &Options) -> Result<&'r Runtime> {
    match &options.ort_library {
        Some(wanted) if !same_file(wanted, &runtime.library) => fail(
            ErrorKind::RuntimeUnavailable,
            format!(
                "ONNX Runtime is already loaded in this process from `{}`; cannot also load `{}`",
                runtime.library.display(),
                wanted.display()
            ),
        ),
        _ => Ok(runtime),
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// "1.31.1 (git 6af1a93)". ort exposes only the build string, which carries
/// the commit but not the release, so the release is read from the real file
/// name (libonnxruntime.so.1.31.1, as ORT's packages install it).
fn version_of(library: &Path, info: &str) -> String {
    let file = library.canonicalize().ok().and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
    let release = file
        .as_deref()
        .and_then(|n| n.strip_prefix(LIBRARY_NAME))
        .and_then(|v| v.strip_prefix('.'))
        .filter(|v| !v.is_empty());
    let commit = info.split("git-commit-id=").nth(1).and_then(|rest| rest.split([',', ' ']).next());
    match (release, commit) {
        (Some(release), Some(commit)) => format!("{release} (git {commit})"),
        (Some(release), None) => release.to_string(),
        (None, Some(commit)) => format!("unknown release (git {commit})"),
        (None, None) => info.to_string(),
    }
}
