//! [`FieldPath`]: where a value sits in the parameters or in a response, for the errors of
//! validation and decoding.

use std::fmt;

/// Where a value sits inside the parameters or a response. Built on the stack while validating
/// or decoding and rendered (`rules[2].id`) only when a check fails, so a passing run allocates
/// nothing.
#[derive(Clone, Copy)]
pub enum FieldPath<'a> {
    /// The parameters themselves.
    Root,
    /// A named field of the parent.
    Field(&'a FieldPath<'a>, &'a str),
    /// An item of an array.
    Index(&'a FieldPath<'a>, usize),
    /// An entry of a map.
    Key(&'a FieldPath<'a>, &'a str),
}

impl<'a> FieldPath<'a> {
    /// The path of the field `name` below this one.
    pub fn field(&'a self, name: &'a str) -> FieldPath<'a> {
        FieldPath::Field(self, name)
    }

    /// The path of item `index` below this one.
    pub fn index(&'a self, index: usize) -> FieldPath<'a> {
        FieldPath::Index(self, index)
    }

    /// The path of map entry `key` below this one.
    pub fn key(&'a self, key: &'a str) -> FieldPath<'a> {
        FieldPath::Key(self, key)
    }
}

impl fmt::Display for FieldPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldPath::Root => f.write_str("."),
            FieldPath::Field(FieldPath::Root, name) => f.write_str(name),
            FieldPath::Field(parent, name) => write!(f, "{parent}.{name}"),
            FieldPath::Index(FieldPath::Root, i) => write!(f, "[{i}]"),
            FieldPath::Key(FieldPath::Root, key) => write!(f, "[{key:?}]"),
            FieldPath::Index(parent, i) => write!(f, "{parent}[{i}]"),
            FieldPath::Key(parent, key) => write!(f, "{parent}[{key:?}]"),
        }
    }
}
