//! Writing outputs atomically: every file goes to a temporary name in the target folder first
//! and is renamed into place only when all of them were written, so a failed run leaves no
//! partial or stale-mixed outputs behind.
//!
//! A run killed outright (SIGKILL, power loss) cannot clean up: each final name then holds
//! either its previous complete file or the new complete one, never a part (a rename is
//! atomic), and the temporary files it left (`.NAME.PID.tmp`, hidden) are removed by the next
//! run once their process is gone. `crates/juesuan-cli/tests/crash_safe.rs` kills builds to
//! prove it.

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
    remove_stale_temporaries(dir, files);
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut open: Vec<fs::File> = Vec::with_capacity(files.len());
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
        let tmp = dir.join(temporary_name(name, std::process::id()));
        let written = fs::File::create(&tmp).and_then(|mut f| {
            f.write_all(bytes)?;
            Ok(f)
        });
        match written {
            Ok(f) => {
                open.push(f);
                staged.push((tmp, target));
            }
            Err(e) => {
                let _ = fs::remove_file(&tmp);
                cleanup(&staged);
                return Err(format!("{}: {e}", target.display()));
            }
        }
    }
    // Every file written before any is synced: the disk gets them together, not one write
    // and one wait per file.
    for (f, (_, target)) in open.iter().zip(&staged) {
        if let Err(e) = f.sync_all() {
            cleanup(&staged);
            return Err(format!("{}: {e}", target.display()));
        }
    }
    drop(open);
    let mut done = Vec::new();
    for (tmp, target) in &staged {
        if let Err(e) = fs::rename(tmp, target) {
            cleanup(&staged);
            return Err(format!("{}: {e}", target.display()));
        }
        done.push(target.clone());
    }
    // The renames themselves reach the disk only with the folder.
    let _ = fs::File::open(dir).and_then(|d| d.sync_all());
    Ok(done)
}

fn temporary_name(name: &str, pid: u32) -> String {
    format!(".{name}.{pid}.tmp")
}

/// Removes the temporary files that killed runs left for these outputs. Only where `/proc`
/// tells which processes live: a file whose process still runs is another build's.
fn remove_stale_temporaries(dir: &Path, files: &[(String, Vec<u8>)]) {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(file) = file.to_str() else { continue };
        let stale = files.iter().any(|(name, _)| {
            file.strip_prefix(&format!(".{name}."))
                .and_then(|rest| rest.strip_suffix(".tmp"))
                .and_then(|pid| pid.parse::<u32>().ok())
                .is_some_and(|pid| {
                    pid != std::process::id() && !proc.join(pid.to_string()).exists()
                })
        });
        if stale {
            let _ = fs::remove_file(entry.path());
        }
    }
}
