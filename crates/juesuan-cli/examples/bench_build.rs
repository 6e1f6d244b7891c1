//! The README's two build figures as whole processes, paired: the example's `build` (XLSX +
//! HTML + JSON) and a folder's `build --batch`. With `--old BIN` the old binary and the new one
//! run in turn (A B A B …) and the ratio is taken pair by pair, so that a machine whose speed
//! drifts during the call still gives a meaningful ratio. Wall times only: peak memory is
//! `/usr/bin/time -v`'s. Run it from the repository, release binaries:
//!
//! ```sh
//! cargo build --release -p juesuan
//! cargo run --release -p juesuan --example bench_build -- --runs 21 --old /tmp/juesuan-old target/release/juesuan
//! target/release/juesuan -q gen --departments 1000 -o /tmp/g1k
//! cargo run --release -p juesuan --example bench_build -- --runs 3 --batch /tmp/g1k target/release/juesuan
//! ```
//!
//! Timings, not assertions.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One whole-process run of `bin`, its outputs in a fresh `out`.
fn run(bin: &Path, batch: Option<&Path>, out: &Path) -> Duration {
    // A batch refuses to overwrite, and a fresh folder is what a first build meets.
    let _ = std::fs::remove_dir_all(out);
    let mut cmd = Command::new(bin);
    cmd.arg("-q").arg("build");
    match batch {
        Some(dir) => cmd.arg("--batch").arg(dir).args(["--jobs", "2"]),
        None => cmd.arg("examples/hongshan-kjj-2023.toml"),
    };
    cmd.arg("-o")
        .arg(out)
        .args(["--format", "xlsx,html,json"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let t = Instant::now();
    let status = cmd.status().expect("the binary starts");
    let took = t.elapsed();
    assert!(status.success(), "{} failed: {status}", bin.display());
    took
}

fn median<T: Ord + Copy>(mut v: Vec<T>) -> T {
    v.sort();
    v[v.len() / 2]
}

/// `d` in milliseconds with one decimal, in integers (the workspace has no floats).
fn ms(d: Duration) -> String {
    let tenths = d.as_micros() / 100;
    format!("{}.{}", tenths / 10, tenths % 10)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut runs, mut old, mut batch, mut new) = (21usize, None, None, None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).expect("--runs N"),
            "--old" => old = args.next().map(PathBuf::from),
            "--batch" => batch = args.next().map(PathBuf::from),
            _ => new = Some(PathBuf::from(a)),
        }
    }
    let new = new.unwrap_or_else(|| PathBuf::from("target/release/juesuan"));
    let tmp = std::env::temp_dir().join(format!("juesuan-bench-{}", std::process::id()));
    let (out_new, out_old) = (tmp.join("new"), tmp.join("old"));
    let batch = batch.as_deref();
    // One unmeasured run of each: the files in the page cache, as for the measured runs.
    run(&new, batch, &out_new);
    if let Some(o) = &old {
        run(o, batch, &out_old);
    }
    let (mut a, mut b, mut ratio) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let ta = run(&new, batch, &out_new);
        a.push(ta);
        if let Some(o) = &old {
            let tb = run(o, batch, &out_old);
            b.push(tb);
            // In thousandths.
            ratio.push(ta.as_micros() * 1000 / tb.as_micros().max(1));
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    let what = match batch {
        Some(d) => format!("build --batch {}", d.display()),
        None => "build of the example".to_string(),
    };
    println!("{what}, {runs} runs, median wall:");
    println!("  new {} ms", ms(median(a)));
    if !b.is_empty() {
        let r = median(ratio);
        println!("  old {} ms", ms(median(b)));
        println!("  new/old, pair by pair: {}.{:03}", r / 1000, r % 1000);
    }
}
