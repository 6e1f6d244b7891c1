//! The one way juesuan writes a file: to a temporary name in the target folder first, synced,
//! then renamed into place, so a failed run leaves no partial or stale-mixed outputs behind and
//! no output ever lands on an input.
//!
//! Two forms, one implementation: [`write_all`] for outputs held in memory (a department's
//! files, the template workbook, a generated input), and [`Staged`] for outputs written as rows
//! come (`summary.json`, the export's CSV and Parquet tables, the generator's manifest), put in
//! place by [`Staged::finish`] or, several together, by [`commit`]. A `Staged` file dropped
//! before it is finished (an error, a panic) removes its temporary file.
//!
//! A run killed outright (SIGKILL, power loss) cannot clean up: each final name then holds
//! either its previous complete file or the new complete one, never a part (a rename is
//! atomic), and the temporary files it left (`.NAME.PID.tmp`, hidden) are removed by the next
//! run that writes NAME once their process is gone. `crates/juesuan-cli/tests/crash_safe.rs`
//! kills builds to prove it.

use juesuan_core::Diagnostic;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file that could not be written: which, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteError {
    /// The final name of the file.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

impl WriteError {
    /// `path` could not be written because of `e`.
    pub fn new(path: &Path, e: impl std::fmt::Display) -> WriteError {
        WriteError {
            path: path.to_path_buf(),
            message: e.to_string(),
        }
    }

    /// As a located diagnostic (E0601 at the file).
    pub fn diagnostic(&self) -> Diagnostic {
        crate::files::io_error(&self.path, &self.message)
    }
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for WriteError {}

/// A file being written under a temporary name next to its final one; [`Staged::finish`] (or
/// [`commit`]) syncs it and renames it into place. Dropped unfinished, it removes the temporary
/// file and leaves the final name as it was.
#[derive(Debug)]
pub struct Staged {
    target: PathBuf,
    tmp: PathBuf,
    file: Option<BufWriter<fs::File>>,
}

impl Staged {
    /// Starts writing `path` (its folder created if missing). Refuses when `path` is one of the
    /// files in `protect` (the inputs). Temporaries of `path` left by killed runs are removed.
    pub fn create(path: &Path, protect: &[PathBuf]) -> Result<Staged, WriteError> {
        let dir = folder_of(path);
        fs::create_dir_all(&dir).map_err(|e| WriteError::new(path, e))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| WriteError::new(path, "not a file name"))?;
        remove_stale_temporaries(&dir, &[name.as_str()]);
        Staged::start(path.to_path_buf(), &name, &canonical(protect))
    }

    /// The temporary file for `target` (named `name`), after the folder exists and stale
    /// temporaries are gone; `protect` is canonical.
    fn start(target: PathBuf, name: &str, protect: &[PathBuf]) -> Result<Staged, WriteError> {
        if let Ok(c) = target.canonicalize()
            && protect.contains(&c)
        {
            return Err(WriteError::new(
                &target,
                "refusing to overwrite an input file",
            ));
        }
        let tmp = target.with_file_name(temporary_name(name, std::process::id()));
        let file = fs::File::create(&tmp).map_err(|e| WriteError::new(&target, e))?;
        Ok(Staged {
            target,
            tmp,
            file: Some(BufWriter::new(file)),
        })
    }

    /// The final name.
    pub fn path(&self) -> &Path {
        &self.target
    }

    /// Syncs the file and renames it into place; returns its final name.
    pub fn finish(self) -> Result<PathBuf, WriteError> {
        let mut done = commit(vec![self])?;
        Ok(done.pop().unwrap_or_default())
    }
}

impl Write for Staged {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(std::io::Error::other("the file is finished")),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match &mut self.file {
            Some(f) => f.write_all(buf),
            None => Err(std::io::Error::other("the file is finished")),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        // Finished files were renamed: only an unfinished one still has its temporary.
        if !self.tmp.as_os_str().is_empty() {
            self.file = None;
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// Puts `files` in place together: every one synced before any is renamed (the syncs
/// overlapping, see [`sync_together`]), then renamed in order, then their folders synced. On an
/// error the temporaries not yet renamed are removed.
pub fn commit(mut files: Vec<Staged>) -> Result<Vec<PathBuf>, WriteError> {
    sync_together(&mut files)?;
    let mut done = Vec::with_capacity(files.len());
    let mut folders: Vec<PathBuf> = Vec::new();
    for f in &mut files {
        fs::rename(&f.tmp, &f.target).map_err(|e| WriteError::new(&f.target, e))?;
        f.tmp = PathBuf::new();
        done.push(f.target.clone());
        let dir = folder_of(&f.target);
        if !folders.contains(&dir) {
            folders.push(dir);
        }
    }
    // The renames themselves reach the disk only with the folder.
    for dir in folders {
        let _ = fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(done)
}

/// Syncs `files`, each but the last from a thread of its own. A sync is mostly a wait for the
/// disk, and one after another they add up (six outputs took 6–25 ms of a 40–70 ms build on
/// the project's machine, about half that overlapped). Every file is still synced before any
/// is renamed: after a power loss a final name never holds a file whose data did not reach the
/// disk. A thread that cannot be started leaves its file to this one.
fn sync_together(files: &mut [Staged]) -> Result<(), WriteError> {
    let mut open = Vec::with_capacity(files.len());
    for f in files.iter_mut() {
        if let Some(w) = f.file.take() {
            let file = w
                .into_inner()
                .map_err(|e| WriteError::new(&f.target, e.into_error()))?;
            open.push((f.target.clone(), file));
        }
    }
    fn sync((target, file): &(PathBuf, fs::File)) -> Result<(), WriteError> {
        file.sync_all().map_err(|e| WriteError::new(target, e))
    }
    let Some((last, rest)) = open.split_last() else {
        return Ok(());
    };
    std::thread::scope(|scope| {
        let waits: Vec<_> = rest
            .iter()
            .map(|f| {
                // A small stack: the thread only calls fsync (and stays inside an address-space
                // cap).
                std::thread::Builder::new()
                    .stack_size(64 * 1024)
                    .spawn_scoped(scope, move || sync(f))
                    .map_err(|_| f)
            })
            .collect();
        let mut result = sync(last);
        for wait in waits {
            let synced = match wait {
                Ok(h) => h
                    .join()
                    .unwrap_or_else(|_| Err(WriteError::new(&last.0, "a sync panicked"))),
                Err(f) => sync(f),
            };
            result = result.and(synced);
        }
        result
    })
}

/// Creates the folder outputs go to (and its parents), if missing.
pub fn create_folder(dir: &Path) -> Result<(), WriteError> {
    fs::create_dir_all(dir).map_err(|e| WriteError::new(dir, e))
}

/// Writes `files` (name, bytes) into `dir`, all or nothing. Refuses to overwrite any path in
/// `protect` (the inputs).
pub fn write_all(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    protect: &[PathBuf],
) -> Result<Vec<PathBuf>, WriteError> {
    create_folder(dir)?;
    let protect = canonical(protect);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    remove_stale_temporaries(dir, &names);
    let mut staged = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let mut f = Staged::start(dir.join(name), name, &protect)?;
        f.write_all(bytes)
            .map_err(|e| WriteError::new(f.path(), e))?;
        staged.push(f);
    }
    commit(staged)
}

/// The folder a file goes to (`.` for a bare name).
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn canonical(paths: &[PathBuf]) -> Vec<PathBuf> {
    paths.iter().filter_map(|p| p.canonicalize().ok()).collect()
}

fn temporary_name(name: &str, pid: u32) -> String {
    format!(".{name}.{pid}.tmp")
}

/// Removes the temporary files that killed runs left for these outputs. Only where `/proc`
/// tells which processes live: a file whose process still runs is another run's.
fn remove_stale_temporaries(dir: &Path, names: &[&str]) {
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
        let stale = names.iter().any(|name| {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_streamed_file_appears_only_when_finished() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.json");
        let mut f = Staged::create(&path, &[]).unwrap();
        f.write_all(b"{\"a\":").unwrap();
        // Enough to pass the buffer: the bytes are on disk, under the temporary name only.
        f.write_all(&vec![b' '; 64 << 10]).unwrap();
        f.write_all(b"1}").unwrap();
        assert!(!path.exists());
        assert_eq!(
            names(dir.path()),
            [format!(".summary.json.{}.tmp", std::process::id())]
        );
        assert_eq!(f.finish().unwrap(), path);
        assert_eq!(names(dir.path()), ["summary.json"]);
        let text = fs::read(&path).unwrap();
        assert_eq!(text.len(), 5 + (64 << 10) + 2);
    }

    #[test]
    fn an_unfinished_file_leaves_nothing_and_the_old_file_stays() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("views.csv");
        fs::write(&path, "old").unwrap();
        {
            let mut f = Staged::create(&path, &[]).unwrap();
            f.write_all(b"new rows").unwrap();
            // Dropped: an error or a panic on the way.
        }
        assert_eq!(names(dir.path()), ["views.csv"]);
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        // A panic while writing is the same.
        let p = path.clone();
        let r = std::panic::catch_unwind(move || {
            let mut f = Staged::create(&p, &[]).unwrap();
            f.write_all(b"half").unwrap();
            panic!("renderer failed");
        });
        assert!(r.is_err());
        assert_eq!(names(dir.path()), ["views.csv"]);
    }

    #[test]
    fn files_committed_together_and_a_failed_group_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let a = Staged::create(&dir.path().join("a.csv"), &[]).unwrap();
        let mut b = Staged::create(&dir.path().join("b.parquet"), &[]).unwrap();
        b.write_all(b"b").unwrap();
        let done = commit(vec![a, b]).unwrap();
        assert_eq!(
            done,
            [dir.path().join("a.csv"), dir.path().join("b.parquet")]
        );
        assert_eq!(names(dir.path()), ["a.csv", "b.parquet"]);
        // The second file's target is a folder: the rename fails, nothing is left half done.
        fs::create_dir(dir.path().join("d")).unwrap();
        fs::write(dir.path().join("d/x"), "").unwrap();
        let c = Staged::create(&dir.path().join("c.json"), &[]).unwrap();
        let d = Staged::create(&dir.path().join("d"), &[]).unwrap();
        let e = commit(vec![c, d]).unwrap_err();
        assert_eq!(e.path, dir.path().join("d"));
        assert!(names(dir.path()).iter().all(|n| !n.ends_with(".tmp")));
    }

    #[test]
    fn inputs_are_never_written_over() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("dept.toml");
        fs::write(&input, "input").unwrap();
        let e = Staged::create(&input, std::slice::from_ref(&input)).unwrap_err();
        assert_eq!(e.message, "refusing to overwrite an input file");
        let e = write_all(
            dir.path(),
            &[
                ("dept.xlsx".into(), b"x".to_vec()),
                ("dept.toml".into(), b"y".to_vec()),
            ],
            std::slice::from_ref(&input),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("{}: refusing to overwrite an input file", input.display())
        );
        assert_eq!(names(dir.path()), ["dept.toml"]);
        assert_eq!(fs::read_to_string(&input).unwrap(), "input");
    }

    #[test]
    fn temporaries_of_dead_runs_are_removed_and_live_ones_kept() {
        if !Path::new("/proc/self").exists() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        // No process has this id (above the kernel's maximum).
        let dead = dir.path().join(".out.json.4294967294.tmp");
        let live = dir.path().join(".out.json.1.tmp");
        fs::write(&dead, "").unwrap();
        fs::write(&live, "").unwrap();
        write_all(dir.path(), &[("out.json".into(), b"{}".to_vec())], &[]).unwrap();
        assert!(!dead.exists());
        assert!(live.exists());
        fs::write(&dead, "").unwrap();
        Staged::create(&dir.path().join("out.json"), &[])
            .unwrap()
            .finish()
            .unwrap();
        assert!(!dead.exists());
    }
}
