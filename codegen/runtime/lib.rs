//! The client runtime every generated crate carries, compiled on its own to run its unit tests
//! once and to keep it under `cargo fmt`, clippy and rustdoc. The generator copies each module
//! file here (but this one) into a generated crate, without its `#[cfg(test)] mod tests`.
//!
//! What a generated crate adds around the runtime, `auth.rs` (the spec's security schemes) and
//! `DEFAULT_BASE_URL`, is taken from the checked-in crate (`generated/`).
#![forbid(unsafe_code)]
#![allow(clippy::result_large_err)]
// Parts used only by generated types and operations, which this crate does not have.
#![allow(dead_code, unused_macros, unused_imports)]

#[macro_use]
mod macros;
#[rustfmt::skip]
#[path = "../../generated/src/auth.rs"]
pub mod auth;
mod call;
pub mod client;
pub mod credentials;
mod decode;
mod encode;
pub mod error;
#[cfg(test)]
mod example_check;
pub mod json;
mod json_std;
pub mod pages;
pub mod params;
pub mod path;
pub mod request;
pub mod response;
mod retry;
mod transport;
pub mod validate;

pub use client::{AsyncClient, Client, ClientBuilder};
pub use credentials::{Credential, Credentials};
pub use error::{
    ApiError, DecodeError, Error, ResponseInfo, ResponseInfoSource, ResponseTooLargeError,
    TransportError, ValidationError,
};
pub use pages::{AsyncPages, Pages};
pub use request::Part;
pub use response::ApiResponse;

/// The checked-in crate's default base URL.
pub const DEFAULT_BASE_URL: Option<&str> = Some("https://api.cloudflare.com/client/v4");
