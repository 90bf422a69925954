//! Generated types convert to and from JSON through the crate's `json` module (what the client
//! sends and reads), and serde users see the same thing through `Serialize` / `Deserialize`,
//! with the failing field named.

use cloudflare_access_keys::json;
use cloudflare_access_keys::path::FieldPath;
use cloudflare_access_keys::{AccessKeyConfig, AccessKeyUpdateBody, ResponseInfo};
use serde_json::json;

#[test]
fn serde_reads_a_received_type_like_the_client_does() {
    let value = json!({
        "days_until_next_rotation": 10,
        "key_rotation_interval_days": 30,
        "last_key_rotation_at": "2014-01-01T05:20:00.12345Z",
        "unknown": "ignored"
    });
    let via_serde: AccessKeyConfig = serde_json::from_value(value.clone()).unwrap();
    let via_json: AccessKeyConfig = json::from_value(&value, &FieldPath::Root).unwrap();
    assert_eq!(via_serde, via_json);
    assert_eq!(via_serde.key_rotation_interval_days, Some(30.0));
    assert_eq!(
        via_serde.last_key_rotation_at.map(|t| t.to_rfc3339()),
        Some("2014-01-01T05:20:00.123450+00:00".to_owned())
    );
    // Absent and `null` optional fields read as `None`.
    let empty: AccessKeyConfig =
        serde_json::from_str(r#"{"days_until_next_rotation": null}"#).unwrap();
    assert_eq!(empty, AccessKeyConfig::default());
}

#[test]
fn serde_errors_name_the_field() {
    let err = serde_json::from_str::<AccessKeyConfig>(r#"{"key_rotation_interval_days": "x"}"#)
        .unwrap_err();
    assert!(
        err.to_string().contains(
            r#"invalid type: string "x", expected an f64 at `key_rotation_interval_days`"#
        ),
        "{err}"
    );
    let root = FieldPath::Root;
    let items = FieldPath::Field(&root, "errors");
    let first = FieldPath::Index(&items, 0);
    let err = json::from_value::<ResponseInfo>(&json!({"message": "m"}), &first).unwrap_err();
    assert_eq!(err.path, "errors[0]");
    assert_eq!(err.message, "missing field `code`");
}

#[test]
fn serde_writes_a_sent_type_like_the_client_does() {
    let body = AccessKeyUpdateBody {
        key_rotation_interval_days: 30.0,
    };
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        json!({"key_rotation_interval_days": 30.0})
    );
    assert_eq!(
        serde_json::to_string(&body).unwrap(),
        String::from_utf8(json::to_vec(&body)).unwrap()
    );
}

/// A discriminator picks its variant by the property's value; variants it has no value for
/// are tried in order; anything else is kept, not failed.
#[test]
fn unions_pick_their_variant() {
    use fixture_unions::json::from_slice;
    use fixture_unions::{Detection, Shape};
    fn read<T: fixture_unions::json::FromJson>(value: serde_json::Value) -> Result<T, String> {
        from_slice(value.to_string().as_bytes()).map_err(|e| e.to_string())
    }
    let shape = read::<Shape>(json!({"kind": "circle", "radius": 2})).unwrap();
    assert!(
        matches!(shape, Shape::Circle(ref c) if c.radius == 2.0),
        "{shape:?}"
    );
    let unknown = json!({"kind": "hexagon"});
    let shape = read::<Shape>(unknown.clone()).unwrap();
    assert_eq!(shape, Shape::Other(unknown));
    // A known tag with the wrong shape is an error, not `Other`.
    assert!(read::<Shape>(json!({"kind": "circle"})).is_err());

    let first = read::<Detection>(json!({"type": "server_vad", "threshold": 0.5}));
    assert!(matches!(first, Ok(Detection::Variant0(_))), "{first:?}");
    let second = read::<Detection>(json!({"type": "semantic", "window": 3}));
    assert!(matches!(second, Ok(Detection::Variant1(_))), "{second:?}");
    let neither = read::<Detection>(json!({"type": "none"}));
    assert!(matches!(neither, Ok(Detection::Other(_))), "{neither:?}");
}

/// A request body goes over the wire with its properties in the order the description declares
/// them (`name`, `content`, `proxied`), not in name order, and without what is `None`.
#[test]
fn request_bodies_keep_the_declared_order() {
    let server = tests::TestServer::with_replies([tests::Reply::new(204)]);
    let client = fixture_bodies::Client::builder()
        .base_url(server.url())
        .max_retries(0)
        .build()
        .expect("client builds");
    // Only what was sent matters here; the empty answer may not decode as the result.
    let _ = client
        .records()
        .create(fixture_bodies::RecordsCreateParams {
            zone_id: "z".into(),
            name: "www".into(),
            content: Some("1.1.1.1".into()),
            proxied: Some(true),
        });
    let request = server.single_request();
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        std::str::from_utf8(&request.body).unwrap(),
        r#"{"name":"www","content":"1.1.1.1","proxied":true}"#
    );
}

/// With `serde-both-ways`, params are read and written by their Rust field names (a config
/// file can hold them), path parameters included, in declared order.
#[test]
fn params_read_and_write_by_their_field_names() {
    let text = r#"{"zone_id":"z","name":"www","content":null,"proxied":false}"#;
    let params: fixture_bodies::RecordsCreateParams = serde_json::from_str(text).unwrap();
    assert_eq!(params.zone_id, "z");
    assert_eq!(params.proxied, Some(false));
    assert_eq!(
        serde_json::to_string(&params).unwrap(),
        r#"{"zone_id":"z","name":"www","proxied":false}"#
    );
    let err = serde_json::from_str::<fixture_bodies::RecordsCreateParams>(r#"{"name":"www"}"#)
        .unwrap_err();
    assert!(err.to_string().contains("missing field `zone_id`"), "{err}");
}
