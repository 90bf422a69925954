//! Credentials: what the builder was given for each security scheme of the API description
//! (the table in `auth.rs`), which of them a request carries, and where.
//!
//! Each operation lists the alternatives it accepts (`security` in the description). A request
//! carries the first alternative whose schemes are all configured, and nothing else, so a stray
//! credential never switches schemes. Values are sent as sensitive headers (or query pairs or
//! cookies, as the scheme says) and never appear in `Debug` output or errors.

use crate::error::Error;
use crate::request::Request;
use reqwest::header::{HeaderName, HeaderValue};
use std::fmt;

/// Where a scheme's credential goes.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// A header with this (lowercase) name.
    Header(&'static str),
    /// A query parameter with this name.
    Query(&'static str),
    /// A cookie with this name.
    Cookie(&'static str),
}

/// A security scheme of the API description.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Scheme {
    /// The builder method that sets it.
    pub method: &'static str,
    /// Where it goes.
    pub placement: Placement,
    /// The environment variables [`crate::Client::from_env`] reads for it (user and password
    /// for basic schemes).
    pub env: &'static [&'static str],
}

/// One configured credential.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    /// A token or key.
    Secret(String),
    /// A user and password (HTTP basic).
    Basic {
        /// The user.
        user: String,
        /// The password.
        password: String,
    },
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::Secret(_) => f.write_str("Secret(<redacted>)"),
            Credential::Basic { user, .. } => f
                .debug_struct("Basic")
                .field("user", user)
                .field("password", &"<redacted>")
                .finish(),
        }
    }
}

/// The credentials a client was given, one slot per scheme of the API description. `Debug`
/// names the schemes that are set, never their values.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    slots: Vec<Option<Credential>>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (i, slot) in self.slots.iter().enumerate() {
            if let (Some(c), Some(scheme)) = (slot, crate::auth::SCHEMES.get(i)) {
                map.entry(&scheme.method, c);
            }
        }
        map.finish()
    }
}

impl Credentials {
    /// Sets the credential of scheme `index` of `crate::auth::SCHEMES`.
    pub(crate) fn set(&mut self, index: usize, credential: Credential) {
        if self.slots.len() <= index {
            self.slots.resize(index + 1, None);
        }
        self.slots[index] = Some(credential);
    }

    fn get(&self, index: usize) -> Option<&Credential> {
        self.slots.get(index).and_then(Option::as_ref)
    }

    /// The builder methods of the schemes that are set.
    pub fn configured(&self) -> Vec<&'static str> {
        crate::auth::SCHEMES
            .iter()
            .enumerate()
            .filter(|(i, _)| self.get(*i).is_some())
            .map(|(_, s)| s.method)
            .collect()
    }

    fn is_empty(&self) -> bool {
        self.slots.iter().all(Option::is_none)
    }

    fn complete(&self, alternative: &[usize]) -> bool {
        alternative.iter().all(|&i| self.get(i).is_some())
    }

    /// Unless credentials were given to the builder, takes the first alternative (in
    /// `crate::auth::ALTERNATIVES` order) whose variables are all set.
    pub(crate) fn fill_from(&mut self, lookup: &impl Fn(&str) -> Option<String>) {
        if !self.is_empty() {
            return;
        }
        for alternative in crate::auth::ALTERNATIVES {
            let values: Option<Vec<(usize, Credential)>> = alternative
                .iter()
                .map(|&i| from_env(i, lookup).map(|c| (i, c)))
                .collect();
            if let Some(values) = values.filter(|v| !v.is_empty()) {
                for (i, c) in values {
                    self.set(i, c);
                }
                return;
            }
        }
    }

    /// Forms every credential as it will be sent, and checks them: fails when one cannot be
    /// sent (control characters in a header value), when one was given whose alternative is
    /// incomplete, or when none was given and every operation needs one.
    pub(crate) fn prepare(self) -> Result<Prepared, Error> {
        // A value that cannot be sent fails now, not at the first call.
        let mut ready = Vec::with_capacity(self.slots.len());
        for (i, slot) in self.slots.iter().enumerate() {
            ready.push(match (slot, crate::auth::SCHEMES.get(i)) {
                (Some(credential), Some(scheme)) => Some(Ready::new(scheme, credential)?),
                _ => None,
            });
        }
        self.check()?;
        Ok(Prepared {
            credentials: self,
            ready,
        })
    }

    fn check(&self) -> Result<(), Error> {
        if self.is_empty() {
            if crate::auth::REQUIRED {
                return Err(Error::Config(format!(
                    "no credentials: {}",
                    how_to_configure()
                )));
            }
            return Ok(());
        }
        let alternatives = crate::auth::ALTERNATIVES;
        if alternatives
            .iter()
            .any(|a| !a.is_empty() && self.complete(a))
        {
            return Ok(());
        }
        let partial = alternatives
            .iter()
            .find(|a| a.iter().any(|&i| self.get(i).is_some()));
        let Some(partial) = partial else {
            return Ok(());
        };
        let given: Vec<String> = partial
            .iter()
            .filter(|&&i| self.get(i).is_some())
            .map(|&i| format!(".{}(..)", crate::auth::SCHEMES[i].method))
            .collect();
        let missing: Vec<String> = partial
            .iter()
            .filter(|&&i| self.get(i).is_none())
            .map(|&i| {
                let s = &crate::auth::SCHEMES[i];
                format!(".{}(..) or set {}", s.method, s.env.join(" and "))
            })
            .collect();
        Err(Error::Config(format!(
            "{} was given without the rest of its scheme: call {} (or configure another: {})",
            given.join(" and "),
            missing.join(", and "),
            how_to_configure()
        )))
    }
}

