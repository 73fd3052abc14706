//! Runtime versions, matching the header's compile-time macros.

use std::ffi::c_char;

pub const VIGIL_VERSION_MAJOR: u32 = 0;
pub const VIGIL_VERSION_MINOR: u32 = 1;
pub const VIGIL_VERSION_PATCH: u32 = 0;
/// Bumped only for a breaking ABI change; additions keep it.
pub const VIGIL_ABI_VERSION: u32 = 1;

/// The library version, "MAJOR.MINOR.PATCH". Static; never freed.
#[no_mangle]
pub extern "C" fn vigil_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// The ABI version this library implements (`VIGIL_ABI_VERSION`).
#[no_mangle]
pub extern "C" fn vigil_abi_version() -> u32 {
    VIGIL_ABI_VERSION
}

#[cfg(test)]
mod tests {
    #[test]
    fn macros_match_the_crate_version() {
        let expected =
            format!("{}.{}.{}", super::VIGIL_VERSION_MAJOR, super::VIGIL_VERSION_MINOR, super::VIGIL_VERSION_PATCH);
        assert_eq!(expected, env!("CARGO_PKG_VERSION"));
    }
}
