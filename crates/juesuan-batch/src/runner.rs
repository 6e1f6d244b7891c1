//! The batch runner: every input of a folder through a function, in parallel, with memory
//! bounded whatever the number of inputs.
//!
//! The folder is listed once (names only, sorted, recursively; hidden entries and the output
//! folder skipped). Worker threads take indices from a bounded queue, do the whole work of one
//! department (read, check, render, write) and send back a small result; the calling thread
//! hands the results to its reducer in listing order, so summaries are deterministic. At most
//! `window` departments are in flight at once (queued, being worked on, or finished but
//! waiting for an earlier one), so memory does not grow with the folder. A panic in one
//! department is caught and reported as that department's failure; the batch goes on.

use crossbeam_channel::bounded;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Extensions read as department-year inputs.
pub const INPUT_EXTENSIONS: &[&str] = &["toml", "json", "xlsx"];

/// One input file of a batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    /// Position in the listing.
    pub index: usize,
    /// The file.
    pub path: PathBuf,
    /// Its path relative to the folder, with `/` (`区/dept.toml`): its name in summaries.
    pub name: String,
    /// `name` without its extension: the folder its outputs go to.
    pub stem: String,
    /// Another input with the same stem came first (its outputs would collide).
    pub duplicate_of: Option<String>,
}

/// Lists the inputs of `dir` (recursively, sorted by relative path), skipping hidden entries
/// and `skip` (the output folder when it lies inside).
pub fn list(dir: &Path, skip: Option<&Path>) -> std::io::Result<Vec<Input>> {
    list_with(dir, skip, INPUT_EXTENSIONS)
}

/// [`list`] of the files whose extension (any case) is one of `extensions`.
pub fn list_with(
    dir: &Path,
    skip: Option<&Path>,
    extensions: &[&str],
) -> std::io::Result<Vec<Input>> {
    let skip = skip.and_then(|s| s.canonicalize().ok());
    let mut found: Vec<(String, PathBuf)> = Vec::new();
    let mut pending = vec![(dir.to_path_buf(), String::new())];
    while let Some((folder, prefix)) = pending.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let entry = entry?;
            let file_name = entry.file_name();
            let Some(name) = file_name.to_str() else {
                continue;
            };
            if name.starts_with('.') {
                continue;
            }
            let path = entry.path();
            let rel = if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}/{name}")
            };
            let kind = entry.file_type()?;
            if kind.is_dir() {
                if skip
                    .as_ref()
                    .is_some_and(|s| path.canonicalize().ok().as_ref() == Some(s))
                {
                    continue;
                }
                pending.push((path, rel));
            } else if Path::new(name)
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e.to_ascii_lowercase().as_str()))
            {
                found.push((rel, path));
            }
        }
    }
    found.sort();
    let mut stems: BTreeMap<String, String> = BTreeMap::new();
    Ok(found
        .into_iter()
        .enumerate()
        .map(|(index, (name, path))| {
            let stem = match name.rsplit_once('.') {
                Some((s, _)) => s.to_string(),
                None => name.clone(),
            };
            let duplicate_of = stems.get(&stem).cloned();
            stems.entry(stem.clone()).or_insert_with(|| name.clone());
            Input {
                index,
                path,
                name,
                stem,
                duplicate_of,
            }
        })
        .collect())
}

/// How many departments may be in flight per worker.
const WINDOW_PER_JOB: usize = 4;

/// Runs `work` on every item (an [`Input`], or anything else) with `jobs` threads and gives
/// each result to `reduce`, in the order of `inputs`. `Err` carries the message of a panic
/// inside `work`.
pub fn run<I, T, W, R>(inputs: &[I], jobs: usize, work: W, mut reduce: R)
where
    I: Sync,
    T: Send,
    W: Fn(&I) -> T + Sync,
    R: FnMut(&I, Result<T, String>),
{
    let jobs = jobs.max(1);
    let window = jobs * WINDOW_PER_JOB;
    let (job_tx, job_rx) = bounded::<usize>(window);
    let (done_tx, done_rx) = bounded::<(usize, Result<T, String>)>(window);
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            let job_rx = job_rx.clone();
            let done_tx = done_tx.clone();
            let work = &work;
            scope.spawn(move || {
                for i in job_rx {
                    let input = &inputs[i];
                    let result =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(input)))
                            .map_err(|p| panic_message(&p));
                    if done_tx.send((i, result)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        let mut next_send = 0;
        let mut next_reduce = 0;
        let mut waiting: BTreeMap<usize, Result<T, String>> = BTreeMap::new();
        while next_reduce < inputs.len() {
            while next_send < inputs.len() && next_send < next_reduce + window {
                job_tx
                    .send(next_send)
                    .expect("workers live while jobs remain");
                next_send += 1;
            }
            let Ok((i, result)) = done_rx.recv() else {
                break;
            };
            waiting.insert(i, result);
            while let Some(result) = waiting.remove(&next_reduce) {
                reduce(&inputs[next_reduce], result);
                next_reduce += 1;
            }
        }
        drop(job_tx);
    });
}

fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

/// The default number of workers: the cores available.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(n: usize) -> Vec<Input> {
        (0..n)
            .map(|index| Input {
                index,
                path: PathBuf::new(),
                name: format!("{index}.toml"),
                stem: index.to_string(),
                duplicate_of: None,
            })
            .collect()
    }

    #[test]
    fn results_come_back_in_order_and_panics_are_reported() {
        let ins = inputs(200);
        let mut seen = Vec::new();
        run(
            &ins,
            3,
            |i| {
                // Later inputs finish first often enough to exercise the reordering.
                if i.index % 7 == 0 {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
                if i.index == 13 {
                    panic!("bad department");
                }
                i.index * 2
            },
            |i, r| seen.push((i.index, r)),
        );
        assert_eq!(seen.len(), 200);
        for (k, (i, r)) in seen.iter().enumerate() {
            assert_eq!(*i, k);
            match r {
                Ok(v) => assert_eq!(*v, k * 2),
                Err(m) => {
                    assert_eq!(k, 13);
                    assert!(m.contains("bad department"));
                }
            }
        }
    }

    #[test]
    fn listing_is_sorted_recursive_and_skips_hidden_and_output() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("b区")).unwrap();
        std::fs::create_dir_all(d.join("out")).unwrap();
        std::fs::create_dir_all(d.join(".git")).unwrap();
        for f in [
            "z.toml",
            "a.json",
            "a.toml",
            "b区/c.toml",
            "notes.txt",
            ".hidden.toml",
            "out/x.json",
            ".git/y.toml",
            "m.XLSX",
        ] {
            std::fs::write(d.join(f), "").unwrap();
        }
        let got = list(d, Some(&d.join("out"))).unwrap();
        let names: Vec<&str> = got.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(
            names,
            ["a.json", "a.toml", "b区/c.toml", "m.XLSX", "z.toml"]
        );
        assert_eq!(got[1].duplicate_of.as_deref(), Some("a.json"));
        assert_eq!(got[2].stem, "b区/c");
    }
}
