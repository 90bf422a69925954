//! Writes a synthetic OpenAPI document: `synthetic-spec <OPERATIONS> <DIR>` creates
//! `<DIR>/synthetic-<OPERATIONS>.json` and prints its path (for `codegen --spec`).

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(ops), Some(dir)) = (args.first().and_then(|n| n.parse().ok()), args.get(1)) else {
        eprintln!("usage: synthetic-spec <OPERATIONS> <DIR>");
        return ExitCode::FAILURE;
    };
    let dir = PathBuf::from(dir);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("error: cannot create {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    match benchmarks::synthetic::write_spec(&dir, ops) {
        Ok(path) => {
            println!("{}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write the spec: {e}");
            ExitCode::FAILURE
        }
    }
}
