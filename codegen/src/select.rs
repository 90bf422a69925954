//! Selection: which operations of the description a crate contains (`--include`, `--exclude`).
//!
//! A pattern matches an operation when it
//! - equals one of its tags (`DNS Records for a Zone`);
//! - equals its SDK group or a prefix of it on dotted segments (`zero_trust.access` matches
//!   `zero_trust.access.keys`, not `zero_trust.accessories`);
//! - glob-matches its `operationId` (`access-key-configuration-*`);
//! - glob-matches its path (`/accounts/*/access/**`).
//!
//! In globs `*` matches within one `/`-separated segment, `?` one character of a segment, and a
//! `**` segment any number of segments, none included (`/a/**` matches `/a`, `/a/b`, `/a/b/c`).
//! Includes apply first (none means every operation), then excludes. Every pattern must match
//! something, so a typo fails the run instead of silently selecting less.

use crate::diagnostic::{Diagnostic, Diagnostics};

/// The `--include` and `--exclude` patterns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Operations to keep; empty keeps every operation.
    pub include: Vec<String>,
    /// Operations to leave out of what the includes kept.
    pub exclude: Vec<String>,
}

/// What a pattern is matched against: the parts of one operation.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    /// Its tags.
    pub tags: &'a [String],
    /// Its SDK group, dotted (`zero_trust.access.keys`), when it has one.
    pub group: Option<&'a str>,
    /// Its `operationId`.
    pub operation_id: Option<&'a str>,
    /// Its path template (`/accounts/{account_id}/access/keys`).
    pub path: &'a str,
}

impl Selection {
    /// Whether there is a selection at all (anything given).
    pub fn is_active(&self) -> bool {
        !self.include.is_empty() || !self.exclude.is_empty()
    }

