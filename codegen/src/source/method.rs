//! The HTTP methods a path item can hold, in the order OpenAPI lists them.

use std::fmt;

/// An HTTP method of an OpenAPI operation: a key of a path item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HttpMethod {
    /// `get`
    Get,
    /// `put`
    Put,
    /// `post`
    Post,
    /// `delete`
    Delete,
    /// `options`
    Options,
    /// `head`
    Head,
    /// `patch`
    Patch,
    /// `trace`
    Trace,
}

impl HttpMethod {
    /// Every method, in the order a path item lists them (the OpenAPI specification's).
    pub const ALL: [HttpMethod; 8] = [
        HttpMethod::Get,
        HttpMethod::Put,
        HttpMethod::Post,
        HttpMethod::Delete,
        HttpMethod::Options,
        HttpMethod::Head,
        HttpMethod::Patch,
        HttpMethod::Trace,
    ];

    /// The path item key (`get`).
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "get",
            HttpMethod::Put => "put",
            HttpMethod::Post => "post",
            HttpMethod::Delete => "delete",
            HttpMethod::Options => "options",
            HttpMethod::Head => "head",
            HttpMethod::Patch => "patch",
            HttpMethod::Trace => "trace",
        }
    }

    /// The method as HTTP writes it (`GET`).
    pub fn as_upper(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }

    /// The method a path item key names; `None` for the keys that are not operations
    /// (`parameters`, `summary`, `$ref`, ...). Keys are case-sensitive, as in OpenAPI.
    pub fn from_key(key: &str) -> Option<HttpMethod> {
        HttpMethod::ALL.into_iter().find(|m| m.as_str() == key)
    }
}

/// As HTTP writes it (`GET`).
impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_upper())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_spellings_agree() {
        for method in HttpMethod::ALL {
            assert_eq!(HttpMethod::from_key(method.as_str()), Some(method));
            assert_eq!(method.as_upper(), method.as_str().to_uppercase());
            assert_eq!(method.to_string(), method.as_upper());
        }
        assert_eq!(HttpMethod::from_key("parameters"), None);
        assert_eq!(
            HttpMethod::from_key("GET"),
            None,
            "path item keys are lowercase"
        );
    }
}
