//! Diagnostics: located, explained errors and warnings, and the collector every stage reports to.
//!
//! An error fails the run; a warning is something the generator tolerated, downgraded or left
//! out, printed on success (and turned into an error by `--deny-warnings`). Every diagnostic
//! names its file (the spec or an overlay), the line and column where it is known, the JSON
//! pointer of the node it is about, what is wrong and what to do. The file comes from the
//! [`Diagnostics`] of the source, created where the source is read and passed down to every
//! stage that reads it.

use std::fmt;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The generator tolerated, downgraded or left something out; the output is still usable.
    Warning,
    /// The run fails.
    Error,
}

/// A located, explained finding about the spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Whether this fails the run.
    pub severity: Severity,
    /// The spec file as the user named it.
    pub file: String,
    /// Line and column (1-based), where they are known.
    pub line_col: Option<(usize, usize)>,
    /// JSON pointer of the offending node, e.g. `#/paths/~1accounts/get`.
    pub pointer: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What to do about it, where that is known.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error about the node at `pointer`.
    pub fn at(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: String::new(),
            line_col: None,
            pointer: Some(pointer.into()),
            message: message.into(),
            hint: None,
        }
    }

    /// A warning about the node at `pointer`.
    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::at(pointer, message)
        }
    }

    /// An error about the file as a whole (it cannot be read, it is not YAML, ...).
    pub fn file_error(file: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_owned(),
            line_col: None,
            pointer: None,
            message: message.into(),
            hint: None,
        }
    }

    /// Adds advice.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Sets the line and column (1-based).
    pub fn at_line_col(mut self, line: usize, col: usize) -> Self {
        self.line_col = Some((line, col));
        self
    }

    /// Whether this fails the run.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}: {}", self.file)?;
        if let Some((line, col)) = self.line_col {
            write!(f, ":{line}:{col}")?;
        }
        if let Some(pointer) = &self.pointer {
            write!(f, ": at {pointer}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  help: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// Collects diagnostics, errors and warnings, in the order they were found.
///
/// Stages push into it instead of stopping at the first problem; the run fails when it holds
/// at least one error.
///
/// One is created for each source where it is read ([`Diagnostics::for_file`]: the spec, each
/// overlay) and passed down to everything that reads that source, as serde_derive's `Ctxt` is:
/// a diagnostic recorded without a file names that source's file. Diagnostics of another
/// source (an overlay's, gathered into the spec's) keep the file they name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diagnostics {
    /// The source this collects for (empty: none; diagnostics keep the file they name).
    file: String,
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collector for no one source.
    pub fn new() -> Self {
        Diagnostics::default()
    }

    /// An empty collector for the source `file` (as messages name it): what is recorded
    /// without a file names this one.
    pub fn for_file(file: &str) -> Self {
        Diagnostics {
            file: file.to_owned(),
            items: Vec::new(),
        }
    }

    /// The file of the source this collects for (empty when none).
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Records a diagnostic, unless the very same one (file, place, message and advice) is
    /// already recorded: each is printed once.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.record(diagnostic);
    }

    /// [`Diagnostics::push`], returning the index of the diagnostic (new or the same one
    /// recorded before), for [`Diagnostics::get_mut`].
    pub fn record(&mut self, mut diagnostic: Diagnostic) -> usize {
        if diagnostic.file.is_empty() {
            diagnostic.file.clone_from(&self.file);
        }
        match self.items.iter().position(|d| *d == diagnostic) {
            Some(index) => index,
            None => {
                self.items.push(diagnostic);
                self.items.len() - 1
            }
        }
    }

    /// Records a warning about the node at `pointer` with advice.
    pub fn warn(&mut self, pointer: impl Into<String>, message: impl Into<String>, hint: &str) {
        self.push(Diagnostic::warning(pointer, message).hint(hint));
    }

    /// Records every diagnostic of `other` (each once, as [`Diagnostics::push`]).
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        for d in other {
            self.push(d);
        }
    }

    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// The diagnostic at `index` (as [`Diagnostics::record`] returned it), to amend it.
    pub fn get_mut(&mut self, index: usize) -> Option<&mut Diagnostic> {
        self.items.get_mut(index)
    }

    /// Every diagnostic, in the order found.
    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }

    /// The warnings only.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| !d.is_error())
    }

    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.is_error())
    }

    /// Number of diagnostics.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Turns every warning into an error (`--deny-warnings`).
    pub fn deny_warnings(&mut self) {
        for d in &mut self.items {
            if d.severity == Severity::Warning {
                d.severity = Severity::Error;
                let hint = match d.hint.take() {
                    Some(h) => format!("{h} (a warning, denied by --deny-warnings)"),
                    None => "a warning, denied by --deny-warnings".to_owned(),
                };
                d.hint = Some(hint);
            }
        }
    }

    /// Takes the diagnostics out.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics {
            file: String::new(),
            items: vec![d],
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// Prints every diagnostic, one after another, then a count when there are several errors.
impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.items.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        let errors = self.errors().count();
        if errors > 1 {
            write!(f, "\n{errors} errors")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_position_pointer_and_hint() {
        let mut spec = Diagnostics::for_file("spec.yaml");
        spec.push(
            Diagnostic::warning("#/paths/~1x/get", "left out")
                .hint("do this")
                .at_line_col(3, 7),
        );
        let d = &spec.items()[0];
        assert_eq!(
            d.to_string(),
            "warning: spec.yaml:3:7: at #/paths/~1x/get: left out\n  help: do this"
        );
    }

    #[test]
    fn the_same_diagnostic_is_recorded_once() {
        let mut all = Diagnostics::new();
        let first = all.record(Diagnostic::warning("#/a", "tolerated").hint("fix it"));
        all.push(Diagnostic::warning("#/b", "tolerated").hint("fix it"));
        let again = all.record(Diagnostic::warning("#/a", "tolerated").hint("fix it"));
        all.extend([Diagnostic::warning("#/b", "tolerated").hint("fix it")]);
        all.push(Diagnostic::warning("#/a", "tolerated").hint("other advice"));
        assert_eq!(first, again);
        assert_eq!(all.len(), 3, "{all}");
    }

    #[test]
    fn a_source_names_its_file_unless_the_diagnostic_names_another() {
        let mut spec = Diagnostics::for_file("spec.yaml");
        assert_eq!(spec.file(), "spec.yaml");
        let mut overlay = Diagnostics::for_file("fix.yaml");
        overlay.warn("#/actions/0/target", "selects nothing", "check it");
        spec.extend(overlay);
        spec.warn("#/paths", "tolerated", "fix it");
        let files: Vec<&str> = spec.items().iter().map(|d| d.file.as_str()).collect();
        assert_eq!(files, ["fix.yaml", "spec.yaml"]);
        let mut plain = Diagnostics::new();
        plain.warn("#/a", "tolerated", "fix it");
        assert_eq!(plain.items()[0].file, "");
    }

    #[test]
    fn collector_keeps_every_error_and_denies_warnings() {
        let mut all = Diagnostics::for_file("s.yaml");
        all.push(Diagnostic::at("#/a", "first"));
        all.warn("#/b", "tolerated", "fix it");
        all.push(Diagnostic::at("#/c", "second"));
        assert!(all.has_errors());
        assert_eq!(all.errors().count(), 2);
        assert_eq!(all.warnings().count(), 1);
        let text = all.to_string();
        assert!(text.contains("error: s.yaml: at #/a: first"), "{text}");
        assert!(text.contains("error: s.yaml: at #/c: second"), "{text}");
        assert!(text.ends_with("2 errors"), "{text}");

        let mut only_warning = Diagnostics::new();
        only_warning.warn("#/b", "tolerated", "fix it");
        assert!(!only_warning.has_errors());
        only_warning.deny_warnings();
        assert!(only_warning.has_errors());
        assert!(only_warning
            .to_string()
            .contains("denied by --deny-warnings"));
    }
}
