//! The HTTP methods a path item can hold, in the order OpenAPI lists them.

use openapiv3::{Operation, PathItem};
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

    /// The operation a typed path item holds under this method, if any.
    pub fn operation_of(self, item: &PathItem) -> Option<&Operation> {
        match self {
            HttpMethod::Get => item.get.as_ref(),
            HttpMethod::Put => item.put.as_ref(),
            HttpMethod::Post => item.post.as_ref(),
            HttpMethod::Delete => item.delete.as_ref(),
            HttpMethod::Options => item.options.as_ref(),
            HttpMethod::Head => item.head.as_ref(),
            HttpMethod::Patch => item.patch.as_ref(),
            HttpMethod::Trace => item.trace.as_ref(),
        }
    }
}

/// The operations of a typed path item with their methods, in the order a path item lists them.
pub fn operations(item: &PathItem) -> impl Iterator<Item = (HttpMethod, &Operation)> {
    HttpMethod::ALL
        .into_iter()
        .filter_map(|method| method.operation_of(item).map(|op| (method, op)))
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

    #[test]
    fn a_path_items_operations_come_in_the_order_it_lists_them() {
        let item: PathItem = serde_json::from_value(serde_json::json!({
            "trace": {"operationId": "t", "responses": {}},
            "get": {"operationId": "g", "responses": {}},
            "patch": {"operationId": "p", "responses": {}},
        }))
        .expect("a path item");
        let found: Vec<(HttpMethod, Option<&str>)> = operations(&item)
            .map(|(m, op)| (m, op.operation_id.as_deref()))
            .collect();
        assert_eq!(
            found,
            [
                (HttpMethod::Get, Some("g")),
                (HttpMethod::Patch, Some("p")),
                (HttpMethod::Trace, Some("t")),
            ]
        );
        let typed: Vec<&str> = item.iter().map(|(key, _)| key).collect();
        let ours: Vec<&str> = operations(&item).map(|(m, _)| m.as_str()).collect();
        assert_eq!(ours, typed, "the same order as openapiv3's own");
    }
}
