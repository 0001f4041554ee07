//! The page's entry point (built for wasm32 by Trunk).

#[cfg(target_arch = "wasm32")]
fn main() {
    gradscope::web::app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "gradscope-web is the browser app: build it with `trunk build --release` (see README)."
    );
    std::process::exit(2);
}
