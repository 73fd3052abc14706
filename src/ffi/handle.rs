//! The only code that turns raw pointers into Rust values and back.
//! Owned objects travel as `Box` pointers; models as `Arc` pointers, so a
//! result can hold its model alive after the host frees the model handle.

use std::sync::Arc;

use crate::engine::error::{fail, ErrorKind, Result};

/// Borrows a non-NULL pointer for the length of a call.
///
/// # Safety
/// `ptr` is NULL or points to a live `T` that outlives `'a`.
pub unsafe fn borrow<'a, T>(ptr: *const T, what: &str) -> Result<&'a T> {
    match unsafe { ptr.as_ref() } {
        Some(value) => Ok(value),
        None => fail(ErrorKind::InvalidArgument, format!("{what} is NULL")),
    }
}

/// Mutably borrows a non-NULL pointer for the length of a call.
///
/// # Safety
/// `ptr` is NULL or points to a live, unaliased `T` that outlives `'a`.
pub unsafe fn borrow_mut<'a, T>(ptr: *mut T, what: &str) -> Result<&'a mut T> {
    match unsafe { ptr.as_mut() } {
        Some(value) => Ok(value),
        None => fail(ErrorKind::InvalidArgument, format!("{what} is NULL")),
    }
}

/// Hands a value to the host through its out-parameter.
pub fn give_box<T>(out: &mut *mut T, value: T) {
    *out = Box::into_raw(Box::new(value));
}

/// Frees what `give_box` handed out; NULL is a no-op.
///
/// # Safety
/// `ptr` is NULL or came from `give_box` and was not freed before.
pub unsafe fn free_box<T>(ptr: *mut T) {
    if !ptr.is_null() {
        drop(unsafe { Box::from_raw(ptr) });
    }
}

pub fn give_arc<T>(out: &mut *mut T, value: Arc<T>) {
    *out = Arc::into_raw(value).cast_mut();
}

/// A new strong reference to an object handed out by `give_arc`.
///
/// # Safety
/// `value` is a reference obtained from a pointer made by `give_arc`.
pub unsafe fn clone_arc<T>(value: &T) -> Arc<T> {
    let ptr: *const T = value;
    unsafe {
        Arc::increment_strong_count(ptr);
        Arc::from_raw(ptr)
    }
}

/// Drops the host's reference; NULL is a no-op.
///
/// # Safety
/// `ptr` is NULL or came from `give_arc` and was not freed before.
pub unsafe fn free_arc<T>(ptr: *mut T) {
    if !ptr.is_null() {
        drop(unsafe { Arc::from_raw(ptr.cast_const()) });
    }
}
