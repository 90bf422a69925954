//! Macros the generated types are written with, so that each type costs a few lines of
//! generated code instead of a page (less to read, less to compile). Their functions are
//! `#[inline]`, like the other conversions and the operation methods, so that their machine code
//! is generated in the crate that calls them (the generator's `emit/resources.rs` says why).
// Which macros a crate uses depends on its spec.
#![allow(unused_macros)]

/// `expr?` for a `Result` whose error type is already the function's: no `From` conversion and
/// no `Try` trait to resolve. The generated types use it for every step that can fail, since
/// `?` costs the compiler a trait resolution per use and a monomorphized `Try::branch` per
/// type (serde_json has the same macro for the same reason).
macro_rules! tri {
    ($result:expr) => {
        match $result {
            Ok(value) => value,
            Err(error) => return Err(error),
        }
    };
}

/// A string enum that keeps values it does not know (in the `$other` variant) instead of
/// failing to decode them, and refuses to send them (its `Validate` rejects `$other`).
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $other:ident, [$($(#[$vmeta:meta])* $variant:ident = $wire:literal),* $(,)?]
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value this version of the crate does not know.
            $other(String),
        }

        impl $name {
            /// The value as sent over the wire.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::$other(value) => value,
                }
            }
        }

        impl std::fmt::Display for $name {
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            #[inline]
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::$other(other.to_owned()),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
            }
        }

        impl crate::json::ToJson for $name {
            #[inline]
            fn write_json(&self, out: &mut crate::json::Writer) {
                out.str(self.as_str());
            }
        }

        impl crate::json::Visitor for Option<$name> {
            #[inline]
            fn visit(
                &mut self,
                event: crate::json::Event<'_>,
                at: &crate::path::FieldPath<'_>,
            ) -> crate::json::Result<()> {
                match event {
                    crate::json::Event::Str(s) => {
                        *self = Some($name::from(s));
                        Ok(())
                    }
                    other => Err(crate::json::invalid(at, "a string", &other)),
                }
            }
        }

        impl crate::params::ParamValue for $name {
            #[inline]
            fn write_param(&self, out: &mut String) {
                out.push_str(self.as_str());
            }
        }

        impl crate::validate::Validate for $name {
            #[inline]
            fn validate_at(
                &self,
                path: &crate::path::FieldPath<'_>,
            ) -> Result<(), crate::error::ValidationError> {
                match self {
                    Self::$other(value) => crate::validate::known_variant(path, value, &[$($wire),*]),
                    _ => Ok(()),
                }
            }
        }
    };
}

/// `serde::Serialize` or `serde::Deserialize` for a generated type, through its `ToJson` or
/// `Visitor` (`runtime/json.rs`): a few lines, compiled only for the formats a caller uses.
macro_rules! serde_via_json {
    (Serialize $name:ident) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                crate::json::serialize(self, serializer)
            }
        }
    };
    (Deserialize $name:ident) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::json::deserialize(deserializer)
            }
        }
    };
}

/// `Validate` for a type whose fields carry no constraints and no nested types.
macro_rules! always_valid {
    ($($name:ident),* $(,)?) => {$(
        impl crate::validate::Validate for $name {
            #[inline]
            fn validate_at(
                &self,
                _: &crate::path::FieldPath<'_>,
            ) -> Result<(), crate::error::ValidationError> {
                Ok(())
            }
        }
    )*};
}

/// A resource of the API: a handle on a client, `Copy`, for either client (`C` is
/// [`Client`](crate::Client) unless said otherwise). Its methods are written beside it.
macro_rules! resource {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        ///
        #[doc = concat!(
            "`", stringify!($name), "<'_>` is reached from [`Client`](crate::Client), `",
            stringify!($name), "<'_, AsyncClient>` from [`AsyncClient`](crate::AsyncClient), \
            with the same methods, returning futures there."
        )]
        pub struct $name<'a, C = crate::Client> {
            client: &'a C,
        }

        // Written out rather than derived: a derive would ask `C: Clone` and `C: Copy`.
        impl<C> Clone for $name<'_, C> {
            #[inline]
            fn clone(&self) -> Self {
                *self
            }
        }

        impl<C> Copy for $name<'_, C> {}

        impl<C: std::fmt::Debug> std::fmt::Debug for $name<'_, C> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("client", self.client)
                    .finish()
            }
        }
    };
}
