//! Writing outputs atomically: every file goes to a temporary name in the target folder first
//! and is renamed into place only when all of them were written, so a failed run leaves no
//! partial or stale-mixed outputs behind.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `files` (name, bytes) into `dir`, all or nothing. Refuses to overwrite any path in
/// `protect` (the inputs).
pub fn write_all(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    protect: &[PathBuf],
) -> Result<Vec<PathBuf>, String> {
    fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let canonical_inputs: Vec<PathBuf> = protect
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let cleanup = |staged: &[(PathBuf, PathBuf)]| {
        for (tmp, _) in staged {
            let _ = fs::remove_file(tmp);
        }
    };
    for (name, bytes) in files {
        let target = dir.join(name);
        if let Ok(c) = target.canonicalize()
            && canonical_inputs.contains(&c)
        {
            cleanup(&staged);
            return Err(format!(
                "{}: refusing to overwrite an input file",
                target.display()
            ));
        }
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let written = fs::File::create(&tmp).and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        });
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            cleanup(&staged);
            return Err(format!("{}: {e}", target.display()));
        }
        staged.push((tmp, target));
    }
    let mut done = Vec::new();
    for (tmp, target) in &staged {
        if let Err(e) = fs::rename(tmp, target) {
            cleanup(&staged);
            return Err(format!("{}: {e}", target.display()));
        }
        done.push(target.clone());
    }
    Ok(done)
}
