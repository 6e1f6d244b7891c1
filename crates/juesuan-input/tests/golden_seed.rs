//! Golden test: the nine tables built from `examples/hongshan-kjj-2023.toml` equal, cell by
//! cell, the tables printed in the real 2023 report (`fixtures/reports/wuhan-hongshan-kjj-2023.txt`).
//!
//! Expected values are read from the fixture, never typed here. Tolerances for printing
//! artefacts are data in `wuhan-hongshan-kjj-2023.expect.toml`, each with its reason.

use juesuan_core::Lang;
use juesuan_core::money::AmountUnit;
use juesuan_core::views::View;
use juesuan_input::compile::compile_with_builtins;
use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[derive(serde::Deserialize)]
struct Expect {
    allow: Vec<Allow>,
}

#[derive(serde::Deserialize)]
struct Allow {
    table: String,
    kind: String,
    #[serde(default)]
    max: usize,
    #[serde(default)]
    tokens: Vec<String>,
    #[allow(dead_code)]
    why: String,
}

fn tokens(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

/// The printed lines of one table: from after the 金额单位 line to before the 注 line, as
/// (1-based line number, tokens); and the index of the 注 line.
fn section(lines: &[&str], view: &View) -> (usize, Vec<(usize, Vec<String>)>) {
    let number = view.number.as_ref().expect("numbered table").zh.clone();
    let title = &view.title.zh;
    let start = (0..lines.len())
        .find(|&i| {
            lines[i].trim() == title
                && lines[i + 1..]
                    .iter()
                    .find(|l| !l.trim().is_empty())
                    .is_some_and(|l| l.trim() == number)
        })
        .unwrap_or_else(|| panic!("{title} ({number}) not found in the fixture"));
    let meta = (start..lines.len())
        .find(|&i| lines[i].contains("金额单位"))
        .expect("金额单位 line");
    let end = (meta..lines.len())
        .find(|&i| lines[i].trim_start().starts_with('注'))
        .expect("注 line");
    let body = (meta + 1..end)
        .map(|i| (i + 1, tokens(lines[i])))
        .filter(|(_, t)| !t.is_empty())
        .collect();
    (end, body)
}

/// Differences between one generated table and its printed copy.
fn compare(view: &View, lines: &[&str], allow: &[&Allow], unit: AmountUnit) -> Vec<String> {
    let mut errors = Vec::new();
    let table = view.id.key();
    let (note_line, printed) = section(lines, view);
    let mut printed = printed.into_iter();

    // Header: the same words in the same order; the print may break lines differently.
    let mut header: Vec<_> = view.header.iter().collect();
    header.sort_by_key(|c| (c.row, c.col));
    let mut want: Vec<String> = header.iter().flat_map(|c| tokens(&c.text.zh)).collect();
    for a in allow.iter().filter(|a| a.kind == "missing_header_tokens") {
        for t in &a.tokens {
            if let Some(p) = want.iter().rposition(|w| w == t) {
                want.remove(p);
            }
        }
    }
    let mut got: Vec<String> = Vec::new();
    while got.len() < want.len() {
        match printed.next() {
            Some((_, t)) => got.extend(t),
            None => break,
        }
    }
    if got != want {
        errors.push(format!(
            "{table}: header\n  printed:   {got:?}\n  generated: {want:?}"
        ));
    }

    // Body: row by row, cell by cell.
    let trailing = allow
        .iter()
        .find(|a| a.kind == "trailing_zero_cells")
        .map_or(0, |a| a.max);
    let mut compared = 0;
    for (r, row) in view.body_grid(Lang::Zh, unit).iter().enumerate() {
        let want: Vec<String> = row.iter().flat_map(|c| tokens(&c.text())).collect();
        let Some((line, mut got)) = printed.next() else {
            errors.push(format!(
                "{table}: generated row {} is not in the fixture: {want:?}",
                r + 1
            ));
            continue;
        };
        compared += 1;
        let extra = got.len().saturating_sub(want.len());
        if extra > 0 && extra <= trailing && got[want.len()..].iter().all(|t| t == "0.00") {
            got.truncate(want.len());
        }
        if got != want {
            errors.push(format!(
                "{table}: fixture line {line}\n  printed:   {got:?}\n  generated: {want:?}"
            ));
        }
    }
    for (line, extra) in printed {
        errors.push(format!(
            "{table}: fixture line {line} has no generated row: {extra:?}"
        ));
    }
    assert!(compared > 0, "{table}: no rows compared");
    // An empty table says so right after its note, as the print does.
    if let Some(note) = &view.empty_note {
        let said = lines[note_line..]
            .iter()
            .take(4)
            .any(|l| l.trim() == note.zh);
        if !said {
            errors.push(format!(
                "{table}: the fixture does not print {:?} after the note",
                note.zh
            ));
        }
    }
    errors
}

#[test]
fn seed_tables_reproduced_to_the_cent() {
    let root = repo();
    let text =
        std::fs::read_to_string(root.join("fixtures/reports/wuhan-hongshan-kjj-2023.txt")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let expect: Expect = toml::from_str(
        &std::fs::read_to_string(root.join("fixtures/reports/wuhan-hongshan-kjj-2023.expect.toml"))
            .unwrap(),
    )
    .unwrap();
    let text = std::fs::read_to_string(root.join("examples/hongshan-kjj-2023.toml")).unwrap();
    let built = compile_with_builtins("examples/hongshan-kjj-2023.toml", &text)
        .unwrap_or_else(|p| panic!("{p:#?}"));
    let views = &built.views;
    assert_eq!(views.tables.len(), 9);
    let mut errors = Vec::new();
    let mut cells = 0;
    for view in &views.tables {
        let allow: Vec<&Allow> = expect
            .allow
            .iter()
            .filter(|a| a.table == view.id.key())
            .collect();
        cells += view
            .body_grid(Lang::Zh, views.amount_unit)
            .iter()
            .flatten()
            .filter(|c| !c.text().is_empty())
            .count();
        errors.extend(compare(view, &lines, &allow, views.amount_unit));
    }
    assert!(
        errors.is_empty(),
        "{} differences:\n{}",
        errors.len(),
        errors.join("\n")
    );
    // The nine tables print well over a thousand non-empty body cells.
    assert!(cells > 1000, "only {cells} cells compared");
}
