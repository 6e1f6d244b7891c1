//! Measures how many one-figure mutations of real reports `audit` detects.
//!
//! `cargo run --release -p juesuan-audit --example mutants [N]` takes each report in
//! fixtures/reports, changes one printed amount in its tables (N mutants per report, chosen by
//! a fixed-seed generator, default 60), audits the mutant and counts it detected when an
//! error appears that the original does not have. Changes: +0.01 (one cent, within rounding
//! tolerance of most sums by design), +1.00, +100.00, and two adjacent digits swapped. Then
//! as many mutants of numbers in the 情况说明 (amounts in 万元 and percentages): the last
//! digit changed, or two adjacent digits swapped; detected when an error or warning appears.

mod common;

use common::{Lcg, percent};
use juesuan_audit::text::amount;
use juesuan_core::diag::Severity;
use std::collections::BTreeSet;

/// Errors and warnings (the narrative's name checks are warnings).
fn findings(name: &str, text: &str) -> Option<BTreeSet<String>> {
    common::of(
        juesuan_audit::audit(name, text.as_bytes()).ok(),
        &[Severity::Error, Severity::Warning],
    )
}

fn errors(name: &str, text: &str) -> Option<BTreeSet<String>> {
    common::of(
        juesuan_audit::audit(name, text.as_bytes()).ok(),
        &[Severity::Error],
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
    let (mut narrative_total, mut narrative_caught) = (0, 0);
    println!("report\tmutants\tdetected\trate");
    for file in &files {
        let text = std::fs::read_to_string(format!("{root}/{file}")).unwrap();
        let a = juesuan_audit::audit(file, text.as_bytes()).unwrap();
        let base = errors(file, &text).unwrap();
        let base_all = findings(file, &text).unwrap();
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
        // The 情况说明 (第三部分 to 第四部分): numbers followed by 万元 or %.
        let squash = |l: &str| l.split_whitespace().collect::<String>();
        let from = (end..lines.len())
            .find(|&i| squash(lines[i]).starts_with("第三部分"))
            .unwrap_or(lines.len());
        let to = (from + 1..lines.len())
            .find(|&i| squash(lines[i]).starts_with("第四部分"))
            .unwrap_or(lines.len());
        let mut spots: Vec<(usize, usize, usize)> = Vec::new();
        for (i, line) in lines.iter().enumerate().take(to).skip(from) {
            let b = line.as_bytes();
            let mut k = 0;
            while k < b.len() {
                if b[k].is_ascii_digit() && (k == 0 || !b[k - 1].is_ascii_digit()) {
                    let start = k;
                    while k < b.len() && (b[k].is_ascii_digit() || b[k] == b'.' || b[k] == b',') {
                        k += 1;
                    }
                    let rest = &line[k..];
                    let rest = rest.trim_start();
                    if rest.starts_with("万元") || rest.starts_with('%') {
                        spots.push((i, start, k));
                    }
                } else {
                    k += 1;
                }
            }
        }
        let (mut n, mut d) = (0, 0);
        for m in 0..per_doc.min(spots.len() * 2) {
            let (i, a, b) = spots[rng.below(spots.len())];
            let old = &lines[i][a..b];
            let digits: Vec<usize> = old
                .char_indices()
                .filter(|(_, c)| c.is_ascii_digit())
                .map(|(j, _)| j)
                .collect();
            let new: String = if m % 2 == 0 {
                // The last digit one up (9 becomes 0 with the one before it up: just +1 on
                // the last digit, wrapping, is a change of one unit or nine).
                let mut c: Vec<char> = old.chars().collect();
                let j = *digits.last().unwrap_or(&0);
                c[j] = if c[j] == '9' {
                    '8'
                } else {
                    char::from(c[j] as u8 + 1)
                };
                c.into_iter().collect()
            } else {
                let pairs: Vec<usize> = digits
                    .windows(2)
                    .filter(|w| w[1] == w[0] + 1 && old.as_bytes()[w[0]] != old.as_bytes()[w[1]])
                    .map(|w| w[0])
                    .collect();
                if pairs.is_empty() {
                    continue;
                }
                let j = pairs[rng.below(pairs.len())];
                let mut c: Vec<u8> = old.bytes().collect();
                c.swap(j, j + 1);
                String::from_utf8(c).unwrap_or_default()
            };
            let changed = format!("{}{new}{}", &lines[i][..a], &lines[i][b..]);
            let mut mutated = lines.clone();
            mutated[i] = &changed;
            let Some(found) = findings(file, &mutated.join("\n")) else {
                continue;
            };
            n += 1;
            if found.difference(&base_all).next().is_some() {
                d += 1;
            }
        }
        narrative_total += n;
        narrative_caught += d;
        println!("{file} (narrative)\t{n}\t{d}\t{}%", percent(d, n));
    }
    println!(
        "narrative\t{narrative_total}\t{narrative_caught}\t{}%",
        percent(narrative_caught, narrative_total)
    );
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
