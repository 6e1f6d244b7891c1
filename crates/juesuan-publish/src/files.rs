//! Reading input files: bounded, read only, every failure a located diagnostic.

use juesuan_core::{Diagnostic, Location, Text};
use juesuan_input::Source;
use std::path::Path;

/// E0601 for `path`: it could not be read or written.
pub fn io_error(path: &Path, e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        "E0601",
        Location::File {
            file: path.display().to_string(),
        },
        Text::new("无法读写文件", "cannot read or write the file"),
    )
    .found(e.to_string())
}

/// A file's bytes, at most one past `limit`: memory stays bounded whatever the file's size,
/// and the reader that gets more than `limit` bytes refuses them with its own located error.
/// The file is opened read only.
pub fn read_bounded(path: &Path, limit: usize) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    let mut bytes = Vec::new();
    file.take(u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(path, e))?;
    Ok(bytes)
}

/// Reads a file as text, with a located error for content that is not UTF-8.
pub fn read_source(path: &Path) -> Result<Source, Diagnostic> {
    let bytes = read_bounded(path, Source::MAX_BYTES)?;
    Source::from_bytes(path.display().to_string(), &bytes)
}

/// The files of an assets folder (`--assets DIR`), read as text: (path inside the folder with
/// `/` separators, the file named as the user would find it). Hidden entries are left out;
/// the list is sorted, so a folder reads the same everywhere.
pub fn read_folder(dir: &Path) -> Result<Vec<(String, Source)>, Vec<Diagnostic>> {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), Diagnostic> {
        let entries = std::fs::read_dir(dir).map_err(|e| io_error(dir, e))?;
        for entry in entries {
            let path = entry.map_err(|e| io_error(dir, e))?.path();
            if path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                continue;
            }
            if path.is_dir() {
                walk(&path, out)?;
            } else {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut paths = Vec::new();
    walk(dir, &mut paths).map_err(|d| vec![d])?;
    paths.sort();
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for p in paths {
        let rel = p
            .strip_prefix(dir)
            .unwrap_or(&p)
            .to_string_lossy()
            .replace('\\', "/");
        match read_source(&p) {
            Ok(s) => files.push((rel, s)),
            Err(d) => problems.push(d),
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(problems)
    }
}
