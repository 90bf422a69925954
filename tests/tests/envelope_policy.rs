//! The policy for a success envelope without `result` (README, *Responses that drift from the
//! spec*): what decides is whether the result may be `null`, not whether the envelope's schema
//! lists `result` as required. A result that may be `null` is an `Option` and an absent one
//! reads as `None`; any other fails with `Error::Decode` naming `result`, keeping the body.
//! Uses the `envelopes` fixture crate against a real server.

// `Error` is the crate's public error type, returned as is.
#![allow(clippy::result_large_err)]

use fixture_envelopes::{
    Client, Error, Record, RecordsCreateRecordParams, RecordsDeleteRecordsParams,
    RecordsDeleteRecordsResponse, RecordsListIdsParams,
};
use serde_json::json;
use tests::{Reply, TestServer};

fn client(server: &TestServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .max_retries(0)
        .build()
        .expect("client builds")
}

fn zone() -> RecordsListIdsParams {
    RecordsListIdsParams {
        zone_id: "z1".into(),
    }
}

/// A success envelope without `result`.
fn no_result() -> serde_json::Value {
    json!({"success": true, "errors": [], "messages": []})
}

fn assert_missing_result(outcome: Result<impl std::fmt::Debug, Error>) {
    match outcome {
        Err(Error::Decode(e)) => {
            assert!(e.message.contains("missing field `result`"), "{e}");
            let kept: serde_json::Value = serde_json::from_slice(&e.body).expect("the body");
            assert_eq!(kept, no_result());
        }
        other => panic!("expected a decode error naming `result`, got {other:?}"),
    }
}

#[test]
fn an_absent_result_that_is_not_optional_fails_whether_or_not_the_schema_requires_it() {
    let server = TestServer::with_replies([
        Reply::json(200, &no_result()),
        Reply::json(200, &no_result()),
    ]);
    let client = client(&server);
    // `records-create-record`: the envelope does not list `result` as required.
    let params: RecordsCreateRecordParams = zone();
    assert_missing_result(client.records().create_record(params));
    // `records-list-ids`: the envelope lists it.
    assert_missing_result(client.records().list_ids(zone()));
}

#[test]
fn an_absent_or_null_result_that_may_be_null_reads_as_none() {
    let server = TestServer::with_replies([
        Reply::json(200, &no_result()),
        Reply::ok(serde_json::Value::Null),
        Reply::ok(json!({"deleted": 3})),
    ]);
    let client = client(&server);
    let params = || -> RecordsDeleteRecordsParams { zone() };
    assert_eq!(client.records().delete_records(params()).unwrap(), None);
    assert_eq!(client.records().delete_records(params()).unwrap(), None);
    assert_eq!(
        client.records().delete_records(params()).unwrap(),
        Some(RecordsDeleteRecordsResponse { deleted: Some(3) })
    );
}

#[test]
fn a_present_result_decodes_where_the_schema_does_not_require_it() {
    let server = TestServer::with_replies([Reply::ok(json!({"id": "r1"}))]);
    let record = client(&server)
        .records()
        .create_record(zone())
        .expect("the result decodes");
    assert_eq!(
        record,
        Record {
            id: "r1".into(),
            name: None
        }
    );
}
