//! The golden comparison shared by the golden tests of published reports: the tables built from
//! an example print, figure by figure, what a published report prints (its text as extracted).
//!
//! The fixture is the PDF's text as extracted: blank cells print nothing, long labels wrap onto
//! the next line(s) (sometimes with the row's amounts), justified labels are spaced out
//! character by character, and `=== 第N页 ===` marks pages. So the comparison is on tokens: each
//! generated row (its split code, label and amounts, as printed) must be the next row of the
//! fixture, where a generated label may be printed as several consecutive fixture tokens (a
//! wrapped or spaced-out label). Every fixture token of a table must belong to the header or to
//! a generated row: nothing is skipped.
//!
//! Expected values are read from the fixture, never typed in a test. Figures the facts cannot
//! reproduce, and printed texts the layout format cannot express, are listed with their reasons
//! in an expect file; an entry that no longer applies is an error.

use juesuan_core::Lang;
use juesuan_core::money::AmountUnit;
use juesuan_core::views::{Content, View, Views};
use juesuan_input::compile::compile_with_builtins;
use std::cell::Cell;
use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[derive(serde::Deserialize)]
pub struct Expect {
    pub allow: Vec<Allow>,
}

/// A tolerated difference between the fixture and the generated tables.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allow {
    /// Table key (`income`, …), or `*` for the line above every table (`kind = "meta"`).
    pub table: String,
    /// `figure` (one amount), `note` (the sentence under the table) or `meta` (the line
    /// between the title and the table).
    pub kind: String,
    /// For `figure`: the row address (code, 行次 or label) and column key of the generated cell.
    #[serde(default)]
    pub row: Option<String>,
    #[serde(default)]
    pub col: Option<String>,
    /// What the fixture prints.
    pub printed: String,
    /// What we print instead.
    pub generated: String,
    #[allow(dead_code)]
    why: String,
    #[serde(skip)]
    pub used: Cell<usize>,
}

/// One whitespace-separated token of the fixture.
#[derive(Clone, Debug)]
struct Tok {
    text: String,
    /// 1-based fixture line.
    line: usize,
    /// First token of its line.
    starts_line: bool,
}

/// One token of a generated row; amounts carry their cell address.
struct Want {
    text: String,
    cell: Option<(String, String)>,
}

/// A table's part of the fixture.
struct Section {
    /// Text between the title and the table (`单位：万元`).
    meta: String,
    /// Body tokens: header and rows, page markers and blank lines dropped.
    tokens: Vec<Tok>,
    /// The sentence printed under the table (注：… / 说明：…), if any.
    note: Option<(usize, String)>,
}

fn is_page_marker(line: &str) -> bool {
    let t = line.trim();
    t.starts_with("=== 第") && t.ends_with("页 ===")
}

fn is_amount(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
}

/// Whether `line` is the line above a table that says its unit (`单位：万元`, `编制部门：… 单位：元`).
fn says_unit(line: &str) -> bool {
    line.contains("单位：") || line.contains("单位:")
}

/// The printed lines of every table, in the order of the generated tables. A table starts at
/// the line that is exactly its title and is followed by a line that says its unit; it ends
/// where the next table starts or at the first line that begins with one of `ends`. A page
/// break inside a table may repeat its header: the lines after it that hold only header words
/// are left out.
fn sections(lines: &[&str], views: &Views, fixture: &str, ends: &[&str]) -> Vec<Section> {
    let next_content = |from: usize| {
        (from..lines.len()).find(|&i| !lines[i].trim().is_empty() && !is_page_marker(lines[i]))
    };
    let starts: Vec<usize> = views
        .tables
        .iter()
        .map(|v| {
            (0..lines.len())
                .find(|&i| {
                    lines[i].trim() == v.title.zh
                        && next_content(i + 1).is_some_and(|j| says_unit(lines[j]))
                })
                .unwrap_or_else(|| panic!("{} not found in {fixture}", v.title.zh))
        })
        .collect();
    let stops: Vec<usize> = (0..lines.len())
        .filter(|&i| ends.iter().any(|e| lines[i].trim().starts_with(e)))
        .collect();
    starts
        .iter()
        .zip(&views.tables)
        .map(|(&start, view)| {
            let end = starts
                .iter()
                .chain(&stops)
                .copied()
                .filter(|&s| s > start)
                .min()
                .unwrap_or(lines.len());
            let header_words: String = view
                .header
                .iter()
                .flat_map(|c| c.text.zh.split_whitespace())
                .collect();
            let meta_at = next_content(start + 1).expect("meta line");
            let mut tokens = Vec::new();
            let mut note = None;
            let mut after_break = false;
            for (i, line) in lines.iter().enumerate().take(end).skip(meta_at + 1) {
                if is_page_marker(line) {
                    after_break = true;
                    continue;
                }
                if line.trim().is_empty() {
                    continue;
                }
                let t = line.trim();
                if after_break && line.split_whitespace().all(|w| header_words.contains(w)) {
                    continue;
                }
                after_break = false;
                if note.is_some() || ["注：", "注:", "说明："].iter().any(|p| t.starts_with(p))
                {
                    let (_, text): &mut (usize, String) =
                        note.get_or_insert((i + 1, String::new()));
                    text.push_str(t);
                    continue;
                }
                for (k, w) in line.split_whitespace().enumerate() {
                    tokens.push(Tok {
                        text: w.to_string(),
                        line: i + 1,
                        starts_line: k == 0,
                    });
                }
            }
            Section {
                meta: lines[meta_at]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
                tokens,
                note,
            }
        })
        .collect()
}

