//! How long `audit` takes on each real report: `cargo bench -p juesuan-audit`.
//!
//! For each text report and each PDF (its `pdftotext -bbox-layout` output, made once before the
//! timing when poppler-utils is installed), prints the median and the fastest of 15 runs after
//! one warm-up, with one auditor (the built-in layouts, rules and lexicon, made once) as a
//! batch has. Reading the files, running pdftotext and the process's start are outside the
//! timing; decoding, reading the tables, placing, the narrative and every rule are inside. A
//! bench binary rather than criterion, to keep the build small.

use std::time::{Duration, Instant};

use juesuan_audit::Auditor;

fn median_and_fastest(mut run: impl FnMut()) -> (Duration, Duration) {
    run();
    let mut times: Vec<Duration> = (0..15)
        .map(|_| {
            let t = Instant::now();
            run();
            t.elapsed()
        })
        .collect();
    times.sort();
    (times[times.len() / 2], times[0])
}

fn ms(d: Duration) -> String {
    let tenths = (d.as_micros() + 50) / 100;
    format!("{}.{}", tenths / 10, tenths % 10)
}

fn main() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/reports");
    let names = |dir: &str, ext: &str| {
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(ext))
            .collect();
        files.sort();
        files
    };
    let auditor = Auditor::builtin().unwrap();
    println!("report\tmedian ms\tfastest ms");
    for file in names(root, ".txt") {
        let bytes = std::fs::read(format!("{root}/{file}")).unwrap();
        let (sm, sf) = median_and_fastest(|| {
            std::hint::black_box(auditor.audit(&file, &bytes).unwrap());
        });
        println!("{file}\t{}\t{}", ms(sm), ms(sf));
    }
    let pdfs = format!("{root}/pdf");
    for file in names(&pdfs, ".pdf") {
        let out = std::process::Command::new("pdftotext")
            .args(["-q", "-bbox-layout", &format!("{pdfs}/{file}"), "-"])
            .output();
        let Ok(out) = out.map(|o| o.stdout) else {
            println!("{file}\tpdftotext (poppler-utils) not installed: not timed");
            continue;
        };
        let xhtml = String::from_utf8(out).unwrap();
        let (sm, sf) = median_and_fastest(|| {
            std::hint::black_box(auditor.audit_bbox(&file, &xhtml).unwrap());
        });
        println!("{file}\t{}\t{}", ms(sm), ms(sf));
    }
}