/// The credentials of a built client, each formed once as it is sent: a request's header
/// credentials are clones of these values (a reference count, no copy). `Debug` is that of
/// [`Credentials`]: the schemes that are set, never their values.
#[derive(Clone)]
pub(crate) struct Prepared {
    credentials: Credentials,
    /// By scheme index, like `Credentials::slots`.
    ready: Vec<Option<Ready>>,
}

impl fmt::Debug for Prepared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.credentials.fmt(f)
    }
}

/// The security alternative a request carries (indices into `crate::auth::SCHEMES`), chosen by
/// [`Prepared::apply`]; empty when it carries no credentials.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Chosen(&'static [usize]);

impl Prepared {
    /// Chooses the credentials of `request`: the first alternative of `request.security` whose
    /// schemes are all configured. Query and cookie credentials go into the request now;
    /// header credentials are added to each attempt ([`Prepared::headers`]), after the header
    /// parameters, which they override.
    pub(crate) fn apply(&self, request: &mut Request) -> Result<Chosen, Error> {
        let security = request.security;
        if security.is_empty() {
            return Ok(Chosen(&[]));
        }
        let chosen = security
            .iter()
            .find(|a| !a.is_empty() && self.credentials.complete(a));
        let Some(alternative) = chosen else {
            if security.iter().any(|a| a.is_empty()) {
                return Ok(Chosen(&[]));
            }
            return Err(Error::Config(format!(
                "{} {} was not sent: it needs credentials the client does not have: {}",
                request.method,
                request.path,
                describe(security)
            )));
        };
        for ready in self.of(Chosen(alternative)) {
            ready.place(request)?;
        }
        Ok(Chosen(alternative))
    }

    /// The header credentials of `chosen`, to add to each attempt.
    pub(crate) fn headers(
        &self,
        chosen: Chosen,
    ) -> impl Iterator<Item = (&HeaderName, &HeaderValue)> + '_ {
        self.of(chosen).filter_map(|ready| match ready {
            Ready::Header(name, value) => Some((name, value)),
            Ready::Query(..) | Ready::Cookie(..) => None,
        })
    }

    fn of(&self, chosen: Chosen) -> impl Iterator<Item = &Ready> + '_ {
        chosen
            .0
            .iter()
            .filter_map(|&i| self.ready.get(i).and_then(Option::as_ref))
    }
}

