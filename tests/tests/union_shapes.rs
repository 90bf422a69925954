//! An `allOf` of an object and a `oneOf` whose member declares one of the object's properties
//! again (Cloudflare's worker deployments: `strategy` in the base and in the percentage
//! strategy). Decoding gives the property to both the named field and the flattened member;
//! encoding writes the member, then the named fields over it. And unions without a
//! discriminator whose members declare one property as a one-value enum (DNS records by
//! `type`, header operations by `operation`): the value picks the member, so no member takes
//! another's body with its enum's `Unknown`. Uses the `unions` fixture crate against a real
//! server.

// `Error` is the crate's public error type, returned as is.
#![allow(clippy::result_large_err)]

use fixture_unions::{
    ARecordType, AaaaType, Client, Deployment, DeploymentsCreateParams, DeploymentsListParams,
    DnsRecord, HeaderChangesValue, HeaderChangesValueVariant1, HeaderChangesValueVariant1Operation,
    HeadersUpdateParams, MxRecordType, RecordsListParams, StrategyPercentage,
    StrategyPercentageStrategy, StrategyPercentageVersionsItem,
};
use serde_json::json;
use tests::{assert_json_same, Reply, TestServer};

fn client(server: &TestServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .max_retries(0)
        .build()
        .expect("client builds")
}

/// A deployment as Cloudflare's list answers it (base properties and the strategy's).
fn deployment_body() -> serde_json::Value {
    json!({
        "id": "bcf48806-b317-4351-9ee7-36e7d557d4de",
        "strategy": "percentage",
        "versions": [{"version_id": "v1", "percentage": 100}],
        "source": "api"
    })
}

#[test]
fn a_property_both_parts_declare_decodes_into_both() {
    let server = TestServer::with_replies([Reply::json(200, &json!([deployment_body()]))]);
    let list = client(&server)
        .deployments()
        .list(DeploymentsListParams {})
        .expect("the list decodes");
    assert_eq!(list.len(), 1);
    let d = &list[0];
    assert_eq!(
        d.id.as_deref(),
        Some("bcf48806-b317-4351-9ee7-36e7d557d4de")
    );
    assert_eq!(d.strategy.as_deref(), Some("percentage"));
    assert_eq!(d.variant.strategy, StrategyPercentageStrategy::Percentage);
    assert_eq!(d.variant.versions.len(), 1);
    assert_eq!(d.variant.versions[0].version_id, "v1");
    assert_eq!(d.variant.versions[0].percentage, 100.0);
}

#[test]
fn a_missing_required_member_property_is_still_an_error_naming_it() {
    let mut body = deployment_body();
    body.as_object_mut().unwrap().remove("versions");
    let server = TestServer::with_replies([Reply::json(200, &json!([body]))]);
    let err = client(&server)
        .deployments()
        .list(DeploymentsListParams {})
        .expect_err("`versions` is required by the member");
    let fixture_unions::Error::Decode(e) = err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert_eq!(e.field, "[0]");
    assert!(e.to_string().contains("missing field `versions`"), "{e}");
}

fn percentage_variant() -> StrategyPercentage {
    StrategyPercentage {
        strategy: StrategyPercentageStrategy::Percentage,
        versions: vec![
            StrategyPercentageVersionsItem {
                version_id: "v1".into(),
                percentage: 40.0,
            },
            StrategyPercentageVersionsItem {
                version_id: "v2".into(),
                percentage: 60.0,
            },
        ],
    }
}

#[test]
fn the_member_fills_a_shared_property_the_named_field_leaves_unset() {
    let server = TestServer::with_replies([Reply::json(200, &deployment_body())]);
    let created = client(&server)
        .deployments()
        .create(DeploymentsCreateParams {
            id: None,
            strategy: None,
            variant: percentage_variant(),
        })
        .expect("the created deployment decodes");
    assert_eq!(created.strategy.as_deref(), Some("percentage"));
    let sent: serde_json::Value =
        serde_json::from_slice(&server.single_request().body).expect("a JSON body");
    assert_json_same(
        &sent,
        &json!({
            "strategy": "percentage",
            "versions": [
                {"version_id": "v1", "percentage": 40.0},
                {"version_id": "v2", "percentage": 60.0}
            ]
        }),
    );
}

#[test]
fn the_named_field_wins_over_the_member_when_set() {
    let server = TestServer::with_replies([Reply::json(200, &deployment_body())]);
    client(&server)
        .deployments()
        .create(DeploymentsCreateParams {
            id: None,
            strategy: Some("percentage-v2".into()),
            variant: percentage_variant(),
        })
        .expect("the call succeeds");
    let sent: serde_json::Value =
        serde_json::from_slice(&server.single_request().body).expect("a JSON body");
    assert_eq!(sent["strategy"], "percentage-v2");
    assert_eq!(sent["versions"].as_array().map(Vec::len), Some(2));
}

#[test]
fn a_decoded_deployment_keeps_every_property_it_read() {
    let value = deployment_body();
    let d: Deployment = serde_json::from_value(value).expect("decodes through serde too");
    assert_eq!(d.strategy.as_deref(), Some("percentage"));
    assert_eq!(d.variant.versions[0].percentage, 100.0);
}

