//! Doc comments: the spec's text made safe for rustdoc, and the constraints stated in words.

use crate::model::Constraints;
use proc_macro2::TokenStream;
use quote::quote;
use std::sync::LazyLock;

static DOC_TOKENS: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"\[[^\]\n]*\]\([^)\s]*\)|https?://[^\s<>()\[\]`]+|[\[\]<>]")
        .expect("a valid constant regex")
});

/// Spec text made safe for rustdoc: no doctests from code fences or indentation, no broken
/// intra-doc links or HTML tags, bare URLs as links.
pub fn sanitize_doc(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            out.push(if in_fence { "```" } else { "```text" }.to_owned());
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_owned());
            continue;
        }
        let escaped = DOC_TOKENS.replace_all(trimmed.trim_end(), |c: &regex::Captures<'_>| {
            let m = &c[0];
            match m {
                "[" => "\\[".to_owned(),
                "]" => "\\]".to_owned(),
                "<" => "&lt;".to_owned(),
                ">" => "&gt;".to_owned(),
                link if link.starts_with('[') => link.to_owned(),
                url => {
                    let url_end = url.trim_end_matches(['.', ',', ';', ':', '\'', '"']);
                    format!("<{url_end}>{}", &url[url_end.len()..])
                }
            }
        });
        out.push(escaped.into_owned());
    }
    if in_fence {
        out.push("```".to_owned());
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// `#[doc]` attributes for `text`, one per line.
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #l])
    });
    quote!(#(#lines)*)
}

/// The spec's doc, sanitised, followed by `extra` paragraphs.
pub fn docs(doc: Option<&str>, extra: &[String]) -> TokenStream {
    let mut text = doc.map(sanitize_doc).unwrap_or_default();
    for e in extra {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(e);
    }
    doc_attrs(&text)
}

/// A `Constraints: ...` paragraph, or nothing when there are none.
pub fn constraint_doc(c: &Constraints) -> Vec<String> {
    let described = c.describe();
    if described.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "Constraints: {}.",
            sanitize_doc(&described.join(", "))
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_text_cannot_break_rustdoc() {
        let text = "Use <b>bold</b> [x] and see https://example.com/a.\n```\ncode\n```";
        assert_eq!(
            sanitize_doc(text),
            "Use &lt;b&gt;bold&lt;/b&gt; \\[x\\] and see <https://example.com/a>.\n```text\ncode\n```"
        );
    }
}
