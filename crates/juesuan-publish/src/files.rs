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
