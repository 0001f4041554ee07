//! The clipping explainer page the app opens (`assets/clip-explainer.html` and its style
//! sheet) is exactly what `clip_demo` writes from the engine's clipping: regenerate with
//! `UPDATE_ASSETS=1 cargo test --test clip_explainer`.

use gradscope::clip_demo::{page, stylesheet, THRESHOLDS};

fn check(path: &str, want: String) {
    let path = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_ASSETS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "{path} is out of date: UPDATE_ASSETS=1 cargo test --test clip_explainer"
    );
}

#[test]
fn the_committed_page_is_what_the_engine_computes() {
    check("assets/clip-explainer.html", page());
    check("assets/clip-explainer.css", stylesheet());
}

#[test]
fn the_page_shows_the_notes_example_and_one_figure_per_threshold_without_script() {
    let html = page();
    assert!(
        !html.contains("<script"),
        "no script: the page's CSP allows none"
    );
    assert_eq!(html.matches("class=\"figure\"").count(), THRESHOLDS.len());
    assert_eq!(
        html.matches(" checked>").count(),
        1,
        "one threshold chosen at first"
    );
    // At threshold 1, clipvalue turns [0.9, 100] into [0.9, 1.0]: 89.5° → 48.0°.
    let at_one = &html[html.find("data-threshold=\"1.00\"").unwrap()..];
    let at_one = &at_one[..at_one.find("</div>").unwrap()];
    assert!(at_one.contains("g₁ at 89.5° → 48.0°"), "{at_one}");
    assert!(
        at_one.contains("<td>g₁ [0.900, 1.00], length 1.35</td>"),
        "{at_one}"
    );
    let css = stylesheet();
    for i in 0..THRESHOLDS.len() {
        assert!(css.contains(&format!("#t{i}:checked ~ .figures #f{i}")));
    }
}
