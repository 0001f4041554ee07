//! Where a lesson comes from besides the menu: a file (the picker or a drop on the page), a
//! same-origin path (`?lesson_file=lessons/tour.md`) or a shared link (`#lesson=…`, the file
//! deflated and base64url-encoded in the fragment, which never reaches a server). Reading,
//! compressing and fetching use the browser's own streams, so they add no weight to the page.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use super::super::state::AppState;
use crate::lesson::{parse, MAX_LESSON_BYTES};

#[wasm_bindgen(inline_js = r#"
const LIMIT = 65536;
async function collect(stream) {
  const reader = stream.getReader(), parts = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.length;
    if (n > LIMIT) { reader.cancel(); throw new Error('it is larger than 64 KB'); }
    parts.push(value);
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
function text(bytes) { return new TextDecoder('utf-8', { fatal: true }).decode(bytes); }
export async function fileText(file) {
  if (file.size > LIMIT) throw new Error('the file is ' + Math.ceil(file.size / 1024) + ' KB; a lesson may be at most 64 KB');
  return text(await collect(file.stream()));
}
export function firstFile(list) { return list && list.length ? list[0] : null; }
export async function fetchText(path) {
  const r = await fetch(path);
  if (!r.ok) throw new Error(path + ': ' + r.status + ' ' + r.statusText);
  return text(await collect(r.body));
}
export async function pack(s) {
  const b = await collect(new Blob([s]).stream().pipeThrough(new CompressionStream('deflate-raw')));
  let bin = '';
  for (const x of b) bin += String.fromCharCode(x);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
export async function unpack(code) {
  const bin = atob(code.replace(/-/g, '+').replace(/_/g, '/'));
  const b = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return text(await collect(new Blob([b]).stream().pipeThrough(new DecompressionStream('deflate-raw'))));
}
"#)]
extern "C" {
    #[wasm_bindgen(catch, js_name = fileText)]
    async fn file_text(file: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = firstFile)]
    fn first_file(list: JsValue) -> JsValue;
    #[wasm_bindgen(catch, js_name = fetchText)]
    async fn fetch_text(path: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn pack(text: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn unpack(code: &str) -> Result<JsValue, JsValue>;
}

/// The fragment's key for a shared lesson.
pub const FRAGMENT_KEY: &str = "lesson=";
/// A longer link is refused (mail and slide tools cut long links): the file is offered instead.
pub const MAX_LINK_CHARS: usize = 16_000;

fn message(e: JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "it could not be read".into())
}

/// Fetches a built-in lesson's file (`lessons/ID.md` beside the page) and keeps it.
pub async fn fetch_builtin(id: &'static str) -> Result<(), String> {
    let text = fetch_text(&format!("lessons/{id}.md"))
        .await
        .map_err(|e| format!("lesson '{id}': not loaded — {}", message(e)))?;
    crate::lesson::builtin::store_text(id, text.as_string().unwrap_or_default());
    Ok(())
}

impl AppState {
    /// Parses lesson text from `source` and opens it; a malformed one keeps what the page
    /// shows and says why.
    pub fn open_text(&self, source: &str, text: &str) {
        match parse(text) {
            Ok(lesson) => self.open_lesson(lesson, text, None, 0),
            Err(e) => self.lesson_error.set(Some(format!("{source}: {e}"))),
        }
    }

    /// Reads a `File` (from the picker or a drop) and opens it.
    pub fn open_file_list(&self, files: JsValue) {
        let file = first_file(files);
        if file.is_null() {
            return;
        }
        let name = js_sys::Reflect::get(&file, &"name".into())
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_else(|| "the file".into());
        let state = *self;
        leptos::task::spawn_local(async move {
            match file_text(file).await {
                Ok(t) => state.open_text(&name, &t.as_string().unwrap_or_default()),
                Err(e) => state
                    .lesson_error
                    .set(Some(format!("{name}: not opened — {}", message(e)))),
            }
        });
    }

    /// `?lesson_file=PATH`: a lesson beside the page (same origin only).
    pub fn open_path(&self, path: &str) {
        let same_origin = !path.contains(':') && !path.starts_with("//") && !path.contains('\\');
        if !same_origin {
            self.lesson_error.set(Some(format!(
                "lesson_file={}: only a path on this site can be opened (e.g. lessons/tour.md)",
                crate::engine::settings::excerpt(path)
            )));
            return;
        }
        let (state, path) = (*self, path.to_string());
        leptos::task::spawn_local(async move {
            match fetch_text(&path).await {
                Ok(t) => {
                    state.open_text(&path, &t.as_string().unwrap_or_default());
                    state.player.update(|p| {
                        if let Some(p) = p {
                            p.file = Some(path.clone());
                        }
                    });
                }
                Err(e) => state
                    .lesson_error
                    .set(Some(format!("lesson_file: not opened — {}", message(e)))),
            }
        });
    }

    /// `#lesson=…`: a lesson carried in the link itself.
    pub fn open_fragment(&self, code: &str) {
        let (state, code) = (*self, code.to_string());
        leptos::task::spawn_local(async move {
            match unpack(&code).await {
                Ok(t) => {
                    state.open_text("the shared link", &t.as_string().unwrap_or_default());
                    state.player.update(|p| {
                        if let Some(p) = p {
                            p.shared = Some(code.clone());
                        }
                    });
                }
                Err(e) => state.lesson_error.set(Some(format!(
                    "The lesson in this link could not be read ({}): ask for the file instead.",
                    message(e)
                ))),
            }
        });
    }

    /// A link carrying the open lesson in its fragment, handed to `done` (or why not).
    pub fn share_link(&self, done: impl FnOnce(Result<String, String>) + 'static) {
        let Some(p) = self.player.get_untracked() else {
            return;
        };
        let text = p.text;
        if text.len() > MAX_LESSON_BYTES {
            return done(Err(
                "The lesson is over 64 KB: share the file instead.".into()
            ));
        }
        leptos::task::spawn_local(async move {
            let result = match pack(&text).await {
                Ok(code) => {
                    let code = code.as_string().unwrap_or_default();
                    let page = web_sys::window()
                        .and_then(|w| w.location().href().ok())
                        .unwrap_or_default();
                    let base = page.split(['?', '#']).next().unwrap_or("").to_string();
                    let link = format!("{base}#{FRAGMENT_KEY}{code}");
                    if link.len() > MAX_LINK_CHARS {
                        Err(format!(
                            "This lesson makes a link of {} characters, too long to share safely: use Download lesson and share the file.",
                            link.len()
                        ))
                    } else {
                        Ok(link)
                    }
                }
                Err(e) => Err(format!("No link made: {}", message(e))),
            };
            done(result);
        });
    }
}
