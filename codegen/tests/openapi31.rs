//! OpenAPI 3.1 documents the generator refuses, with what to do. What it reads (type lists,
//! `const`, bounds, `examples`, `$ref` siblings, path item `$ref`s, and the located warnings
//! for what 3.0 cannot carry) is the `openapi31` fixture's snapshot (`tests/fixtures/openapi31/`).

mod support;

use support::{assert_contains, failure};

#[test]
fn versions_other_than_30_and_31_are_refused_clearly() {
    let swagger = failure(
        "s.json",
        r#"{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#,
        &[],
    );
    assert_contains(&swagger, &["s.json: at #/swagger", "Swagger 2.0", "help:"]);
    let future = failure(
        "f.yaml",
        "openapi: 3.2.0\ninfo: {title: t, version: '1'}\n",
        &[],
    );
    assert_contains(
        &future,
        &["f.yaml: at #/openapi", "\"3.2.0\"", "3.1", "help:"],
    );
}

#[test]
fn an_anchor_reference_is_an_error_that_says_to_use_a_pointer() {
    let spec = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$anchor: a, type: string}\n    B: {$ref: '#a'}\n";
    let message = failure("anchor.yaml", spec, &[]);
    assert_contains(
        &message,
        &[
            "anchor.yaml: at #/components/schemas/B/$ref",
            "anchor",
            "help:",
        ],
    );
}

#[test]
fn warnings_seen_before_a_refused_document_come_with_the_error() {
    // The 3.1 rewrite warns about the webhook, then the typed parse refuses `info`.
    let spec = "openapi: 3.1.0\ninfo: {title: 3, version: '1'}\npaths: {}\nwebhooks:\n  hook: {post: {responses: {'200': {description: ok}}}}\n";
    let message = failure("w.yaml", spec, &[]);
    assert_contains(
        &message,
        &[
            "warning: w.yaml: at #/webhooks",
            "error: w.yaml: at #/info/title",
        ],
    );
}
