//! Files on disk: writes the crate atomically and compares it with what is there (`--check`).

use crate::GeneratedFile;
use std::path::{Path, PathBuf};

/// Writes `files` into `out`: first into a temporary directory beside it, then moved into place,
/// so a failure never leaves a half-written crate.
pub fn write_crate(out: &Path, files: &[GeneratedFile]) -> std::io::Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)?;
    let staging = tempfile::Builder::new()
        .prefix(".codegen-staging-")
        .tempdir_in(&parent)?;
    for f in files {
        let path = staging.path().join(&f.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, &f.contents)?;
    }
    let old = tempfile::Builder::new()
        .prefix(".codegen-old-")
        .tempdir_in(&parent)?;
    let had_old = out.exists();
    if had_old {
        std::fs::rename(out, old.path().join("crate"))?;
    }
    if let Err(e) = std::fs::rename(staging.path(), out) {
        if had_old {
            std::fs::rename(old.path().join("crate"), out)?;
        }
        return Err(e);
    }
    // The staging directory is now `out`; keep tempfile from deleting it.
    let _ = staging.keep();
    Ok(())
}

/// Files under `out` that differ from `files`, are missing, or are not generated at all.
pub fn stale_files(out: &Path, files: &[GeneratedFile]) -> Vec<String> {
    let mut stale = Vec::new();
    for f in files {
        match std::fs::read_to_string(out.join(&f.path)) {
            Ok(on_disk) if on_disk == f.contents => {}
            Ok(_) => stale.push(format!("{} (differs)", f.path)),
            Err(_) => stale.push(format!("{} (missing)", f.path)),
        }
    }
    for extra in list_files(out) {
        if !files.iter().any(|f| f.path == extra) {
            stale.push(format!("{extra} (not generated)"));
        }
    }
    stale
}

/// Every file under `dir` (relative, `/`-separated, sorted), skipping `target/`.
pub fn list_files(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if entry.file_name() != "target" {
                    walk(root, &path, out);
                }
            } else if let Ok(rel) = path.strip_prefix(root) {
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(rel.join("/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}
