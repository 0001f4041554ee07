//! The browser app. The page renders and sends commands; the worker owns the engine and
//! trains, so the page never waits on a matrix product.

pub mod app;
#[cfg(feature = "bench")]
pub mod bench;
pub mod charts;
pub mod client;
pub mod code_worker;
pub mod controls;
pub mod dom;
pub mod fields;
pub mod fullscreen;
pub mod keys;
pub mod lesson;
pub mod panels;
pub mod run_style;
pub mod state;
pub mod worker;

/// Converts a message to a JS value; u64 seeds go as BigInt, so no seed loses bits.
pub fn to_js<T: serde::Serialize>(msg: &T) -> Result<wasm_bindgen::JsValue, String> {
    let ser = serde_wasm_bindgen::Serializer::new().serialize_large_number_types_as_bigints(true);
    msg.serialize(&ser).map_err(|e| e.to_string())
}

/// This module's WebAssembly memory in bytes (page or worker alike): it only ever grows, so
/// its size is the high-water mark of what the engine and the page's state needed.
pub fn wasm_memory_bytes() -> f64 {
    use wasm_bindgen::JsCast;
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map_or(0.0, |m| {
            m.buffer()
                .dyn_into::<js_sys::ArrayBuffer>()
                .map_or(0.0, |b| b.byte_length() as f64)
        })
}
