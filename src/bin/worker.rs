//! The training worker's entry point (built for wasm32 by Trunk).

#[cfg(target_arch = "wasm32")]
fn main() {
    gradscope::web::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "gradscope-worker runs inside the browser app: build it with `trunk build --release`."
    );
    std::process::exit(2);
}
