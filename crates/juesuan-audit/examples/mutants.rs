//! Measures how many one-figure mutations of real reports `audit` detects.
//!
//! `cargo run --release -p juesuan-audit --example mutants [N]` takes each report in
//! fixtures/reports, changes one printed amount in its tables (N mutants per report, chosen by
//! a fixed-seed generator, default 60), audits the mutant and counts it detected when an
//! error appears that the original does not have. Changes: +0.01 (one cent, within rounding
//! tolerance of most sums by design), +1.00, +100.00, and two adjacent digits swapped.

use juesuan_audit::text::amount;
use juesuan_core::diag::Severity;
use std::collections::BTreeSet;

/// A small deterministic generator (64-bit LCG), so the figures can be reproduced.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn errors(name: &str, text: &str) -> Option<BTreeSet<String>> {
    let a = juesuan_audit::audit(name, text.as_bytes()).ok()?;
    Some(
        a.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| format!("{} {}", f.rule, f.location))
            .collect(),
    )
}

/// The printed form of `hundredths` in the style of `like` (grouped or plain).
fn print_like(like: &str, hundredths: i128) -> String {
    let p = juesuan_core::money::Printed::from_hundredths(hundredths);
    if like.contains(',') {
        p.grouped()
    } else {
        p.plain_two()
    }
}

trait PlainTwo {
    fn plain_two(self) -> String;
}

impl PlainTwo for juesuan_core::money::Printed {
    /// `1234.50`: two decimals, no separators.
    fn plain_two(self) -> String {
        self.grouped().replace(',', "")
    }
}

/// `part / whole` as a whole percentage, rounded half up.
fn percent(part: usize, whole: usize) -> usize {
    (part * 200 + whole.max(1)) / (2 * whole.max(1))
}

fn main() {
    let per_doc: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(60);
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/reports");
    let mut files: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    files.sort();
    let kinds = ["+0.01", "+1.00", "+100.00", "swap"];
    let mut total = [0usize; 4];
    let mut caught = [0usize; 4];
    println!("report\tmutants\tdetected\trate");
    for file in &files {
        let text = std::fs::read_to_string(format!("{root}/{file}")).unwrap();
        let a = juesuan_audit::audit(file, text.as_bytes()).unwrap();
        let base = errors(file, &text).unwrap();
        let lines: Vec<&str> = text.split('\n').collect();
        let first = a
            .read
            .found
            .iter()
            .map(|(_, l)| *l as usize)
            .min()
            .unwrap_or(1);
        let last_title = a
            .read
            .found
            .iter()
            .map(|(_, l)| *l as usize)
            .max()
            .unwrap_or(1);
        let end = (last_title..lines.len())
            .find(|&i| lines[i].trim_start().starts_with('注'))
            .unwrap_or(lines.len());
        // Every amount in the tables: (line index, word index).
        let mut spots = Vec::new();
        for (i, line) in lines.iter().enumerate().take(end).skip(first) {
            for (w, word) in line.split(['\t', ' ']).enumerate() {
                if amount(word).is_some_and(|p| p.hundredths() != 0) {
                    spots.push((i, w));
                }
            }
        }
        let mut rng = Lcg(0x5eed ^ file.len() as u64);
        let (mut n, mut d) = (0, 0);
        for m in 0..per_doc.min(spots.len() * 4) {
            let (i, w) = spots[rng.below(spots.len())];
            let kind = m % 4;
            let words: Vec<&str> = lines[i].split(['\t', ' ']).collect();
            let old = words[w];
            let v = amount(old).unwrap().hundredths();
            let new = match kind {
                0 => print_like(old, v + 1),
                1 => print_like(old, v + 100),
                2 => print_like(old, v + 10_000),
                _ => {
                    // Swap two adjacent different digits.
                    let mut c: Vec<char> = old.chars().collect();
                    let pairs: Vec<usize> = (0..c.len() - 1)
                        .filter(|&k| {
                            c[k].is_ascii_digit() && c[k + 1].is_ascii_digit() && c[k] != c[k + 1]
                        })
                        .collect();
                    if pairs.is_empty() {
                        continue;
                    }
                    let k = pairs[rng.below(pairs.len())];
                    c.swap(k, k + 1);
                    c.into_iter().collect()
                }
            };
            // Rebuild the line with its separators.
            let mut out = String::new();
            let mut word = 0;
            let mut current = String::new();
            for ch in lines[i].chars() {
                if ch == '\t' || ch == ' ' {
                    out.push_str(if word == w { &new } else { &current });
                    out.push(ch);
                    current.clear();
                    word += 1;
                } else {
                    current.push(ch);
                }
            }
            out.push_str(if word == w { &new } else { &current });
            let mut mutated = lines.clone();
            mutated[i] = &out;
            let mutant = mutated.join("\n");
            let Some(found) = errors(file, &mutant) else {
                continue;
            };
            n += 1;
            total[kind] += 1;
            if found.difference(&base).next().is_some() {
                d += 1;
                caught[kind] += 1;
            }
        }
        println!("{file}\t{n}\t{d}\t{}%", percent(d, n));
    }
    for k in 0..4 {
        println!(
            "{}\t{}\t{}\t{}%",
            kinds[k],
            total[k],
            caught[k],
            percent(caught[k], total[k])
        );
    }
}
