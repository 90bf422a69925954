//! Size of the generated code: `gen-stats [OPERATIONS..]` (default 10 100 1000) generates the
//! synthetic document of each size and counts the lines of the crate's `src/`, in total and
//! without the runtime files (copied unchanged from `codegen/runtime/`), per operation, and per
//! generated file.
//! It also times one generation and one write of each, and does the same for the Access keys
//! spec.

use std::path::Path;
use std::time::Instant;

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
        "runtime files (not counted per operation): {}",
        runtime.join(", ")
    );
    println!(
        "{:>10} {:>12} {:>12} {:>14} {:>12} {:>10} {:>10}",
        "operations",
        "src lines",
        "non-runtime",
        "non-rt per op",
        "marginal/op",
        "gen ms",
        "write ms"
    );
    let mut options = codegen::default_options();
    options.standalone = true;
    report(tmp.path(), "access-keys", 3, &options, None, &runtime);
    let mut previous: Option<(usize, usize)> = None;
    for ops in sizes {
        let spec = benchmarks::synthetic::write_spec(tmp.path(), ops).expect("write the spec");
        let options = benchmarks::synthetic::options(&spec, ops);
        let lines = report(
            tmp.path(),
            &format!("synthetic-{ops}"),
            ops,
            &options,
            previous,
            &runtime,
        );
        previous = Some((ops, lines));
    }
}

/// Generates, writes and counts; returns the non-runtime line count.
fn report(
    tmp: &Path,
    name: &str,
    ops: usize,
    options: &codegen::Options,
    previous: Option<(usize, usize)>,
    runtime: &[String],
) -> usize {
    let start = Instant::now();
    let files = match codegen::generate(options) {
        Ok(files) => files,
        Err(e) => {
            println!("{name}: generation failed: {e}");
            return 0;
        }
    };
    let generated = start.elapsed();
    let out = tmp.join(format!("{name}-crate"));
    let start = Instant::now();
    codegen::write::write_crate(&out, &files).expect("write the crate");
    let written = start.elapsed();
    let mut total = 0;
    let mut non_runtime = 0;
    let mut per_file = Vec::new();
    for f in files.iter().filter(|f| f.path.starts_with("src/")) {
        let lines = f.contents.lines().count();
        total += lines;
        if !runtime.contains(&f.path) {
            non_runtime += lines;
            per_file.push(format!("{} {lines}", &f.path[4..]));
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
    println!(
        "{:>10} {:>12} {:>12} {:>14.1} {:>12} {:>10.1} {:>10.1}   ({name}: {})",
        ops,
        total,
        non_runtime,
        non_runtime as f64 / ops as f64,
        marginal,
        generated.as_secs_f64() * 1e3,
        written.as_secs_f64() * 1e3,
        per_file.join(", ")
    );
    non_runtime
}
