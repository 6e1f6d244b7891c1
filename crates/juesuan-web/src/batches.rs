//! Audits of many reports at once on `/audit`: a zip of reports, or several files chosen
//! together, audited as `juesuan audit --batch` audits a folder
//! ([`juesuan_batch::audits::audit_reports`], the same code path) into the same dataset and
//! summary; both are kept in memory for a while and served under `/audit/batches/{id}/`.
//!
//! A zip is unpacked with limits, before anything is audited: at most [`MAX_ENTRIES`] entries,
//! the uncompressed total at most the server's upload limit (counted while inflating, not
//! believed from the headers), every path relative and without `..`; only the audit's
//! extensions are taken, anything else is listed as skipped. A bad zip is refused (E1216),
//! never half-audited.

use crate::error::WebError;
use juesuan_batch::audits::{self, AUDIT_EXTENSIONS, Summary, Target};
use juesuan_batch::service::InMemory;
use juesuan_core::Lang;
use juesuan_publish::Setup;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::io::{Cursor, Read, Write};
use std::sync::{Arc, Mutex};

/// Entries a zip may hold (files and folders).
pub const MAX_ENTRIES: usize = 10_000;

/// Batches kept (the oldest forgotten first): each is a few megabytes at most.
const KEPT: usize = 16;

/// The data files of a batch, in the order the page offers them; `dataset.zip` holds them all.
pub const DATA_FILES: &[&str] = &[
    "findings.csv",
    "documents.csv",
    "findings.parquet",
    "documents.parquet",
    "datapackage.json",
];

/// A batch audited: its files by path (`index.html` is rendered again in the visitor's
/// language from `summary`), and what the page says about it.
pub struct Batch {
    /// `findings.csv`, `documents/<file>.html`, `dataset.zip`...
    pub files: BTreeMap<String, Vec<u8>>,
    /// What the summary page shows.
    pub summary: Summary,
    /// Documents, audited, with errors, not audited.
    pub counts: [usize; 4],
    /// Finding rows.
    pub findings: u64,
    /// Files of the upload left out (not a report's extension), by name.
    pub skipped: Vec<String>,
}

/// The batches audited lately, by their unguessable id: whoever has the link sees the batch,
/// as whoever uploaded the reports.
#[derive(Default)]
pub struct Batches(Mutex<VecDeque<(String, Arc<Batch>)>>);

impl Batches {
    /// Keeps `batch`, forgetting the oldest beyond [`KEPT`]; returns its id.
    pub fn keep(&self, batch: Batch) -> String {
        let id = crate::auth::token()[..32].to_string();
        let mut list = self.0.lock().unwrap_or_else(|e| e.into_inner());
        list.push_back((id.clone(), Arc::new(batch)));
        while list.len() > KEPT {
            list.pop_front();
        }
        id
    }

    /// The batch `id`, if kept.
    pub fn get(&self, id: &str) -> Option<Arc<Batch>> {
        let list = self.0.lock().unwrap_or_else(|e| e.into_inner());
        list.iter()
            .find(|(i, _)| i == id)
            .map(|(_, b)| Arc::clone(b))
    }
}

/// True for a file taken as a zip of reports (by its name: an .xlsx or .docx is a zip too, and
/// is a report).
pub fn is_zip(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".zip")
}

fn has_audit_extension(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, e)| AUDIT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// E1216: a zip that cannot be audited, with what was expected and what was found.
fn bad_zip(zip: &str, expected: (&str, &str), found: (String, String)) -> WebError {
    WebError::bad_zip().details(
        format!("{zip}：应为{}，实际{}", expected.0, found.0),
        format!("{zip}: expected {}, found {}", expected.1, found.1),
    )
}

/// The path of entry `raw` of a zip as a report's name (`区/报告.pdf`), or why it is unsafe.
fn entry_path(raw: &str) -> Result<String, ()> {
    let path = raw.replace('\\', "/");
    if path.starts_with('/') || path.as_bytes().get(1) == Some(&b':') {
        return Err(());
    }
    let parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts
        .iter()
        .any(|p| *p == ".." || p.chars().any(char::is_control))
    {
        return Err(());
    }
    Ok(parts.join("/"))
}

