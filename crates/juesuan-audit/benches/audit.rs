//! How long `audit` takes on each real report: `cargo bench -p juesuan-audit`.
//!
//! Prints the median and the fastest of 15 runs per report (text), after one warm-up. Reading
//! the files is outside the timing; decoding, reading the tables, placing, the narrative and
//! every rule are inside. A bench binary rather than criterion, to keep the build small.

use std::time::{Duration, Instant};

fn main() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/reports");
    let mut files: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    files.sort();
    println!("report\tlines\tmedian ms\tfastest ms");
    for file in files {
        let bytes = std::fs::read(format!("{root}/{file}")).unwrap();
        let lines = bytes.iter().filter(|b| **b == b'\n').count();
        juesuan_audit::audit(&file, &bytes).unwrap();
        let mut times: Vec<Duration> = (0..15)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(juesuan_audit::audit(&file, &bytes).unwrap());
                t.elapsed()
            })
            .collect();
        times.sort();
        println!(
            "{file}\t{lines}\t{}\t{}",
            times[times.len() / 2].as_millis(),
            times[0].as_millis()
        );
    }
}
