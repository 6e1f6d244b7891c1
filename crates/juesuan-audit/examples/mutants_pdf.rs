//! Measures how many one-figure mutations of the official PDFs `audit_bbox` detects.
//!
//! `cargo run --release -p juesuan-audit --example mutants_pdf [N]` runs `pdftotext
//! -bbox-layout` on each PDF in fixtures/reports/pdf, changes the text of one word that is a
//! non-zero amount on the pages of the tables (N mutants per report, chosen by a fixed-seed
//! generator, default 60; the word keeps its box, as if the PDF printed another figure in the
//! same place), audits the mutant and counts it detected when an error appears that the
//! original does not have. Changes as in the `mutants` example: +0.01, +1.00, +100.00, and two
//! adjacent digits swapped.

mod common;

use common::{Lcg, percent};
use juesuan_audit::text::{amount, is_page_marker};
use juesuan_core::diag::Severity;
use std::collections::BTreeSet;
use std::process::Command;

fn errors(name: &str, xhtml: &str) -> Option<BTreeSet<String>> {
    common::of(
        juesuan_audit::audit_bbox(name, xhtml).ok(),
        &[Severity::Error],
    )
}

/// Every word's text in the XHTML: (page, byte range of the text).
fn words(xhtml: &str) -> Vec<(u32, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut page = 0;
    let mut at = 0;
    while let Some(i) = xhtml[at..].find('<') {
        let start = at + i;
        let rest = &xhtml[start..];
        if rest.starts_with("<page") {
            page += 1;
        }
        if rest.starts_with("<word") {
            let Some(open_end) = rest.find('>') else {
                break;
            };
            let text_start = start + open_end + 1;
            let Some(close) = xhtml[text_start..].find("</word>") else {
                break;
            };
            out.push((page, text_start..text_start + close));
            at = text_start + close;
        } else {
            at = start + 1;
        }
    }
    out
}

fn main() {
    let per_doc: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(60);
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/reports/pdf");
    let mut files: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    files.sort();
    let kinds = ["+0.01", "+1.00", "+100.00", "swap"];
    let mut total = [0usize; 4];
    let mut caught = [0usize; 4];
    println!("report\tmutants\tdetected\trate");
    for file in &files {
        let out = Command::new("pdftotext")
            .args(["-q", "-bbox-layout", &format!("{root}/{file}"), "-"])
            .output()
            .expect("pdftotext (poppler-utils)");
        let xhtml = String::from_utf8(out.stdout).unwrap();
        let a = juesuan_audit::audit_bbox(file, &xhtml).unwrap();
        let base = errors(file, &xhtml).unwrap();
        // The pages of the tables: from the first table's title to the page after the last's.
        let doc = juesuan_audit::bbox::document(file, &xhtml).unwrap();
        let page_of = |line: u32| {
            doc.lines
                .iter()
                .take(line as usize)
                .filter(|l| is_page_marker(l))
                .count() as u32
        };
        let first = a.read.found.iter().map(|(_, l)| page_of(*l)).min().unwrap();
        let last = a.read.found.iter().map(|(_, l)| page_of(*l)).max().unwrap() + 1;
        let spots: Vec<std::ops::Range<usize>> = words(&xhtml)
            .into_iter()
            .filter(|(p, r)| {
                (first..=last).contains(p)
                    && amount(&xhtml[r.clone()]).is_some_and(|a| a.hundredths() != 0)
            })
            .map(|(_, r)| r)
            .collect();
        let mut rng = Lcg(0x5eed ^ file.len() as u64);
        let (mut n, mut d) = (0, 0);
        for m in 0..per_doc.min(spots.len() * 4) {
            let r = spots[rng.below(spots.len())].clone();
            let kind = m % 4;
            let old = &xhtml[r.clone()];
            let v = amount(old).unwrap().hundredths();
            let like = |h: i128| {
                let p = juesuan_core::money::Printed::from_hundredths(h);
                if old.contains(',') {
                    p.grouped()
                } else {
                    p.grouped().replace(',', "")
                }
            };
            let new = match kind {
                0 => like(v + 1),
                1 => like(v + 100),
                2 => like(v + 10_000),
                _ => {
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
            let mutant = format!("{}{new}{}", &xhtml[..r.start], &xhtml[r.end..]);
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
