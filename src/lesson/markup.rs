//! A lesson's text (intro, questions, reveals) as markup: the small part of Markdown a lesson
//! uses — paragraphs, `- ` lists, `*emphasis*`, `**strong**`, `` `code` `` and `[links](…)` —
//! and nothing else. Every character of the file is escaped first, so no HTML from a lesson
//! reaches the page; the only tags are the ones written here.

/// Block markup: paragraphs (split at blank lines) and bulleted lists.
pub fn to_html(text: &str) -> String {
    let mut out = String::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut list: Vec<String> = Vec::new();
    let flush = |out: &mut String, paragraph: &mut Vec<&str>, list: &mut Vec<String>| {
        if !paragraph.is_empty() {
            out.push_str(&format!("<p>{}</p>", inline(&paragraph.join(" "))));
            paragraph.clear();
        }
        if !list.is_empty() {
            out.push_str("<ul>");
            for item in list.iter() {
                out.push_str(&format!("<li>{}</li>", inline(item)));
            }
            out.push_str("</ul>");
            list.clear();
        }
    };
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            flush(&mut out, &mut paragraph, &mut list);
        } else if let Some(item) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
            if !paragraph.is_empty() {
                flush(&mut out, &mut paragraph, &mut list);
            }
            list.push(item.to_string());
        } else if let Some(last) = list.last_mut() {
            // A continuation of the list's last item.
            last.push(' ');
            last.push_str(line);
        } else {
            paragraph.push(line);
        }
    }
    flush(&mut out, &mut paragraph, &mut list);
    out
}

/// Inline markup within one block.
pub fn inline(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let taken = match c {
            '`' => span(rest, "`", "code", false, &mut out),
            '*' if rest.starts_with("**") => span(rest, "**", "strong", true, &mut out),
            '*' | '_' => span(rest, &rest[..1], "em", true, &mut out),
            '[' => link(rest, &mut out),
            _ => None,
        };
        match taken {
            Some(n) => rest = &rest[n..],
            None => {
                escape_into(&rest[..c.len_utf8()], &mut out);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// `mark…mark` as `<tag>…</tag>`; the bytes consumed, or None when it does not close.
fn span(text: &str, mark: &str, tag: &str, nested: bool, out: &mut String) -> Option<usize> {
    let body = &text[mark.len()..];
    let end = body.find(mark)?;
    if end == 0 {
        return None;
    }
    let inner = &body[..end];
    let inner = if nested { inline(inner) } else { escape(inner) };
    out.push_str(&format!("<{tag}>{inner}</{tag}>"));
    Some(mark.len() * 2 + end)
}

/// `[text](url)`: a link to the web (http, https) or to a relative path; anything else
/// (`javascript:`, `data:`) stays plain text.
fn link(text: &str, out: &mut String) -> Option<usize> {
    let close = text.find("](")?;
    let end = close + 2 + text[close + 2..].find(')')?;
    let (label, url) = (&text[1..close], text[close + 2..end].trim());
    let scheme = url.split_once(':').map(|(s, _)| s);
    let safe = match scheme {
        Some(s) if !s.contains('/') => s == "http" || s == "https",
        _ => !url.is_empty(),
    };
    if !safe || label.is_empty() {
        return None;
    }
    out.push_str(&format!(
        "<a href=\"{}\" target=\"_blank\" rel=\"noopener noreferrer\">{}</a>",
        escape(url),
        inline(label)
    ));
    Some(end + 1)
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(text, &mut out);
    out
}

fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}
