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
    let described = describe(c);
    if described.is_empty() {
        Vec::new()
    } else {
        vec![format!("Constraints: {}.", described.join(", "))]
    }
}

/// The constraints in words, as Markdown: every value from the spec (a pattern, a bound, an
/// allowed value) in a code span, where rustdoc shows it exactly as written.
fn describe(c: &Constraints) -> Vec<String> {
    let bound = |b: Option<(f64, bool)>, excl: bool| {
        b.filter(|(_, e)| *e == excl).map(|(v, _)| v.to_string())
    };
    let pairs = [
        ("minLength", c.min_length.map(|v| v.to_string())),
        ("maxLength", c.max_length.map(|v| v.to_string())),
        ("minimum", bound(c.minimum, false)),
        ("exclusiveMinimum", bound(c.minimum, true)),
        ("maximum", bound(c.maximum, false)),
        ("exclusiveMaximum", bound(c.maximum, true)),
        ("multipleOf", c.multiple_of.map(|v| v.to_string())),
        ("pattern", c.pattern.as_ref().map(|p| code_span(&p.source))),
        ("minItems", c.min_items.map(|v| v.to_string())),
        ("maxItems", c.max_items.map(|v| v.to_string())),
        ("minProperties", c.min_properties.map(|v| v.to_string())),
        ("maxProperties", c.max_properties.map(|v| v.to_string())),
    ];
    let mut out: Vec<String> = pairs
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k} {v}")))
        .collect();
    if c.unique_items {
        out.push("uniqueItems".into());
    }
    if !c.allowed.is_empty() {
        let values: Vec<String> = c
            .allowed
            .iter()
            .map(|v| code_span(&v.to_string()))
            .collect();
        out.push(format!("one of {}", values.join(", ")));
    }
    if let Some(items) = &c.items {
        for d in describe(items) {
            out.push(format!("each item: {d}"));
        }
    }
    out
}

/// `text` as a Markdown code span that shows it exactly: nothing inside is escaped (a code
/// span would show the backslashes), a fence one backtick longer than the longest run of
/// backticks inside, and a space either side when the text begins or ends with a backtick
/// or a space (CommonMark strips one). Line breaks, which would end the doc line, are
/// written as the escapes `\n` and `\r`, which a pattern reads the same.
pub fn code_span(text: &str) -> String {
    let text = text.replace('\n', "\\n").replace('\r', "\\r");
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if text.starts_with(['`', ' ']) || text.ends_with(['`', ' ']) || text.is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
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

    #[test]
    fn a_code_span_shows_its_text_exactly() {
        assert_eq!(code_span("^[a-z_]<x>*$"), "`^[a-z_]<x>*$`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`a``b"), "``` `a``b ```");
        assert_eq!(code_span(" a "), "`  a  `");
        assert_eq!(code_span("a\nb"), "`a\\nb`");
    }
}
