//! What every reader of a source document shares (the spec, an overlay, the 3.1 rewrite, the
//! repairs and the model): reading the text into a JSON value, JSON pointers, the one `$ref`
//! resolver, and the HTTP methods of a path item.
//!
//! - `read.rs`: file text -> JSON value ([`read_value`], [`is_json`]);
//! - `pointer.rs`: JSON pointers ([`escape`], [`unescape`], [`resolve_pointer`]);
//! - `refs.rs`: following a chain of `$ref`s to the node it ends at, catching cycles
//!   ([`follow`]);
//! - `table.rs`: every `$ref` of the typed document followed once and its target parsed once
//!   into its type ([`RefTable`]), for the model to look up;
//! - `method.rs`: [`HttpMethod`], the keys of a path item that are operations.
//!
//! It imports nothing from the stages that use it, so `load`, `overlay`, `openapi31`, `repair`
//! and `model` all depend on it and it on none of them.

mod method;
mod pointer;
mod read;
mod refs;
mod table;

pub use method::{operations, HttpMethod};
pub use pointer::{escape, resolve_pointer, unescape};
pub use read::{is_json, read_value};
pub use refs::{follow, follow_hops, ref_of, RefError, Target};
pub use table::{Chain, RefFailure, RefTable, RefTarget};
