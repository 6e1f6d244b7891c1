//! `juesuan audit --batch`: a folder of a few hundred published reports made from the real
//! fixture reports — each text report copied with a one-figure slip injected (a digit of one
//! table amount changed, a different one in each copy), the originals, the three official PDFs,
//! and a file that is no report — audited into the findings dataset. The manifest of what each
//! document must report is its single-file audit (`juesuan audit --format json FILE`): the
//! dataset holds exactly those findings, document by document, and its document rows count
//! them exactly; DuckDB runs the README's queries over the Parquet and agrees with the CSV.

mod support;

use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use support::{juesuan, repo};

/// Copies of each text report, each with one slip.
const COPIES: usize = 24;

/// What identifies a finding in both the JSON of a single audit and a row of `findings.csv`.
type Key = (String, String, String, String, String, String, String);

/// A single audit's findings and its counts of errors, warnings and infos; `None` when the
/// file is refused.
type Single = Option<(Vec<Key>, [usize; 3])>;

/// The text reports of the fixtures.
fn texts() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(repo().join("fixtures/reports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    v
}

/// The amounts of a line (`1,234.56`, `0.00`): byte ranges of their integer digit just before
/// the point.
fn amount_digits(line: &str) -> Vec<usize> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    for i in 1..b.len().saturating_sub(2) {
        if b[i] == b'.'
            && b[i - 1].is_ascii_digit()
            && b[i + 1].is_ascii_digit()
            && b[i + 2].is_ascii_digit()
            && b.get(i + 3).is_none_or(|c| !c.is_ascii_digit())
        {
            out.push(i - 1);
        }
    }
    out
}

/// `text` with slip `k`: on the `k`-th table line holding two or more amounts (spread over the
/// report), one amount's units digit raised by one (9 → 0) — a figure typed wrong.
fn slipped(text: &str, k: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let candidates: Vec<usize> = (0..lines.len())
        .filter(|&i| amount_digits(lines[i]).len() >= 2)
        .collect();
    assert!(!candidates.is_empty());
    let at = candidates[(k * 7919 + 13) % candidates.len()];
    let digits = amount_digits(lines[at]);
    let d = digits[k % digits.len()];
    let mut line = lines[at].as_bytes().to_vec();
    line[d] = if line[d] == b'9' { b'0' } else { line[d] + 1 };
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    out[at] = String::from_utf8(line).unwrap();
    out.join("\n") + "\n"
}

/// The findings of one single-file audit as keys, and its counts by severity.
fn single(path: &Path) -> Single {
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("juesuan"))
        .current_dir(repo())
        .args(["-q", "audit", "--format", "json"])
        .arg(path)
        .output()
        .unwrap();
    if out.status.code() == Some(2) {
        return None;
    }
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = |k: &str| v["summary"][k].as_u64().unwrap_or(0) as usize;
    let keys = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let l = &f["location"];
            let t = |x: &Value| x.as_str().unwrap_or_default().to_string();
            (
                t(&f["rule"]),
                t(&f["severity"]),
                t(&l["table"]),
                t(&l["row"]),
                t(&l["column"]),
                t(&f["found"]),
                t(&f["expected"]),
            )
        })
        .collect();
    Some((keys, [s("errors"), s("warnings"), s("infos")]))
}