/// Matches `want` against the fixture tokens from `at`: equal, or (for text) the
/// concatenation of consecutive fixture tokens. Returns the number of tokens used.
fn match_token(want: &str, tokens: &[Tok], at: usize) -> Option<usize> {
    let first = tokens.get(at)?;
    if first.text == want {
        return Some(1);
    }
    if is_amount(want) || !want.starts_with(first.text.as_str()) {
        return None;
    }
    let mut joined = first.text.clone();
    let mut used = 1;
    while joined.len() < want.len() {
        let next = tokens.get(at + used)?;
        joined.push_str(&next.text);
        used += 1;
        if !want.starts_with(joined.as_str()) {
            return None;
        }
    }
    (joined == want).then_some(used)
}

/// The generated rows of a table as printed tokens.
fn generated_rows(view: &View, unit: AmountUnit) -> Vec<Vec<Want>> {
    view.body_grid(Lang::Zh, unit)
        .iter()
        .map(|row| {
            row.iter()
                .flat_map(|c| match &c.content {
                    Content::Amount(_) => vec![Want {
                        text: c.text(),
                        cell: Some((
                            c.row.clone().unwrap_or_default(),
                            c.key.clone().unwrap_or_default(),
                        )),
                    }],
                    _ => c
                        .text()
                        .split_whitespace()
                        .map(|w| Want {
                            text: w.to_string(),
                            cell: None,
                        })
                        .collect(),
                })
                .collect::<Vec<Want>>()
        })
        .filter(|r| !r.is_empty())
        .collect()
}

/// Compares one table; returns the differences and the number of amounts compared.
fn compare(
    view: &View,
    unit: AmountUnit,
    section: &Section,
    allow: &[Allow],
) -> (Vec<String>, usize) {
    let table = view.id.key();
    let mut errors = Vec::new();
    let toks = &section.tokens;
    let rows = generated_rows(view, unit);
    let mut figures = 0;
    let mut pos = 0;
    let mut header_end = None;
    // The header's characters: the first row starts after all of them are printed (an empty
    // table's only row, `合计`, is also a header word).
    let header_chars: Vec<char> = view
        .header
        .iter()
        .flat_map(|c| c.text.zh.chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    let header_before = |j: usize| {
        let mut printed: Vec<char> = toks[..j].iter().flat_map(|t| t.text.chars()).collect();
        header_chars
            .iter()
            .all(|ch| match printed.iter().position(|p| p == ch) {
                Some(i) => {
                    printed.swap_remove(i);
                    true
                }
                None => false,
            })
    };
    for want in &rows {
        // The row starts at the first fixture line that begins with its first token (the
        // first row may follow header words on its line: `类 款 项 合计 …`).
        let start = (pos..toks.len()).find(|&j| {
            (header_end.is_none() || toks[j].starts_line)
                && (header_end.is_some() || header_before(j))
                && match_token(&want[0].text, toks, j).is_some()
        });
        let Some(start) = start else {
            let texts: Vec<&str> = want.iter().map(|w| w.text.as_str()).collect();
            errors.push(format!(
                "{table}: generated row not in the fixture: {texts:?}"
            ));
            continue;
        };
        match header_end {
            None => header_end = Some(start),
            Some(_) if start > pos => errors.push(format!(
                "{table}: fixture lines {}–{} print {:?}, which no generated row has",
                toks[pos].line,
                toks[start - 1].line,
                toks[pos..start].iter().map(|t| &t.text).collect::<Vec<_>>()
            )),
            Some(_) => {}
        }
        let mut k = start;
        for w in want {
            let Some(t) = toks.get(k) else {
                errors.push(format!(
                    "{table}: the fixture ends before {:?} of the row at line {}",
                    w.text, toks[start].line
                ));
                break;
            };
            if w.cell.is_some() {
                figures += 1;
            }
            if let Some(n) = match_token(&w.text, toks, k) {
                k += n;
                continue;
            }
            let tolerated = w.cell.as_ref().and_then(|(row, col)| {
                allow.iter().find(|a| {
                    a.kind == "figure"
                        && a.table == table
                        && a.row.as_deref() == Some(row.as_str())
                        && a.col.as_deref() == Some(col.as_str())
                        && a.printed == t.text
                        && a.generated == w.text
                })
            });
            match tolerated {
                Some(a) => a.used.set(a.used.get() + 1),
                None => errors.push(format!(
                    "{table}: fixture line {}: printed {:?}, generated {:?}{}",
                    t.line,
                    t.text,
                    w.text,
                    w.cell
                        .as_ref()
                        .map(|(r, c)| format!(" (row {r}, column {c})"))
                        .unwrap_or_default()
                )),
            }
            k += 1;
        }
        pos = k;
    }
    if pos < toks.len() {
        errors.push(format!(
            "{table}: fixture lines {}–{} print {:?} after the last generated row",
            toks[pos].line,
            toks[toks.len() - 1].line,
            toks[pos..].iter().map(|t| &t.text).collect::<Vec<_>>()
        ));
    }

    // Header: every generated header text is printed before the first row, contiguously once
    // the extraction's line breaks are removed, and nothing else is.
    let mut printed: String = toks[..header_end.unwrap_or(0)]
        .iter()
        .map(|t| t.text.as_str())
        .collect();
    let mut cells: Vec<_> = view.header.iter().collect();
    cells.sort_by_key(|c| (c.row, c.col));
    for c in cells {
        let text: String = c.text.zh.split_whitespace().collect();
        if text.is_empty() {
            continue;
        }
        match printed.find(&text) {
            Some(i) => printed.replace_range(i..i + text.len(), ""),
            // A heading the extraction wrapped between others' (`事业单位` … `经营收入`): each
            // of its characters, in order, is printed.
            None if text.chars().all(|ch| printed.contains(ch)) => {
                for ch in text.chars() {
                    if let Some(i) = printed.find(ch) {
                        printed.replace_range(i..i + ch.len_utf8(), "");
                    }
                }
            }
            None => errors.push(format!(
                "{table}: header {text:?} is not printed above the rows"
            )),
        }
    }
    if !printed.is_empty() {
        errors.push(format!(
            "{table}: the printed header has {printed:?} beyond the generated one"
        ));
    }

    // The sentence under the table.
    let ours = view
        .note
        .iter()
        .chain(view.empty_note.iter())
        .map(|t| t.zh.clone());
    let ours: String = ours.collect();
    let theirs = section
        .note
        .as_ref()
        .map(|(_, t)| t.clone())
        .unwrap_or_default();
    if ours != theirs {
        let tolerated = allow.iter().find(|a| {
            a.kind == "note" && a.table == table && a.printed == theirs && a.generated == ours
        });
        match tolerated {
            Some(a) => a.used.set(a.used.get() + 1),
            None => errors.push(format!(
                "{table}: note\n  printed:   {theirs:?}\n  generated: {ours:?}"
            )),
        }
    }
    (errors, figures)
}

/// What one golden test compares.
pub struct Golden<'a> {
    /// The published report's text (repository path).
    pub fixture: &'a str,
    /// What is tolerated, with reasons (repository path).
    pub expect: &'a str,
    /// The example that reproduces it.
    pub example: &'a str,
    /// Its layout.
    pub layout: &'a str,
    /// Lines that end the tables part of the report (`第三部分`).
    pub ends: &'a [&'a str],
}

