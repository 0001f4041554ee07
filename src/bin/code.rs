//! The script writer's entry point (a worker the page loads when the code panel first opens;
//! built for wasm32 by Trunk).

#[cfg(target_arch = "wasm32")]
fn main() {
    gradscope::web::code_worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("gradscope-code runs inside the browser app; on the command line: gradscope train --code keras|pytorch.");
    std::process::exit(2);
}