#[test]
fn each_dns_record_decodes_as_the_member_its_type_names() {
    // Before the type picked the member, every record here decoded as an A record (the first
    // member), its `type` kept as `Unknown("AAAA")` and the MX priority dropped.
    let server = TestServer::with_replies([Reply::json(
        200,
        &json!([
            {"type": "A", "name": "a.example.com", "content": "198.51.100.4"},
            {"id": "r1", "type": "AAAA", "name": "example.com", "content": "2001:db8::1", "ttl": 3600},
            {"type": "MX", "name": "example.com", "content": "mx.example.com", "priority": 10},
        ]),
    )]);
    let records = client(&server)
        .records()
        .list(RecordsListParams {})
        .expect("the records decode");
    let [a, aaaa, mx] = &records[..] else {
        panic!("three records: {records:?}")
    };
    assert!(
        matches!(a, DnsRecord::ARecord(r) if r.type_ == ARecordType::A && r.content == "198.51.100.4"),
        "{a:?}"
    );
    let DnsRecord::AaaaRecord(aaaa) = aaaa else {
        panic!("an AAAA record: {aaaa:?}")
    };
    assert_eq!(aaaa.type_, AaaaType::Aaaa);
    assert_eq!((aaaa.id.as_deref(), aaaa.ttl), (Some("r1"), Some(3600.0)));
    let DnsRecord::MxRecord(mx) = mx else {
        panic!("an MX record: {mx:?}")
    };
    assert_eq!((mx.type_.clone(), mx.priority), (MxRecordType::Mx, 10.0));
}

#[test]
fn a_record_type_no_member_declares_is_tried_against_every_member_in_order() {
    let server = TestServer::with_replies([Reply::json(
        200,
        &json!([{"type": "TXT", "name": "example.com", "content": "v=spf1 -all"}]),
    )]);
    let records = client(&server)
        .records()
        .list(RecordsListParams {})
        .expect("an unknown type still decodes");
    // The first member that fits keeps it, its enum holding the value it does not know.
    assert!(
        matches!(&records[..], [DnsRecord::ARecord(r)] if r.type_ == ARecordType::Unknown("TXT".into())),
        "{records:?}"
    );
}

#[test]
fn a_record_missing_what_its_type_requires_fails_naming_it() {
    let server = TestServer::with_replies([Reply::json(
        200,
        &json!([{"type": "MX", "name": "example.com", "content": "mx.example.com"}]),
    )]);
    let err = client(&server)
        .records()
        .list(RecordsListParams {})
        .expect_err("an MX record without its priority");
    let fixture_unions::Error::Decode(e) = err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert_eq!(e.field, "[0]");
    assert!(e.to_string().contains("missing field `priority`"), "{e}");
}

#[test]
fn header_operations_sharing_a_value_are_told_apart_by_their_fields() {
    let changes = json!({
        "x-old": {"operation": "remove"},
        "x-static": {"operation": "set", "value": "v1"},
        "x-version": {"operation": "set", "expression": "http.request.version"},
    });
    let server = TestServer::with_replies([Reply::json(200, &changes)]);
    let mut body = std::collections::BTreeMap::new();
    body.insert(
        "x-static".to_owned(),
        HeaderChangesValue::Variant1(HeaderChangesValueVariant1 {
            operation: HeaderChangesValueVariant1Operation::Set,
            value: "v1".into(),
        }),
    );
    let applied = client(&server)
        .headers()
        .update(HeadersUpdateParams { body })
        .expect("the changes decode");
    let sent: serde_json::Value =
        serde_json::from_slice(&server.single_request().body).expect("a JSON body");
    assert_json_same(
        &sent,
        &json!({"x-static": {"operation": "set", "value": "v1"}}),
    );
    // `set` narrows the choice to the static and the dynamic member; the fields decide.
    assert!(
        matches!(applied["x-old"], HeaderChangesValue::Variant0(_)),
        "{applied:?}"
    );
    assert!(
        matches!(&applied["x-static"], HeaderChangesValue::Variant1(v) if v.value == "v1"),
        "{applied:?}"
    );
    assert!(
        matches!(&applied["x-version"], HeaderChangesValue::Variant2(v) if v.expression == "http.request.version"),
        "{applied:?}"
    );
}

#[test]
fn a_shared_value_that_fits_none_of_its_members_fails_instead_of_taking_another() {
    // `set` without a value or an expression: not the `remove` member, whose enum would take
    // `set` as unknown.
    let server =
        TestServer::with_replies([Reply::json(200, &json!({"x-broken": {"operation": "set"}}))]);
    let err = client(&server)
        .headers()
        .update(HeadersUpdateParams {
            body: Default::default(),
        })
        .expect_err("a `set` with neither field");
    let fixture_unions::Error::Decode(e) = err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert_eq!(e.field, r#"["x-broken"]"#);
    assert!(e.to_string().contains("missing field `expression`"), "{e}");
}