impl Golden<'_> {
    /// Builds the example and compares every table with the fixture; returns the differences
    /// and the number of amounts compared.
    pub fn run(&self) -> (Vec<String>, usize) {
        let root = repo();
        let text = std::fs::read_to_string(root.join(self.fixture)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let expect: Expect =
            toml::from_str(&std::fs::read_to_string(root.join(self.expect)).unwrap()).unwrap();
        let input = std::fs::read_to_string(root.join(self.example)).unwrap();
        let built =
            compile_with_builtins(self.example, &input).unwrap_or_else(|p| panic!("{p:#?}"));
        let views = &built.views;
        assert_eq!(views.layout, self.layout);
        assert_eq!(views.tables.len(), 9);

        let mut errors = Vec::new();
        let mut figures = 0;
        let sections = sections(&lines, views, self.fixture, self.ends);
        for (view, section) in views.tables.iter().zip(&sections) {
            // The line above the table: the non-empty meta texts.
            let unit = views.unit_line(view);
            let meta: Vec<&str> = [
                views.meta.department.as_ref(),
                views.meta.year.as_ref(),
                Some(&unit),
            ]
            .into_iter()
            .flatten()
            .map(|t| t.zh.as_str())
            .filter(|t| !t.is_empty())
            .collect();
            let meta = meta.join(" ");
            if meta != section.meta {
                let tolerated = expect.allow.iter().find(|a| {
                    a.kind == "meta"
                        && (a.table == "*" || a.table == view.id.key())
                        && a.printed == section.meta
                        && a.generated == meta
                });
                match tolerated {
                    Some(a) => a.used.set(a.used.get() + 1),
                    None => errors.push(format!(
                        "{}: line above the table\n  printed:   {:?}\n  generated: {meta:?}",
                        view.id.key(),
                        section.meta
                    )),
                }
            }
            let (e, n) = compare(view, views.unit_of(view), section, &expect.allow);
            errors.extend(e);
            figures += n;
        }
        for a in &expect.allow {
            if a.used.get() == 0 {
                errors.push(format!(
                    "{}: {} {} {:?} {:?} is tolerated but no longer occurs",
                    self.expect, a.table, a.kind, a.row, a.col
                ));
            }
        }
        (errors, figures)
    }
}