/// The reports of the zip `bytes` named `zip`, at most `budget` bytes uncompressed in all
/// (lowered by what they take); names of files left out go to `skipped`.
fn unzip(
    zip: &str,
    bytes: &[u8],
    budget: &mut usize,
    skipped: &mut Vec<String>,
) -> Result<Vec<(String, Vec<u8>)>, WebError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        bad_zip(
            zip,
            ("ZIP 压缩包", "a ZIP archive"),
            (
                format!("无法读取（{e}）"),
                format!("one that cannot be read ({e})"),
            ),
        )
    })?;
    if archive.len() > MAX_ENTRIES {
        return Err(bad_zip(
            zip,
            (
                &format!("不超过 {MAX_ENTRIES} 个条目"),
                &format!("at most {MAX_ENTRIES} entries"),
            ),
            (
                format!("{} 个", archive.len()),
                format!("{}", archive.len()),
            ),
        ));
    }
    // Whole MB for the server's limit; KB (rounded up) for a small one.
    let limit = if *budget >= 1 << 20 {
        format!("{} MB", *budget >> 20)
    } else {
        format!("{} KB", budget.div_ceil(1024))
    };
    let over = |found: String| {
        bad_zip(
            zip,
            (
                &format!("解压后合计不超过 {limit}"),
                &format!("at most {limit} uncompressed in all"),
            ),
            (found.clone(), found),
        )
    };
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| {
            bad_zip(
                zip,
                ("可读取的条目", "entries that can be read"),
                (
                    format!("第 {} 个条目无法读取（{e}）", i + 1),
                    format!("entry {} unreadable ({e})", i + 1),
                ),
            )
        })?;
        let raw = entry
            .name()
            .map_err(|e| {
                bad_zip(
                    zip,
                    ("可读取的条目名", "entry names that can be read"),
                    (
                        format!("第 {} 个条目的名称无法读取（{e}）", i + 1),
                        format!("the name of entry {} unreadable ({e})", i + 1),
                    ),
                )
            })?
            .into_owned();
        let Ok(path) = entry_path(&raw) else {
            return Err(bad_zip(
                zip,
                (
                    "压缩包内的相对路径（不含 ..、不以 / 开头）",
                    "relative paths inside the archive (no .., not starting with /)",
                ),
                (raw.clone(), raw),
            ));
        };
        // Folders, hidden files and macOS's resource forks are no reports.
        if entry.is_dir()
            || path.is_empty()
            || path
                .split('/')
                .any(|p| p.starts_with('.') || p == "__MACOSX")
        {
            continue;
        }
        if !has_audit_extension(&path) {
            skipped.push(format!("{zip}/{path}"));
            continue;
        }
        if entry.size() > *budget as u64 {
            return Err(over(format!("{path}: {} bytes", entry.size())));
        }
        // The header's size may lie: read one byte past what is left to know.
        let mut data = Vec::new();
        (&mut entry)
            .take(*budget as u64 + 1)
            .read_to_end(&mut data)
            .map_err(|e| {
                bad_zip(
                    zip,
                    ("可解压的条目", "entries that inflate"),
                    (format!("{path}：{e}"), format!("{path}: {e}")),
                )
            })?;
        if data.len() > *budget {
            return Err(over(format!("{path}: > {} bytes", *budget)));
        }
        *budget -= data.len();
        out.push((path, data));
    }
    Ok(out)
}