/// A credential as it is sent.
#[derive(Clone)]
enum Ready {
    /// A header (`Authorization` for bearer and basic schemes), its value marked sensitive.
    Header(HeaderName, HeaderValue),
    /// A query pair: its name, and the value still to encode.
    Query(&'static str, String),
    /// A cookie: its name, and the value still to encode.
    Cookie(&'static str, String),
}

impl Ready {
    /// `credential` formed as `scheme` sends it; fails when it cannot be sent.
    fn new(scheme: &Scheme, credential: &Credential) -> Result<Ready, Error> {
        let secret = |value: &str| -> Result<HeaderValue, Error> {
            sensitive(value).ok_or_else(|| {
                Error::Config(format!(
                    "the credential given to .{}(..) contains characters that cannot be sent in a header",
                    scheme.method
                ))
            })
        };
        let text = match credential {
            Credential::Secret(s) => s.clone(),
            Credential::Basic { user, password } => format!("{user}:{password}"),
        };
        Ok(match scheme.placement {
            Placement::Bearer => Ready::Header(
                reqwest::header::AUTHORIZATION,
                secret(&format!("Bearer {text}"))?,
            ),
            Placement::Basic => {
                use base64::Engine as _;
                let encoded = base64::engine::general_purpose::STANDARD.encode(text);
                Ready::Header(
                    reqwest::header::AUTHORIZATION,
                    secret(&format!("Basic {encoded}"))?,
                )
            }
            Placement::Header(name) => Ready::Header(HeaderName::from_static(name), secret(&text)?),
            Placement::Query(name) => Ready::Query(name, text),
            Placement::Cookie(name) => {
                // Checked as the cookie header it becomes.
                let mut cookie = String::new();
                crate::params::push_cookie(&mut cookie, name, text.as_str());
                secret(&cookie)?;
                Ready::Cookie(name, text)
            }
        })
    }

    /// Puts a query or cookie credential into `request` (header credentials go into each
    /// attempt instead). A cookie joins the cookie header parameters.
    fn place(&self, request: &mut Request) -> Result<(), Error> {
        match self {
            Ready::Header(..) => {}
            Ready::Query(name, text) => request.query.push(name, text.as_str()),
            Ready::Cookie(name, text) => {
                let mut cookies = request
                    .headers
                    .get(reqwest::header::COOKIE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                crate::params::push_cookie(&mut cookies, name, text.as_str());
                let value = sensitive(&cookies).ok_or_else(|| {
                    Error::Config(format!(
                        "{} {} was not sent: its cookies cannot be sent in a header",
                        request.method, request.path
                    ))
                })?;
                request.headers.insert(reqwest::header::COOKIE, value);
            }
        }
        Ok(())
    }
}

/// The credential of scheme `index` from the environment, if all its variables are set.
fn from_env(index: usize, lookup: &impl Fn(&str) -> Option<String>) -> Option<Credential> {
    let scheme = crate::auth::SCHEMES.get(index)?;
    match (scheme.placement, scheme.env) {
        (Placement::Basic, [user, password]) => Some(Credential::Basic {
            user: lookup(user)?,
            password: lookup(password)?,
        }),
        (_, [name]) => lookup(name).map(Credential::Secret),
        _ => None,
    }
}

/// `value` as a header value marked sensitive (kept out of `Debug` output); `None` when it has
/// characters a header cannot carry.
fn sensitive(value: &str) -> Option<HeaderValue> {
    let mut header = HeaderValue::from_str(value).ok()?;
    header.set_sensitive(true);
    Some(header)
}

/// The alternatives in words: `.api_token(..), or .api_email(..) with .api_key(..)`.
fn describe(alternatives: &[&[usize]]) -> String {
    let words: Vec<String> = alternatives
        .iter()
        .filter(|a| !a.is_empty())
        .map(|a| {
            let methods: Vec<String> = a
                .iter()
                .filter_map(|&i| crate::auth::SCHEMES.get(i))
                .map(|s| format!(".{}(..)", s.method))
                .collect();
            methods.join(" with ")
        })
        .collect();
    words.join(", or ")
}

/// What to call or set to configure credentials, for error messages.
fn how_to_configure() -> String {
    let env: Vec<String> = crate::auth::ALTERNATIVES
        .iter()
        .filter(|a| !a.is_empty())
        .map(|a| {
            let vars: Vec<&str> = a
                .iter()
                .filter_map(|&i| crate::auth::SCHEMES.get(i))
                .flat_map(|s| s.env.iter().copied())
                .collect();
            vars.join(" with ")
        })
        .collect();
    format!(
        "call {}; Client::from_env() reads {}",
        describe(crate::auth::ALTERNATIVES),
        env.join(", or ")
    )
}
