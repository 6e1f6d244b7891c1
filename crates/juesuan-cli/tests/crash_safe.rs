//! Crash-safe outputs: `juesuan build` killed with SIGKILL at any moment leaves, under every
//! final name, the previous good file or the new complete one, byte for byte, never a part;
//! and the input, made read-only, is neither written nor touched.
//!
//! The outputs of two department-years (A and B, built from one input path) are known in
//! advance. The input alternates between them at random; each build is killed the moment it
//! starts writing (the window that matters), or after a random delay (0 to 1.5 × a typical
//! run), or allowed to finish.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};
use support::repo;

type Outputs = BTreeMap<String, Vec<u8>>;

const STEM: &str = "dept";

/// A small xorshift generator; the seed is printed on failure to replay a run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn build(dir: &Path) -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("juesuan"));
    c.current_dir(dir)
        .args(["build", "--format", "xlsx,html,json", "-o", "out"])
        .arg(format!("{STEM}.toml"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// The visible files of `out` (temporary files are hidden: `.NAME.PID.tmp`).
fn visible(out: &Path) -> Outputs {
    let Ok(entries) = std::fs::read_dir(out) else {
        return Outputs::new();
    };
    entries
        .map(|e| e.unwrap())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn hidden(out: &Path) -> Vec<String> {
    std::fs::read_dir(out)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default()
}

/// Replaces the input with `text`, read-only, and returns its modification time.
fn set_input(dir: &Path, text: &str) -> SystemTime {
    let path = dir.join(format!("{STEM}.toml"));
    if path.exists() {
        let mut p = std::fs::metadata(&path).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        // the test's own file, made writable to replace it
        p.set_readonly(false);
        std::fs::set_permissions(&path, p).unwrap();
    }
    std::fs::write(&path, text).unwrap();
    let mut p = std::fs::metadata(&path).unwrap().permissions();
    p.set_readonly(true);
    std::fs::set_permissions(&path, p).unwrap();
    std::fs::metadata(&path).unwrap().modified().unwrap()
}

/// Builds `text` to completion in a scratch folder: its outputs, and how long it took.
fn reference(text: &str) -> (Outputs, Duration) {
    let dir = tempfile::tempdir().unwrap();
    set_input(dir.path(), text);
    let start = Instant::now();
    let status = build(dir.path()).status().unwrap();
    let took = start.elapsed();
    assert_eq!(status.code(), Some(0));
    let outputs = visible(&dir.path().join("out"));
    assert!(outputs.len() >= 4, "{:?}", outputs.keys());
    // Byte-identical comparisons mean something only if a build is deterministic.
    let again = tempfile::tempdir().unwrap();
    set_input(again.path(), text);
    build(again.path()).status().unwrap();
    assert!(
        visible(&again.path().join("out")) == outputs,
        "two builds of one input differ"
    );
    (outputs, took)
}

#[test]
fn killed_builds_never_leave_a_partial_output_nor_touch_the_input() {
    let texts = [
        std::fs::read_to_string(repo().join("examples/three-units-2024.toml")).unwrap(),
        std::fs::read_to_string(repo().join("examples/shanghai-putuo-czj-2024.toml")).unwrap(),
    ];
    let (a, took_a) = reference(&texts[0]);
    let (b, took_b) = reference(&texts[1]);
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "both inputs write the same names"
    );
    assert!(a.values().zip(b.values()).all(|(x, y)| x != y));
    let versions = [&a, &b];
    let typical = took_a.max(took_b);

    let seed = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // The previous good outputs: A, built to completion.
    set_input(dir.path(), &texts[0]);
    assert_eq!(build(dir.path()).status().unwrap().code(), Some(0));
    let mut current: Vec<usize> = vec![0; a.len()];
    let (mut killed, mut mid_write, mut finished) = (0, 0_usize, 0);
    for round in 0..40 {
        let next = rng.below(2) as usize;
        let mtime = set_input(dir.path(), &texts[next]);
        let mut child = build(dir.path()).spawn().unwrap();
        // 0: at the first sign of writing; 1, 2: after a random delay; 3: never.
        let how = rng.below(4);
        let start = Instant::now();
        let mut caught_writing = false;
        if how == 0 {
            // Kill as soon as a temporary file shows or an output starts to change (as one
            // written in place would), after 0–500 µs more.
            let limit = typical * 20;
            let untouched = || {
                hidden(&out).is_empty()
                    && a.keys().enumerate().all(|(i, name)| {
                        std::fs::metadata(out.join(name))
                            .is_ok_and(|m| m.len() == versions[current[i]][name].len() as u64)
                    })
            };
            while untouched() && start.elapsed() < limit {
                if child.try_wait().unwrap().is_some() {
                    break;
                }
                std::hint::spin_loop();
            }
            caught_writing = !untouched();
            std::thread::sleep(Duration::from_micros(rng.below(500)));
        } else if how < 3 {
            let range = typical.as_micros() as u64 * 3 / 2;
            std::thread::sleep(Duration::from_micros(rng.below(range)));
        }
        if how < 3 {
            let _ = child.kill(); // SIGKILL
        }
        let status = child.wait().unwrap();
        if status.success() {
            finished += 1;
        } else {
            killed += 1;
            mid_write += usize::from(caught_writing);
        }
        let context = format!("round {round} (seed {seed}, status {status:?})");

        let now = visible(&out);
        assert_eq!(
            now.keys().collect::<Vec<_>>(),
            a.keys().collect::<Vec<_>>(),
            "{context}: files other than the outputs"
        );
        for (i, (name, bytes)) in now.iter().enumerate() {
            if *bytes == versions[current[i]][name] {
                continue;
            }
            assert!(
                *bytes == versions[next][name],
                "{context}: {name} is neither the previous good file nor the new one \
                 ({} bytes)",
                bytes.len()
            );
            current[i] = next;
        }
        if status.success() {
            assert!(
                current.iter().all(|&v| v == next),
                "{context}: a finished build wrote all"
            );
            assert!(
                hidden(&out).is_empty(),
                "{context}: temporary files left: {:?}",
                hidden(&out)
            );
        }
        let input = dir.path().join(format!("{STEM}.toml"));
        let meta = std::fs::metadata(&input).unwrap();
        assert!(meta.permissions().readonly(), "{context}");
        assert_eq!(meta.modified().unwrap(), mtime, "{context}: input touched");
        assert_eq!(std::fs::read_to_string(&input).unwrap(), texts[next]);
    }
    // Builds died, some while writing, and others finished (every fourth is left to).
    assert!(
        killed >= 5 && mid_write > 0 && finished > 0,
        "killed {killed}, mid-write {mid_write}, finished {finished} (seed {seed})"
    );
    // The next complete build cleans what the killed ones left.
    set_input(dir.path(), &texts[1]);
    assert_eq!(build(dir.path()).status().unwrap().code(), Some(0));
    assert_eq!(visible(&out), b);
    assert!(hidden(&out).is_empty(), "{:?}", hidden(&out));
}
