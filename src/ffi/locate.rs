//! Where libvigil itself lives, so ONNX Runtime can be found beside it.

use std::ffi::CStr;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

/// The folder of the shared object containing this code, via dladdr. ort
/// resolves relative paths against the host executable (the java binary's
/// folder under a JVM), which is never where a host ships libvigil.
pub fn library_dir() -> Option<PathBuf> {
    let mut info: libc::Dl_info = unsafe { std::mem::zeroed() };
    let address = library_dir as *const libc::c_void;
    if unsafe { libc::dladdr(address, &mut info) } == 0 || info.dli_fname.is_null() {
        return None;
    }
    let file = PathBuf::from(std::ffi::OsStr::from_bytes(unsafe { CStr::from_ptr(info.dli_fname) }.to_bytes()));
    std::path::absolute(file).ok()?.parent().map(PathBuf::from)
}