#[test]
fn a_folder_of_reports_gives_the_single_audits_findings_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("reports");
    std::fs::create_dir_all(dir.join("slips")).unwrap();
    std::fs::create_dir_all(dir.join("pdf")).unwrap();
    for t in texts() {
        let name = t.file_name().unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(&t).unwrap();
        std::fs::write(dir.join(&name), &text).unwrap();
        let stem = name.trim_end_matches(".txt");
        for k in 0..COPIES {
            std::fs::write(
                dir.join("slips").join(format!("{stem}-{k:02}.txt")),
                slipped(&text, k),
            )
            .unwrap();
        }
    }
    for e in std::fs::read_dir(repo().join("fixtures/reports/pdf")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|e| e == "pdf") {
            std::fs::copy(&p, dir.join("pdf").join(p.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(dir.join("notes.txt"), "会议纪要\n没有表格。\n").unwrap();
    let out = tmp.path().join("audit");
    let run = juesuan()
        .args(["-q", "audit", "--batch"])
        .arg(&dir)
        .arg("-o")
        .arg(&out)
        .args(["--jobs", "2"])
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for f in [
        "findings.csv",
        "findings.parquet",
        "documents.csv",
        "documents.parquet",
        "datapackage.json",
        "index.html",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }

    // The dataset, per file.
    let mut rows: BTreeMap<String, Vec<Key>> = BTreeMap::new();
    let mut reader = csv::Reader::from_path(out.join("findings.csv")).unwrap();
    let head = reader.headers().unwrap().clone();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let (file, rule, sev, table, row, column, found, expected) = (
        col("file"),
        col("rule"),
        col("severity"),
        col("table"),
        col("row"),
        col("column"),
        col("found"),
        col("expected"),
    );
    let mut csv_found_sum = Decimal::ZERO;
    for r in reader.records() {
        let r = r.unwrap();
        rows.entry(r[file].to_string()).or_default().push((
            r[rule].to_string(),
            r[sev].to_string(),
            r[table].to_string(),
            r[row].to_string(),
            r[column].to_string(),
            r[found].to_string(),
            r[expected].to_string(),
        ));
        let v = &r[col("found_value")];
        if !v.is_empty() {
            let value = Decimal::from_str(v).unwrap();
            csv_found_sum += value;
            // The value is the printed figure, exactly: a rate as printed, a table's figure
            // in 元.
            let printed = r[found].replace(',', "");
            let printed = printed.trim_end_matches('%');
            match (&r[col("value_unit")], &r[table]) {
                ("%", _) => assert_eq!(value, Decimal::from_str(printed).unwrap(), "{r:?}"),
                ("元", t) if t != "narrative" => {
                    let printed = Decimal::from_str(printed).unwrap();
                    assert!(
                        value == printed * Decimal::from(10_000) || value == printed,
                        "a table in 万元 or in 元: {r:?}"
                    );
                }
                _ => {}
            }
        }
    }
    let mut docs: BTreeMap<String, csv::StringRecord> = BTreeMap::new();
    let mut reader = csv::Reader::from_path(out.join("documents.csv")).unwrap();
    let dhead = reader.headers().unwrap().clone();
    let dcol = |name: &str| dhead.iter().position(|h| h == name).unwrap();
    for r in reader.records() {
        let r = r.unwrap();
        docs.insert(r[dcol("file")].to_string(), r);
    }
    let names: Vec<String> = docs.keys().cloned().collect();
    assert_eq!(names.len(), 8 * (COPIES + 1) + 3 + 1);

    // The manifest: every document's single-file audit, two at a time.
    let manifest: Vec<(String, Single)> = std::thread::scope(|s| {
        let half = names.len() / 2;
        let parts: Vec<_> = [&names[..half], &names[half..]]
            .into_iter()
            .map(|part| {
                let dir = &dir;
                s.spawn(move || {
                    part.iter()
                        .map(|n| (n.clone(), single(&dir.join(n))))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        parts.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });

    let originals: BTreeMap<String, Vec<Key>> = manifest
        .iter()
        .filter(|(n, _)| !n.contains('/'))
        .filter_map(|(n, m)| {
            Some((
                n.trim_end_matches(".txt").to_string(),
                m.as_ref()?.0.clone(),
            ))
        })
        .collect();
    let mut detected = 0;
    for (name, want) in &manifest {
        let doc = &docs[name];
        match want {
            None => {
                assert_eq!(&doc[dcol("status")], "unreadable", "{name}");
                assert_eq!(&doc[dcol("problem_code")], "E0903", "{name}");
                assert!(!rows.contains_key(name), "{name}");
            }
            Some((keys, counts)) => {
                assert_eq!(&doc[dcol("status")], "audited", "{name}");
                let mut want = keys.clone();
                let mut got = rows.get(name).cloned().unwrap_or_default();
                want.sort();
                got.sort();
                assert_eq!(
                    got, want,
                    "{name}: the dataset's findings are the single audit's"
                );
                for (k, c) in ["errors", "warnings", "infos"].iter().enumerate() {
                    assert_eq!(
                        doc[dcol(c)].parse::<usize>().unwrap(),
                        counts[k],
                        "{name} {c}"
                    );
                }
                // A slip the single audit finds (a finding its original lacks) is counted.
                if let Some(rest) = name.strip_prefix("slips/") {
                    let stem = &rest[..rest.len() - "-00.txt".len()];
                    let base: BTreeSet<&Key> = originals[stem].iter().collect();
                    if keys.iter().any(|k| !base.contains(k)) {
                        detected += 1;
                    }
                }
            }
        }
    }
    eprintln!(
        "{detected} of {} slips reported by the single audit, and so in the dataset",
        8 * COPIES
    );
    assert!(detected * 10 >= 8 * COPIES * 7, "{detected} slips found");

    // The README's queries, by DuckDB over the Parquet.
    let duck = |query: &str| -> Vec<Vec<String>> {
        let script = format!(
            "import duckdb\nfor r in duckdb.sql(\"\"\"{query}\"\"\").fetchall():\n    print('\\t'.join(str(x) for x in r))\n"
        );
        let o = std::process::Command::new("python3")
            .arg("-c")
            .arg(&script)
            .current_dir(&out)
            .output()
            .expect("python3");
        assert!(
            o.status.success(),
            "DuckDB (pip install duckdb; scripts/test installs it): {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout)
            .unwrap()
            .lines()
            .map(|l| l.split('\t').map(str::to_string).collect())
            .collect()
    };
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let queries: Vec<String> = readme
        .split("```sql\n")
        .skip(1)
        .map(|s| {
            s.lines()
                .take_while(|l| l.trim() != "```")
                .collect::<Vec<_>>()
                .join("\n")
        })
        .filter(|q| q.contains("documents.parquet") || q.contains("findings.parquet"))
        .collect();
    assert_eq!(queries.len(), 2, "the README shows the two dataset queries");
    // Departments ranked by errors: the CSV's sums.
    let mut by_department: BTreeMap<String, usize> = BTreeMap::new();
    for d in docs.values() {
        if &d[dcol("status")] == "audited" {
            *by_department
                .entry(d[dcol("department")].to_string())
                .or_default() += d[dcol("errors")].parse::<usize>().unwrap();
        }
    }
    let ranked = duck(&queries[0]);
    assert_eq!(ranked.len(), by_department.len());
    for r in &ranked {
        assert_eq!(
            r[1].parse::<usize>().unwrap(),
            by_department[&r[0]],
            "{r:?}"
        );
    }
    let errors: Vec<usize> = ranked.iter().map(|r| r[1].parse().unwrap()).collect();
    assert!(errors.windows(2).all(|w| w[0] >= w[1]), "{errors:?}");
    // Rules by frequency: the CSV's counts.
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    for keys in rows.values() {
        for k in keys {
            *by_rule.entry(k.0.clone()).or_default() += 1;
        }
    }
    let rules = duck(&queries[1]);
    assert_eq!(rules.len(), by_rule.len());
    for r in &rules {
        assert_eq!(r[1].parse::<usize>().unwrap(), by_rule[&r[0]], "{r:?}");
    }
    // The values are exact decimals in Parquet too.
    let sum = duck("SELECT sum(found_value) FROM 'findings.parquet'");
    assert_eq!(Decimal::from_str(&sum[0][0]).unwrap(), csv_found_sum);

    // The summary page links every audited document's own page, which exists.
    // minijinja escapes `/` in attributes; a browser reads `&#x2f;` as `/`.
    let index = std::fs::read_to_string(out.join("index.html"))
        .unwrap()
        .replace("&#x2f;", "/");
    for (name, m) in &manifest {
        if m.is_some() {
            let link = format!("href=\"documents/{name}.html\"");
            assert!(index.contains(&link), "{link}");
            assert!(out.join("documents").join(format!("{name}.html")).is_file());
        }
    }
}
