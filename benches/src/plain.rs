//! The baseline: the same `PUT .../access/keys` request written by hand with a
//! `reqwest::blocking::Client` built once ([`PlainClient`]), or a `reqwest::Client` for the async
//! comparison ([`PlainAsyncClient`]), `serde_json` for the body and `serde` for the envelope.
//! It validates nothing and never retries.

use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use serde::{Deserialize, Serialize};

/// The request body.
#[derive(Debug, Serialize)]
pub struct UpdateBody {
    /// Days between key rotations.
    pub key_rotation_interval_days: f64,
}

/// The envelope around every answer.
#[derive(Debug, Deserialize)]
pub struct Envelope<T> {
    /// Whether the call succeeded.
    pub success: bool,
    /// Errors reported by the API.
    #[serde(default)]
    pub errors: Vec<Message>,
    /// Informational messages.
    #[serde(default)]
    pub messages: Vec<Message>,
    /// The payload.
    pub result: T,
}

/// One entry of `errors` or `messages`.
#[derive(Debug, Deserialize)]
pub struct Message {
    /// Numeric code.
    pub code: i64,
    /// Text.
    #[serde(default)]
    pub message: String,
    /// Explanation page.
    #[serde(default)]
    pub documentation_url: Option<String>,
    /// What part of the request it is about.
    #[serde(default)]
    pub source: Option<Source>,
}

/// The `source` of a [`Message`].
#[derive(Debug, Deserialize)]
pub struct Source {
    /// JSON pointer into the request.
    #[serde(default)]
    pub pointer: Option<String>,
}

/// The key configuration (`result`).
#[derive(Debug, Deserialize)]
pub struct KeyConfig {
    /// Days until the next rotation.
    #[serde(default)]
    pub days_until_next_rotation: Option<f64>,
    /// Days between rotations.
    #[serde(default)]
    pub key_rotation_interval_days: Option<f64>,
    /// When the keys were last rotated.
    #[serde(default)]
    pub last_key_rotation_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A hand-written client: one `reqwest::blocking::Client`, one prepared `Authorization` value.
#[derive(Debug, Clone)]
pub struct PlainClient {
    http: reqwest::blocking::Client,
    base_url: String,
    authorization: HeaderValue,
    /// The `Authorization` header is a default header of `http`.
    default_auth: bool,
}

impl PlainClient {
    /// A client for `base_url` (no trailing `/`) sending `Authorization: Bearer <token>`.
    pub fn new(base_url: &str, token: &str) -> PlainClient {
        let mut authorization =
            HeaderValue::from_str(&format!("Bearer {token}")).expect("a valid token");
        authorization.set_sensitive(true);
        PlainClient {
            http: reqwest::blocking::Client::new(),
            base_url: base_url.trim_end_matches('/').to_owned(),
            authorization,
            default_auth: false,
        }
    }

    /// Like [`PlainClient::new`], with the `reqwest` configuration the generated client uses
    /// (its `User-Agent`, `Accept: application/json`, the token as a default header, 60 s
    /// timeout, 5 s connect timeout, no redirects): separates what that configuration costs
    /// from what the generated code costs.
    pub fn configured_like_generated(base_url: &str, token: &str) -> PlainClient {
        let mut client = PlainClient::new(base_url, token);
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(AUTHORIZATION, client.authorization.clone());
        headers.insert(
            reqwest::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        client.http = reqwest::blocking::Client::builder()
            .user_agent(cloudflare_access_keys::client::USER_AGENT)
            .default_headers(headers)
            .timeout(std::time::Duration::from_secs(60))
            .connect_timeout(std::time::Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("the client builds");
        client.default_auth = true;
        client
    }

    /// `PUT {base}/accounts/{account_id}/access/keys` with `{"key_rotation_interval_days": ..}`.
    pub fn update(
        &self,
        account_id: &str,
        key_rotation_interval_days: f64,
    ) -> Result<KeyConfig, Box<dyn std::error::Error + Send + Sync>> {
        let url = format!("{}/accounts/{account_id}/access/keys", self.base_url);
        let body = serde_json::to_vec(&UpdateBody {
            key_rotation_interval_days,
        })?;
        let mut request = self.http.put(url);
        if !self.default_auth {
            request = request.header(AUTHORIZATION, self.authorization.clone());
        }
        let response = request
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(body)
            .send()?
            .error_for_status()?;
        let bytes = response.bytes()?;
        let envelope: Envelope<KeyConfig> = serde_json::from_slice(&bytes)?;
        if !envelope.success {
            return Err(format!("the API reported failure: {:?}", envelope.errors).into());
        }
        Ok(envelope.result)
    }
}

/// The async twin of [`PlainClient::new`]: one `reqwest::Client`, one prepared `Authorization`
/// value, the same body and envelope, awaited on the caller's runtime.
#[derive(Debug, Clone)]
pub struct PlainAsyncClient {
    http: reqwest::Client,
    base_url: String,
    authorization: HeaderValue,
}

impl PlainAsyncClient {
    /// A client for `base_url` (no trailing `/`) sending `Authorization: Bearer <token>`.
    pub fn new(base_url: &str, token: &str) -> PlainAsyncClient {
        let mut authorization =
            HeaderValue::from_str(&format!("Bearer {token}")).expect("a valid token");
        authorization.set_sensitive(true);
        PlainAsyncClient {
            http: reqwest::Client::new(),
            base_url: base_url.trim_end_matches('/').to_owned(),
            authorization,
        }
    }

    /// Like [`PlainAsyncClient::new`], on a `reqwest::Client` configured like the generated one
    /// (its `User-Agent`, `Accept: application/json`, 60 s timeout, 5 s connect timeout, no
    /// redirects): separates what that configuration costs from what the generated code costs.
    pub fn configured_like_generated(base_url: &str, token: &str) -> PlainAsyncClient {
        let mut client = PlainAsyncClient::new(base_url, token);
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        client.http = reqwest::Client::builder()
            .user_agent(cloudflare_access_keys::client::USER_AGENT)
            .default_headers(headers)
            .timeout(std::time::Duration::from_secs(60))
            .connect_timeout(std::time::Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("the client builds");
        client
    }

    /// `PUT {base}/accounts/{account_id}/access/keys` with `{"key_rotation_interval_days": ..}`.
    pub async fn update(
        &self,
        account_id: &str,
        key_rotation_interval_days: f64,
    ) -> Result<KeyConfig, Box<dyn std::error::Error + Send + Sync>> {
        let url = format!("{}/accounts/{account_id}/access/keys", self.base_url);
        let body = serde_json::to_vec(&UpdateBody {
            key_rotation_interval_days,
        })?;
        let response = self
            .http
            .put(url)
            .header(AUTHORIZATION, self.authorization.clone())
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(body)
            .send()
            .await?
            .error_for_status()?;
        let bytes = response.bytes().await?;
        let envelope: Envelope<KeyConfig> = serde_json::from_slice(&bytes)?;
        if !envelope.success {
            return Err(format!("the API reported failure: {:?}", envelope.errors).into());
        }
        Ok(envelope.result)
    }
}
