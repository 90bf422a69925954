//! Source text to a JSON value: JSON or YAML, a syntax error located by line and column.

use crate::diagnostic::Diagnostic;
use serde_json::Value;
use std::path::Path;

/// Whether `text` read from `path` is JSON: by extension, else by its first character.
pub fn is_json(path: &Path, text: &str) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        Some("json") => true,
        Some("yaml" | "yml") => false,
        _ => text.trim_start().starts_with('{'),
    }
}

/// Reads JSON (when `json`) or YAML text into a value; a syntax error names `display` and the
/// line and column.
pub fn read_value(text: &str, display: &str, json: bool) -> Result<Value, Diagnostic> {
    let syntax = |line_col: Option<(usize, usize)>, message: String| Diagnostic {
        line_col,
        ..Diagnostic::file_error(display, message).hint("fix the syntax at that position")
    };
    if json {
        serde_json::from_str(text)
            .map_err(|e| syntax(Some((e.line(), e.column())), format!("invalid JSON: {e}")))
    } else {
        serde_yaml::from_str(text).map_err(|e| {
            let at = e.location().map(|l| (l.line(), l.column()));
            syntax(at, format!("invalid YAML: {e}"))
        })
    }
}
