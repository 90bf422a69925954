//! What the build leaves out of the crate, reported once per cause: a broken schema that
//! several operations (and its own component entry) reach is one warning that names everything
//! it left out, not one copy of the same warning per use.

use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use std::collections::HashMap;

/// The causes reported so far, by where and what they are.
#[derive(Default)]
pub(super) struct LeftOut {
    causes: HashMap<(Option<String>, String), Cause>,
}

/// One cause: the index of its warning among the run's diagnostics, its own advice and what
/// it left out, in the order found (each with whether the cause lies inside it).
struct Cause {
    index: usize,
    hint: Option<String>,
    what: Vec<(String, bool)>,
}

impl LeftOut {
    /// Reports that `cause` leaves out `what` (the node at `at`): a warning the first time
    /// this cause is met; later, `what` joins the list that warning names.
    ///
    /// `what` is how messages name the node (`GET /zones`, the schema `Zone`); when the cause
    /// lies inside the node met first, the warning's pointer already shows it and it is `it`.
    pub fn report(&mut self, cause: Diagnostic, what: &str, at: &str, diags: &mut Diagnostics) {
        let inside = cause.pointer.as_deref().is_some_and(|p| within(p, at));
        let what = (what.to_owned(), inside);
        let key = (cause.pointer.clone(), cause.message.clone());
        if let Some(known) = self.causes.get_mut(&key) {
            if !known.what.contains(&what) {
                known.what.push(what);
            }
            let hint = hint(known.hint.as_deref(), &known.what);
            if let Some(d) = diags.get_mut(known.index) {
                d.hint = Some(hint);
            }
            return;
        }
        let own_hint = cause.hint.clone();
        let what = vec![what];
        let index = diags.record(Diagnostic {
            severity: Severity::Warning,
            hint: Some(hint(own_hint.as_deref(), &what)),
            ..cause
        });
        let known = Cause {
            index,
            hint: own_hint,
            what,
        };
        self.causes.insert(key, known);
    }
}

/// Whether `pointer` is `root` or a node inside it.
fn within(pointer: &str, root: &str) -> bool {
    pointer
        .strip_prefix(root)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The cause's advice, then what stays out until it is followed.
fn hint(own: Option<&str>, what: &[(String, bool)]) -> String {
    let what: Vec<String> = what
        .iter()
        .enumerate()
        .map(|(i, (name, inside))| match (i, inside) {
            (0, true) => "it".to_owned(),
            _ => name.clone(),
        })
        .collect();
    let consequence = consequence(&what);
    match own {
        Some(h) => format!("{h}; until then {consequence}"),
        None => format!("{consequence}; fix the node to generate it"),
    }
}

/// `it is left out of the crate`, `GET /a and the schema `A` are left out of the crate`,
/// `it is left out of the crate, and so are GET /a and GET /b`.
fn consequence(what: &[String]) -> String {
    match what {
        [] => "nothing is left out".to_owned(),
        [one] => format!("{one} is left out of the crate"),
        [first, rest @ ..] if first == "it" => {
            format!(
                "it is left out of the crate, and so {} {}",
                verb(rest),
                list(rest)
            )
        }
        all => format!("{} are left out of the crate", list(all)),
    }
}

fn verb(what: &[String]) -> &'static str {
    if what.len() == 1 {
        "is"
    } else {
        "are"
    }
}

/// `a`, `a and b`, `a, b and c`.
fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cause(pointer: &str) -> Diagnostic {
        Diagnostic::at(pointer, "broken").hint("fix it")
    }

    #[test]
    fn one_cause_is_one_warning_naming_everything_it_left_out() {
        let mut left_out = LeftOut::default();
        let mut diags = Diagnostics::new();
        let schema = "#/components/schemas/A";
        left_out.report(cause(schema), "GET /a", "#/paths/~1a/get", &mut diags);
        left_out.report(cause(schema), "GET /b", "#/paths/~1b/get", &mut diags);
        left_out.report(cause(schema), "GET /b", "#/paths/~1b/get", &mut diags);
        left_out.report(cause(schema), "the schema `A`", schema, &mut diags);
        assert_eq!(diags.len(), 1, "{diags}");
        let d = &diags.items()[0];
        assert_eq!(d.severity, Severity::Warning);
        assert_eq!(d.pointer.as_deref(), Some(schema));
        assert_eq!(
            d.hint.as_deref(),
            Some("fix it; until then GET /a, GET /b and the schema `A` are left out of the crate")
        );
    }

    #[test]
    fn a_cause_inside_the_node_calls_it_it() {
        let mut left_out = LeftOut::default();
        let mut diags = Diagnostics::new();
        let op = "#/paths/~1a/get";
        left_out.report(cause(op), "GET /a", op, &mut diags);
        left_out.report(cause("#/paths/~1ab/get"), "GET /ab", op, &mut diags);
        left_out.report(cause(op), "GET /c", "#/paths/~1c/get", &mut diags);
        assert_eq!(diags.len(), 2, "{diags}");
        assert_eq!(
            diags.items()[0].hint.as_deref(),
            Some("fix it; until then it is left out of the crate, and so is GET /c")
        );
        assert_eq!(
            diags.items()[1].hint.as_deref(),
            Some("fix it; until then GET /ab is left out of the crate")
        );
    }
}
