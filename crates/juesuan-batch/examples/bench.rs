//! Where the time of one department goes, in process: generation, reading and building the
//! views, the rule catalog, each renderer, and the atomic write, for generated departments.
//! Medians over the departments, in microseconds; run it in release:
//!
//! ```sh
//! cargo run --release -p juesuan-batch --example bench -- 300
//! ```
//!
//! Timings, not assertions: the README's PERFORMANCE section quotes them.

use juesuan_batch::synth::{Params, generate};
use juesuan_core::Lang;
use juesuan_publish::{Format, Request, Setup, SetupOptions, check_bytes, publish};
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> u128 {
    v.sort();
    v[v.len() / 2].as_micros()
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    let t = Instant::now();
    let setup = Setup::new(SetupOptions::default()).expect("setup");
    println!(
        "setup (catalog, rules; once per run): {} µs",
        t.elapsed().as_micros()
    );
    let params = Params {
        departments: n,
        ..Params::default()
    };
    let dir = tempfile::tempdir().expect("tmp");
    let mut stages: Vec<(&str, Vec<Duration>)> = [
        "generate",
        "read+build views",
        "rules",
        "xlsx",
        "html (report + tables)",
        "json",
        "write (atomic, fsync)",
        "total",
    ]
    .into_iter()
    .map(|s| (s, Vec::new()))
    .collect();
    let mut bytes = 0;
    for i in 0..n {
        let start = Instant::now();
        let g = generate(&setup.catalog, &params, i);
        let t1 = Instant::now();
        let source = juesuan_input::Source::new(g.file.clone(), g.text.clone());
        let built =
            juesuan_input::compile::compile(&source, &setup.assets, &setup.catalog, &setup.layout)
                .expect("valid");
        let t2 = Instant::now();
        let checked = juesuan_publish::pipeline::check_compiled(&setup, built).expect("checked");
        let t3 = Instant::now();
        let mut times = vec![t1 - start, t2 - t1, t3 - t2];
        let mut files = Vec::new();
        for f in [Format::Xlsx, Format::Html, Format::Json] {
            let s = Instant::now();
            let p = publish(
                &setup,
                &checked,
                &Request {
                    input: &g.file,
                    stem: g.file.trim_end_matches(".toml"),
                    formats: &[f],
                    allow_errors: false,
                    lang: Lang::Zh,
                },
                &|_| unreachable!("no PDF"),
            )
            .expect("published");
            times.push(s.elapsed());
            for f in p.files {
                if !files.iter().any(|(n, _): &(String, Vec<u8>)| *n == f.0) {
                    files.push(f);
                }
            }
        }
        let s = Instant::now();
        bytes += files.iter().map(|(_, b)| b.len()).sum::<usize>();
        juesuan_publish::output::write_all(&dir.path().join(i.to_string()), &files, &[])
            .expect("written");
        times.push(s.elapsed());
        times.push(start.elapsed());
        for ((_, v), t) in stages.iter_mut().zip(times) {
            v.push(t);
        }
        // check_bytes is what the batch calls: make sure it agrees.
        debug_assert!(check_bytes(&setup, &g.file, g.text.as_bytes()).is_ok());
    }
    println!("{n} generated departments, median per department (µs):");
    for (name, v) in stages {
        println!("  {name:<24} {:>8}", median(v));
    }
    println!("  output bytes per department: {}", bytes / n.max(1));
    println!(
        "note: html and json each render the report once when asked alone; a build asking for both renders it once."
    );
}
