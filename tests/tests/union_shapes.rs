//! An `allOf` of an object and a `oneOf` whose member declares one of the object's properties
//! again (Cloudflare's worker deployments: `strategy` in the base and in the percentage
//! strategy). Decoding gives the property to both the named field and the flattened member;
//! encoding writes the member, then the named fields over it. Uses the `unions` fixture crate
//! against a real server.

// `Error` is the crate's public error type, returned as is.
#![allow(clippy::result_large_err)]

use fixture_unions::{
    Client, Deployment, DeploymentsCreateParams, DeploymentsListParams, StrategyPercentage,
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
