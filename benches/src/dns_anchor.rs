//! The speed anchor of the large-response bench: the DNS records list answer written by hand
//! with serde's derives, the same shape as the generated `fixture-dns-records` types (every
//! field with the same Rust type and optionality), decoded by `serde_json::from_slice` in one
//! pass over the bytes.
//!
//! The generated `DnsRecordsDnsRecord` picks its variant by the value of the record's `type`
//! property (each member declares it as a one-value enum) and only tries the members in order
//! when `type` is missing or unknown. serde's internally tagged enum (`#[serde(tag = "type")]`)
//! is the derive that selects by that property's value, so that is the anchor; an untagged enum
//! would try the variants in order on every record, which is the generated fallback, not its
//! normal path. Two differences from the generated types, neither reached by the bench's body
//! (which holds only the eight documented types): serde keeps `type` as the tag rather than in
//! a `type_` field, and it cannot keep an unknown record in an `Other(Value)` variant.

use serde::Deserialize;
use serde_json::Value;

/// When a record was created or modified.
pub type DateTime = chrono::DateTime<chrono::Utc>;

/// The list answer: the envelope and its records.
#[derive(Debug, Deserialize)]
pub struct ListResponse {
    /// Whether the call succeeded.
    #[serde(default = "default_true")]
    pub success: bool,
    /// The envelope's errors.
    #[serde(default)]
    pub errors: Vec<Message>,
    /// The envelope's messages.
    #[serde(default)]
    pub messages: Vec<Message>,
    /// The records.
    pub result: Vec<Record>,
    /// The paging details.
    #[serde(default)]
    pub result_info: Option<ResultInfo>,
}

fn default_true() -> bool {
    true
}

/// An entry of `errors` or `messages`.
#[derive(Debug, Deserialize)]
pub struct Message {
    /// The code.
    pub code: i64,
    /// The text.
    pub message: String,
}

/// The envelope's `result_info`.
#[derive(Debug, Deserialize)]
pub struct ResultInfo {
    /// Results in this page.
    pub count: Option<f64>,
    /// The page.
    pub page: Option<f64>,
    /// Results per page.
    pub per_page: Option<f64>,
    /// Results in all pages.
    pub total_count: Option<f64>,
}

/// A DNS record, of the type its `type` says.
#[derive(Debug, Deserialize)]
#[serde(tag = "type")]
pub enum Record {
    /// `"A"`.
    A(AddressRecord),
    /// `"AAAA"`.
    #[serde(rename = "AAAA")]
    Aaaa(AddressRecord),
    /// `"CAA"`.
    #[serde(rename = "CAA")]
    Caa(CaaRecord),
    /// `"CNAME"`.
    #[serde(rename = "CNAME")]
    Cname(CnameRecord),
    /// `"MX"`.
    #[serde(rename = "MX")]
    Mx(MxRecord),
    /// `"NS"`.
    #[serde(rename = "NS")]
    Ns(NsRecord),
    /// `"SRV"`.
    #[serde(rename = "SRV")]
    Srv(SrvRecord),
    /// `"TXT"`.
    #[serde(rename = "TXT")]
    Txt(TxtRecord),
}

impl Record {
    /// The record's type, as `type` says it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Record::A(_) => "A",
            Record::Aaaa(_) => "AAAA",
            Record::Caa(_) => "CAA",
            Record::Cname(_) => "CNAME",
            Record::Mx(_) => "MX",
            Record::Ns(_) => "NS",
            Record::Srv(_) => "SRV",
            Record::Txt(_) => "TXT",
        }
    }
}

/// A record type's struct: its own fields, then the properties every record type shares (the
/// fragment's `dns-records_base`), written out in each struct as the generated types have
/// them. (`#[serde(flatten)]` would buffer every record's properties before reading them, a
/// cost the generated types do not have.)
macro_rules! record {
    ($(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $field:ident: $ty:ty,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Deserialize)]
        pub struct $name {
            $($(#[$fdoc])* pub $field: $ty,)*
            /// A note about the record.
            pub comment: Option<String>,
            /// When the record was created.
            pub created_on: Option<DateTime>,
            /// The record's identifier.
            pub id: Option<String>,
            /// Where the record came from.
            pub meta: Option<Meta>,
            /// When the record was last modified.
            pub modified_on: Option<DateTime>,
            /// Whether the record can be proxied.
            pub proxiable: Option<bool>,
            /// `name:value` tags.
            pub tags: Option<Vec<String>>,
            /// Time to live, 1 for automatic.
            pub ttl: Option<Ttl>,
        }
    };
}

/// A record's `meta`.
#[derive(Debug, Deserialize)]
pub struct Meta {
    /// Whether Cloudflare added the record during setup.
    pub auto_added: Option<bool>,
    /// Where the record originated from.
    pub source: Option<String>,
}

/// A record's `ttl`: the generated type's two number members and catch-all, untagged as there.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Ttl {
    /// A number of seconds.
    Number(f64),
    /// `1`, automatic.
    Number2(f64),
    /// Anything else.
    Other(Value),
}

record! {
    /// An A or AAAA record (the same properties; `content` is an address).
    AddressRecord {
        /// The address.
        content: String,
        /// The record's name.
        name: String,
        /// Whether Cloudflare proxies it.
        proxied: Option<bool>,
    }
}

record! {
    /// A CNAME record: `content` has no type in the fragment.
    CnameRecord {
        /// The target host name.
        content: Value,
        /// The record's name.
        name: String,
        /// Whether Cloudflare proxies it.
        proxied: Option<bool>,
    }
}

record! {
    /// An NS record: `content` has no type in the fragment.
    NsRecord {
        /// The name server.
        content: Value,
        /// The record's name.
        name: String,
    }
}

record! {
    /// An MX record.
    MxRecord {
        /// The mail server.
        content: String,
        /// The record's name.
        name: String,
        /// Lower is preferred.
        priority: f64,
    }
}

record! {
    /// A TXT record.
    TxtRecord {
        /// The text.
        content: String,
        /// The record's name.
        name: String,
    }
}

record! {
    /// A CAA record.
    CaaRecord {
        /// The formatted content.
        content: Option<String>,
        /// Its parts.
        data: CaaData,
        /// The record's name.
        name: String,
    }
}

/// A CAA record's `data`.
#[derive(Debug, Deserialize)]
pub struct CaaData {
    /// Flags.
    pub flags: Option<f64>,
    /// The property (`issue`, `issuewild`, `iodef`).
    pub tag: Option<String>,
    /// Its value.
    pub value: Option<String>,
}

record! {
    /// An SRV record.
    SrvRecord {
        /// The formatted content.
        content: Option<String>,
        /// Its parts.
        data: SrvData,
        /// The record's name.
        name: String,
    }
}

/// An SRV record's `data`.
#[derive(Debug, Deserialize)]
pub struct SrvData {
    /// Deprecated: the rest of the name.
    pub name: Option<String>,
    /// The port.
    pub port: Option<f64>,
    /// Lower is preferred.
    pub priority: Option<f64>,
    /// Deprecated: the protocol label.
    pub proto: Option<String>,
    /// Deprecated: the service label.
    pub service: Option<String>,
    /// The target host.
    pub target: Option<String>,
    /// The weight.
    pub weight: Option<f64>,
}
