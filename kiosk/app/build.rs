//! Compiles the one root `.slint` file. Debug info is kept so that tests can find
//! elements by accessible label (reference/slint.md §1).
fn main() {
    let config = slint_build::CompilerConfiguration::new().with_debug_info(true);
    if let Err(err) = slint_build::compile_with_config("ui/app.slint", config) {
        eprintln!("slint compile error: {err}");
        std::process::exit(1);
    }
}
