//! `generated/` must be exactly what the generator writes from `spec/` today.

const ADVICE: &str = "generated/ is out of date: run `cargo run -p codegen` to regenerate it \
                      (never edit generated/ by hand)";

/// The checked-in spec must need nothing tolerated: warnings are denied, as in CI.
fn options() -> codegen::Options {
    codegen::Options {
        deny_warnings: true,
        ..codegen::default_options()
    }
}

#[test]
fn generated_crate_matches_a_fresh_generation() {
    let files = codegen::generate(&options())
        .unwrap_or_else(|d| panic!("the generator failed on the checked-in spec:\n{d}"))
        .files;
    for expected in ["Cargo.toml", "src/lib.rs", "src/client.rs", "src/types.rs"] {
        assert!(
            files.iter().any(|f| f.path == expected),
            "the generator should produce {expected}: {:?}",
            files.iter().map(|f| &f.path).collect::<Vec<_>>()
        );
    }
    let root = codegen::workspace_root().join("generated");
    let report = tests::snapshot_report(&root, &files);
    assert!(report.is_empty(), "{ADVICE}\n\n{report}\n{ADVICE}");
}

#[test]
fn generation_is_deterministic() {
    let a = codegen::generate(&options()).expect("generates");
    let b = codegen::generate(&options()).expect("generates");
    assert_eq!(a, b);
}