/// The reports of an upload: each zip's reports (named by their path in it, under the zip's
/// name when several files came), each other file as itself; `limit` bounds the uncompressed
/// total. E1216 for a zip that cannot be used, E1217 when no report is left.
pub fn reports(
    files: Vec<(String, Vec<u8>)>,
    limit: usize,
) -> Result<(Vec<InMemory>, Vec<String>), WebError> {
    let many = files.len() > 1;
    let mut budget = limit;
    let mut skipped = Vec::new();
    let mut found: Vec<(String, Vec<u8>)> = Vec::new();
    for (name, bytes) in files {
        if is_zip(&name) {
            let stem = name[..name.len() - 4].to_string();
            for (path, data) in unzip(&name, &bytes, &mut budget, &mut skipped)? {
                let name = if many { format!("{stem}/{path}") } else { path };
                found.push((name, data));
            }
        } else {
            budget = budget.saturating_sub(bytes.len());
            found.push((name, bytes));
        }
    }
    if found.is_empty() {
        let seen = if skipped.is_empty() {
            ("没有文件".to_string(), "no file".to_string())
        } else {
            (skipped.join("、"), skipped.join(", "))
        };
        return Err(WebError::no_report().details(
            format!(
                "应为扩展名为 .pdf、.txt、.xls、.xlsx、.html、.docx 或 .doc 的文件，实际：{}",
                seen.0
            ),
            format!(
                "expected files ending in .pdf, .txt, .xls, .xlsx, .html, .docx or .doc, found: {}",
                seen.1
            ),
        ));
    }
    // Two files of one name would share a page: the later ones are numbered.
    let mut names: BTreeSet<String> = BTreeSet::new();
    let mut list = Vec::with_capacity(found.len());
    for (name, bytes) in found {
        let mut unique = name.clone();
        let mut n = 2;
        while !names.insert(unique.clone()) {
            unique = format!("{name} ({n})");
            n += 1;
        }
        list.push(InMemory {
            name: unique,
            bytes,
        });
    }
    list.sort_by(|a, b| a.name.cmp(&b.name));
    Ok((list, skipped))
}

/// Audits `reports` with `setup` as `juesuan audit --batch` does, in `lang`; the dataset, the
/// pages and `dataset.zip` (the data files together) kept in memory.
pub fn audit(
    setup: &Setup,
    label: &str,
    reports: &[InMemory],
    skipped: Vec<String>,
    lang: Lang,
) -> Result<Batch, WebError> {
    let failed = |e: std::io::Error| WebError::pipeline(format!("temporary folder: {e}"));
    let dir = tempfile::Builder::new()
        .prefix("juesuan-audit-")
        .tempdir()
        .map_err(failed)?;
    let target = Target {
        label: label.to_string(),
        out: dir.path().to_path_buf(),
        // One batch at a time per request; the workers are the machine's cores.
        jobs: juesuan_batch::runner::default_jobs(),
        lang,
        protect: Vec::new(),
    };
    let outcome = audits::audit_reports(setup, reports, &target, &mut ()).map_err(|d| {
        WebError::pipeline(
            d.iter()
                .map(|d| d.render(lang))
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    let mut files = BTreeMap::new();
    let mut pending = vec![(dir.path().to_path_buf(), String::new())];
    while let Some((folder, prefix)) = pending.pop() {
        for entry in std::fs::read_dir(&folder).map_err(failed)? {
            let entry = entry.map_err(failed)?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            if entry.file_type().map_err(failed)?.is_dir() {
                pending.push((entry.path(), rel));
            } else {
                files.insert(rel, std::fs::read(entry.path()).map_err(failed)?);
            }
        }
    }
    files.insert(
        "dataset.zip".to_string(),
        dataset_zip(&files).map_err(failed)?,
    );
    Ok(Batch {
        files,
        counts: outcome.summary.counts(),
        findings: outcome.findings,
        summary: outcome.summary,
        skipped,
    })
}

/// The data files of a batch as one zip.
fn dataset_zip(files: &BTreeMap<String, Vec<u8>>) -> std::io::Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for name in DATA_FILES {
        if let Some(bytes) = files.get(*name) {
            zip.start_file(*name, options)
                .map_err(std::io::Error::other)?;
            zip.write_all(bytes)?;
        }
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_paths_stay_inside() {
        assert_eq!(entry_path("区/a.pdf"), Ok("区/a.pdf".into()));
        assert_eq!(entry_path("a\\b.txt"), Ok("a/b.txt".into()));
        assert_eq!(entry_path("./a.pdf"), Ok("a.pdf".into()));
        for bad in ["../a.pdf", "a/../../b.pdf", "/etc/passwd", "C:\\x.pdf"] {
            assert!(entry_path(bad).is_err(), "{bad}");
        }
    }
}
