//! Size of the generated code and where generation time goes:
//! `gen-stats [OPERATIONS..]` (default 10 100 1000) generates the Access keys spec, the
//! synthetic document of each size and, when `../shared/cloudflare/openapi.json` exists beside
//! the workspace (or `BENCH_CLOUDFLARE_SPEC` names one), Cloudflare's schema. For each it counts
//! the lines of the crate's `src/`, in total and without the runtime files (copied unchanged
//! from `codegen/runtime/`), per operation and per generated file, and times one run of each
//! phase: reading the spec, building the model, emitting and formatting the code (the rest of
//! `codegen::generate`), writing the crate.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// `src/<name>` for every file of `codegen/runtime/`.
fn runtime_files() -> Vec<String> {
    let dir = codegen::workspace_root().join("codegen/runtime");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| format!("src/{}", e.file_name().to_string_lossy()))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn cloudflare_spec() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("BENCH_CLOUDFLARE_SPEC") {
        return Some(PathBuf::from(path));
    }
    let path = codegen::workspace_root()
        .parent()?
        .join("shared/cloudflare/openapi.json");
    path.exists().then_some(path)
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10, 100, 1000]
    } else {
        sizes
    };
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let runtime = runtime_files();
    println!(
        "runtime files (not counted per operation): {}\n",
        runtime.join(", ")
    );
    println!(
        "{:<16} {:>6} {:>9} {:>11} {:>7} {:>11} {:>8} {:>8} {:>10} {:>8} {:>8}",
        "spec",
        "ops",
        "src lines",
        "non-runtime",
        "per op",
        "marginal/op",
        "load ms",
        "model ms",
        "emit+fmt",
        "write ms",
        "total s"
    );
    let mut options = codegen::default_options();
    options.standalone = true;
    let mut breakdowns = Vec::new();
    report(
        tmp.path(),
        "access-keys",
        &options,
        None,
        &runtime,
        &mut breakdowns,
    );
    let mut previous = None;
    for ops in sizes {
        let spec = benchmarks::synthetic::write_spec(tmp.path(), ops).expect("write the spec");
        let options = benchmarks::synthetic::options(&spec, ops);
        previous = report(
            tmp.path(),
            &format!("synthetic-{ops}"),
            &options,
            previous,
            &runtime,
            &mut breakdowns,
        );
    }
    if let Some(spec) = cloudflare_spec() {
        let options = codegen::Options {
            spec,
            spec_display: "openapi.json".into(),
            crate_name: "cloudflare".into(),
            regenerate: "gen-stats".into(),
            standalone: true,
            ..Default::default()
        };
        report(
            tmp.path(),
            "cloudflare",
            &options,
            None,
            &runtime,
            &mut breakdowns,
        );
    }
    println!("\nlines of each generated file, per operation:");
    for line in breakdowns {
        println!("  {line}");
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Generates, writes and counts; returns (operations, non-runtime lines).
fn report(
    tmp: &Path,
    name: &str,
    options: &codegen::Options,
    previous: Option<(usize, usize)>,
    runtime: &[String],
    breakdowns: &mut Vec<String>,
) -> Option<(usize, usize)> {
    let start = Instant::now();
    let overlays = options.overlay_sources();
    let spec = match codegen::load::load(&options.spec, &options.spec_display, &overlays) {
        Ok((spec, _warnings)) => spec,
        Err(e) => {
            println!("{name}: generation failed, skipped:\n{e}");
            return None;
        }
    };
    let load = start.elapsed();
    let start = Instant::now();
    let mut diagnostics = codegen::Diagnostics::new();
    let model = codegen::model::build(&spec, &mut diagnostics);
    if diagnostics.has_errors() {
        println!("{name}: generation failed, skipped:\n{diagnostics}");
        return None;
    }
    let ops = model.operations.len();
    let model = start.elapsed();
    drop(spec);
    let start = Instant::now();
    let files = match codegen::generate(options) {
        Ok(generated) => generated.files,
        Err(e) => {
            println!("{name}: generation failed, skipped:\n{e}");
            return None;
        }
    };
    let generate = start.elapsed();
    let out = tmp.join(format!("{name}-crate"));
    let start = Instant::now();
    codegen::write::write_crate(&out, &files).expect("write the crate");
    let write = start.elapsed();

    let mut total = 0;
    let mut non_runtime = 0;
    let mut per_file = Vec::new();
    for f in files.iter().filter(|f| f.path.starts_with("src/")) {
        let lines = f.contents.lines().count();
        total += lines;
        if !runtime.contains(&f.path) {
            non_runtime += lines;
            per_file.push(format!(
                "{} {:.1}",
                &f.path[4..],
                lines as f64 / ops.max(1) as f64
            ));
        }
    }
    let marginal = previous
        .map(|(p_ops, p_lines)| {
            format!(
                "{:.1}",
                (non_runtime as f64 - p_lines as f64) / (ops as f64 - p_ops as f64)
            )
        })
        .unwrap_or_else(|| "-".into());
    // `generate` reads the spec and builds the model again; what is left is emit + format.
    let emit = generate.saturating_sub(load + model);
    println!(
        "{:<16} {:>6} {:>9} {:>11} {:>7.1} {:>11} {:>8.1} {:>8.1} {:>10.1} {:>8.1} {:>8.2}",
        name,
        ops,
        total,
        non_runtime,
        non_runtime as f64 / ops.max(1) as f64,
        marginal,
        ms(load),
        ms(model),
        ms(emit),
        ms(write),
        (generate + write).as_secs_f64()
    );
    breakdowns.push(format!("{name}: {}", per_file.join(", ")));
    Some((ops, non_runtime))
}