    /// Which of `candidates` are selected, in order, or one error per pattern that matches
    /// nothing (an include that matches no operation, an exclude that matches no included
    /// one) and one when the patterns leave nothing.
    pub fn apply(&self, candidates: &[Candidate<'_>]) -> Result<Vec<bool>, Diagnostics> {
        let mut errors = Diagnostics::new();
        let mut keep: Vec<bool> = if self.include.is_empty() {
            vec![true; candidates.len()]
        } else {
            vec![false; candidates.len()]
        };
        for pattern in &self.include {
            let mut hit = false;
            for (k, c) in keep.iter_mut().zip(candidates) {
                if matches(pattern, c) {
                    *k = true;
                    hit = true;
                }
            }
            if !hit {
                errors.push(nothing_matched("--include", pattern));
            }
        }
        for pattern in &self.exclude {
            let mut hit = false;
            for (k, c) in keep.iter_mut().zip(candidates) {
                if *k && matches(pattern, c) {
                    *k = false;
                    hit = true;
                }
            }
            if !hit {
                errors.push(nothing_matched("--exclude", pattern));
            }
        }
        // A document without operations (only `components`) selects nothing without being
        // asked to: that is a types-only crate, not an empty selection.
        if self.is_active() && !errors.has_errors() && !keep.contains(&true) {
            errors.push(
                Diagnostic::at("#/paths", "the selection leaves no operation")
                    .hint("the excludes remove everything the includes keep; narrow an --exclude"),
            );
        }
        if errors.has_errors() {
            Err(errors)
        } else {
            Ok(keep)
        }
    }

    /// The selection as command-line arguments, quoted for a POSIX shell.
    pub fn to_args(&self) -> String {
        let flags = self.include.iter().map(|p| ("--include", p));
        let flags = flags.chain(self.exclude.iter().map(|p| ("--exclude", p)));
        flags
            .map(|(flag, p)| format!(" {flag} {}", shell_quote(p)))
            .collect()
    }
}

fn nothing_matched(flag: &str, pattern: &str) -> Diagnostic {
    let what = if flag == "--include" {
        "no operation"
    } else {
        "no operation the includes kept"
    };
    Diagnostic::at("#/paths", format!("{flag} {pattern:?} matches {what}")).hint(
        "a pattern is a tag (exact), an SDK group or its dotted prefix (`zero_trust.access`), \
         an operationId glob (`access-key-*`) or a path glob (`/accounts/*/access/**`)",
    )
}

/// `value` as one word for a POSIX shell: as is when it is plain, else in single quotes.
fn shell_quote(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@".contains(c));
    if plain {
        value.to_owned()
    } else {
        format!("'{}'", value.replace('\'', r"'\''"))
    }
}

/// Whether `pattern` selects the operation `c` (see the module docs).
pub fn matches(pattern: &str, c: &Candidate<'_>) -> bool {
    c.tags.iter().any(|t| t == pattern)
        || c.group.is_some_and(|g| group_prefix(pattern, g))
        || c.operation_id.is_some_and(|id| glob(pattern, id))
        || glob(pattern, c.path)
}

/// Whether `pattern` is `group` or a prefix of it that ends at a `.`.
fn group_prefix(pattern: &str, group: &str) -> bool {
    !pattern.is_empty()
        && group
            .strip_prefix(pattern)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// Whether `text` matches the glob `pattern`: segments split on `/`, a `**` segment matching
/// any number of segments, `*` and `?` within one segment.
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<&str> = pattern.split('/').collect();
    let t: Vec<&str> = text.split('/').collect();
    segments_match(&p, &t)
}

fn segments_match(p: &[&str], t: &[&str]) -> bool {
    match p.split_first() {
        None => t.is_empty(),
        Some((&"**", rest)) => (0..=t.len()).any(|skip| segments_match(rest, &t[skip..])),
        Some((first, rest)) => t
            .split_first()
            .is_some_and(|(seg, t_rest)| segment_match(first, seg) && segments_match(rest, t_rest)),
    }
}

/// `*` (any run, `**` inside a segment too) and `?` within one segment; everything else
/// literal.
fn segment_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Classic wildcard matching with one backtrack point: linear in practice.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || (p[pi] != '*' && p[pi] == t[ti])) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys_op() -> (Vec<String>, &'static str, &'static str, &'static str) {
        (
            vec!["Access key configuration".to_owned()],
            "zero_trust.access.keys",
            "access-key-configuration-update-the-access-key-configuration",
            "/accounts/{account_id}/access/keys",
        )
    }

    fn candidate<'a>(
        tags: &'a [String],
        group: &'a str,
        id: &'a str,
        path: &'a str,
    ) -> Candidate<'a> {
        Candidate {
            tags,
            group: Some(group),
            operation_id: Some(id),
            path,
        }
    }

    #[test]
    fn each_kind_of_pattern_matches() {
        let (tags, group, id, path) = keys_op();
        let c = candidate(&tags, group, id, path);
        for yes in [
            "Access key configuration",
            "zero_trust",
            "zero_trust.access",
            "zero_trust.access.keys",
            "access-key-configuration-*",
            "*-update-*",
            "/accounts/*/access/**",
            "/accounts/*/access/keys",
            "/**/keys",
            "/accounts/{account_id}/access/keys",
        ] {
            assert!(matches(yes, &c), "{yes} should match");
        }
        for no in [
            "Access key",
            "zero_trust.acc",
            "zero_trust.access.keys.more",
            "access-key",
            "/accounts/*/keys",
            "/accounts/*",
            "/accounts/*/access/keys/**/x",
        ] {
            assert!(!matches(no, &c), "{no} should not match");
        }
    }

    #[test]
    fn star_stays_in_a_segment_and_double_star_crosses() {
        assert!(glob("/a/*", "/a/b"));
        assert!(!glob("/a/*", "/a/b/c"));
        assert!(glob("/a/**", "/a/b/c"));
        assert!(glob("/a/**", "/a"));
        assert!(glob("/a/**/c", "/a/c"));
        assert!(glob("/a/**/c", "/a/x/y/c"));
        assert!(glob("a?c", "abc"));
        assert!(!glob("a?c", "a/c"));
        assert!(glob("*b*b*", "abxbyb"));
    }

    #[test]
    fn includes_then_excludes_and_patterns_must_match() {
        let tags = vec!["T".to_owned()];
        let ops = [
            candidate(&tags, "dns.records", "dns-list", "/zones/{id}/dns"),
            candidate(
                &tags,
                "dns.settings",
                "dns-settings",
                "/zones/{id}/dns/settings",
            ),
            candidate(&tags, "zones", "zones-list", "/zones"),
        ];
        let selection = Selection {
            include: vec!["dns".into()],
            exclude: vec!["dns-settings".into()],
        };
        assert_eq!(selection.apply(&ops).ok(), Some(vec![true, false, false]));
        assert_eq!(
            Selection::default().apply(&ops).ok(),
            Some(vec![true, true, true])
        );
        let typo = Selection {
            include: vec!["dnss".into()],
            ..Selection::default()
        };
        let errors = typo.apply(&ops).expect_err("a typo fails");
        assert!(errors
            .to_string()
            .contains("--include \"dnss\" matches no operation"));
        let everything = Selection {
            exclude: vec!["T".into()],
            ..Selection::default()
        };
        let errors = everything.apply(&ops).expect_err("an empty crate fails");
        assert!(errors.to_string().contains("leaves no operation"));
        // A document without operations, and no selection: a types-only crate, no error.
        assert_eq!(Selection::default().apply(&[]).ok(), Some(Vec::new()));
    }

    #[test]
    fn args_are_quoted_for_the_shell() {
        let selection = Selection {
            include: vec!["DNS Records for a Zone".into(), "zones".into()],
            exclude: vec!["it's".into()],
        };
        assert_eq!(
            selection.to_args(),
            r#" --include 'DNS Records for a Zone' --include zones --exclude 'it'\''s'"#
        );
    }
}
