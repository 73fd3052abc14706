// libvigil.so names itself, so a host that loads it by path (Java's
// System.load) also satisfies another library's NEEDED entry for it.
fn main() {
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libvigil.so");
}
