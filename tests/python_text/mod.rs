//! Helpers of the code-generation tests: reading generated Python as text.

#![allow(dead_code)]

use gradscope::codegen::{keras, pytorch};
use gradscope::engine::config::Config;

pub fn small() -> Config {
    Config {
        depth: 3,
        width: 16,
        ..Config::default()
    }
}

/// The text with string literals and comments blanked out (triple quotes too).
pub fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '"' || c == '\'' {
            let triple = chars[i..].starts_with(&[c, c, c]);
            let quote: Vec<char> = if triple { vec![c; 3] } else { vec![c] };
            i += quote.len();
            while i < chars.len() && !chars[i..].starts_with(&quote) {
                assert!(
                    triple || chars[i] != '\n',
                    "unterminated string in:\n{text}"
                );
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            assert!(i < chars.len(), "unterminated string in:\n{text}");
            i += quote.len();
            out.push_str("\"\"");
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Balanced brackets, no format leftovers, four-space indentation, short lines.
pub fn assert_well_formed(text: &str) {
    assert!(
        !text.contains('{') && !text.contains('}'),
        "a brace:\n{text}"
    );
    assert!(!text.contains('\t') && !text.contains('$'), "{text}");
    assert!(
        !text.contains("float(\\\"") && !text.contains("NaN"),
        "a non-number:\n{text}"
    );
    let mut stack = Vec::new();
    for c in code_only(text).chars() {
        match c {
            '(' | '[' => stack.push(c),
            ')' => assert_eq!(stack.pop(), Some('('), "unbalanced ):\n{text}"),
            ']' => assert_eq!(stack.pop(), Some('['), "unbalanced ]:\n{text}"),
            _ => {}
        }
    }
    assert!(stack.is_empty(), "unclosed {stack:?}:\n{text}");
    for line in text.lines() {
        assert!(line.len() <= 100, "long line: {line}");
        assert_eq!(line, line.trim_end(), "trailing space: {line:?}");
        let indent = line.len() - line.trim_start().len();
        let in_docstring_text = !line.trim_start().starts_with(|c: char| c.is_alphabetic());
        assert!(
            indent % 4 == 0 || in_docstring_text,
            "indent {indent}: {line}"
        );
    }
    assert!(text.contains("if __name__ == \"__main__\":\n    main()\n"));
    assert!(text.contains("EPOCHS = int(os.environ.get(\"GRADSCOPE_EPOCHS\", "));
    for f in ["def load_data():", "def build_model():", "def main():"] {
        assert!(text.contains(f), "{f}");
    }
}

/// Both scripts for a configuration, checked for form.
pub fn both(config: &Config) -> (String, String) {
    let (k, p) = (keras(config), pytorch(config));
    assert_well_formed(&k);
    assert_well_formed(&p);
    (k, p)
}

/// Position of `needle` in `hay`, or a failure naming it.
pub fn at(hay: &str, needle: &str) -> usize {
    hay.find(needle)
        .unwrap_or_else(|| panic!("no {needle:?} in:\n{hay}"))
}

/// The body of the hidden-layer loop.
pub fn loop_body(text: &str) -> &str {
    let start = at(text, "for _ in range(DEPTH):");
    let rest = &text[start..];
    let end = rest
        .find("\n    # The output")
        .or(rest.find("        fan_in = WIDTH"));
    &rest[..end.expect("the loop ends")]
}
