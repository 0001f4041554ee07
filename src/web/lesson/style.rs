//! The lesson player's stylesheet (`lesson.css`), fetched when a lesson first opens, so that it
//! costs the page's start nothing. Nothing a lesson hides waits on it: the player's first frame
//! may show unstyled, but a question's runs start afresh and its reveal is drawn only once they
//! have finished.

use std::cell::Cell;

thread_local! {
    static REQUESTED: Cell<bool> = const { Cell::new(false) };
}

/// Adds `<link rel="stylesheet" href="lesson.css">` to the page, once.
pub fn request_lesson_style() {
    if REQUESTED.replace(true) {
        return;
    }
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let (Ok(link), Ok(Some(head))) = (
        document.create_element("link"),
        document.query_selector("head"),
    ) {
        let _ = link.set_attribute("rel", "stylesheet");
        let _ = link.set_attribute("href", "lesson.css");
        let _ = head.append_child(&link);
    }
}
