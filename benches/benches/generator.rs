//! Generation time: `codegen::generate` followed by `codegen::write::write_crate` into a
//! temporary directory, on the Access keys spec, on synthetic documents of 10, 100 and 1,000
//! operations, and on Cloudflare's full schema when `../shared/cloudflare/openapi.json` exists
//! beside the workspace (or `BENCH_CLOUDFLARE_SPEC` names one). A schema the generator cannot
//! handle yet is skipped with a note.
//!
//! `cargo bench -p benchmarks --bench generator`. Throughput is reported in operations per
//! second, so linear growth shows as a flat throughput.

use benchmarks::synthetic;
use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use std::path::{Path, PathBuf};
use std::time::Duration;

fn generate_and_write(options: &codegen::Options, out: &Path) -> usize {
    let files = codegen::generate(options)
        .unwrap_or_else(|e| panic!("generation failed: {e}"))
        .files;
    codegen::write::write_crate(out, &files).expect("write the crate");
    files.len()
}

fn cloudflare_spec() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("BENCH_CLOUDFLARE_SPEC") {
        return Some(PathBuf::from(path));
    }
    let root = codegen::workspace_root();
    let path = root.parent()?.join("shared/cloudflare/openapi.json");
    path.exists().then_some(path)
}

fn generator(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let out = tmp.path().join("out");
    let mut g = c.benchmark_group("generate");

    let mut access_keys = codegen::default_options();
    access_keys.standalone = true;
    g.throughput(Throughput::Elements(3));
    g.bench_function("access_keys", |b| {
        b.iter(|| generate_and_write(&access_keys, &out))
    });

    for ops in [10usize, 100, 1000] {
        let spec = synthetic::write_spec(tmp.path(), ops).expect("write the synthetic spec");
        let options = synthetic::options(&spec, ops);
        if ops >= 1000 {
            g.sampling_mode(SamplingMode::Flat)
                .sample_size(10)
                .warm_up_time(Duration::from_secs(1))
                .measurement_time(Duration::from_secs(5));
        }
        g.throughput(Throughput::Elements(ops as u64));
        g.bench_with_input(BenchmarkId::new("synthetic", ops), &options, |b, o| {
            b.iter(|| generate_and_write(o, &out))
        });
    }

    match cloudflare_spec() {
        None => println!(
            "generate/cloudflare: skipped, no ../shared/cloudflare/openapi.json beside the \
             workspace (set BENCH_CLOUDFLARE_SPEC to point at one)"
        ),
        Some(spec) => {
            let options = codegen::Options {
                spec: spec.clone(),
                spec_display: "openapi.json".into(),
                crate_name: "cloudflare".into(),
                regenerate: "cargo bench -p benchmarks --bench generator".into(),
                standalone: true,
                ..Default::default()
            };
            match codegen::generate(&options) {
                Err(e) => println!(
                    "generate/cloudflare: skipped, the generator cannot handle {} yet:\n{e}",
                    spec.display()
                ),
                Ok(generated) => {
                    let files = generated.files;
                    let ops = count_operations(&spec);
                    println!(
                        "generate/cloudflare: {} operations, {} files",
                        ops,
                        files.len()
                    );
                    g.sampling_mode(SamplingMode::Flat)
                        .sample_size(10)
                        .warm_up_time(Duration::from_secs(1))
                        .measurement_time(Duration::from_secs(10));
                    g.throughput(Throughput::Elements(ops as u64));
                    g.bench_function("cloudflare", |b| {
                        b.iter(|| generate_and_write(&options, &out))
                    });
                }
            }
        }
    }
    g.finish();
}

/// Operations in an OpenAPI document (methods under `paths`).
fn count_operations(spec: &Path) -> usize {
    const METHODS: &[&str] = &[
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let text = std::fs::read_to_string(spec).unwrap_or_default();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    doc.get("paths")
        .and_then(|p| p.as_object())
        .map(|paths| {
            paths
                .values()
                .filter_map(|item| item.as_object())
                .map(|item| {
                    item.keys()
                        .filter(|k| METHODS.contains(&k.as_str()))
                        .count()
                })
                .sum()
        })
        .unwrap_or(0)
}

criterion_group!(benches, generator);
criterion_main!(benches);
