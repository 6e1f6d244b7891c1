//! The XLSX writer read back with calamine: cell text per sheet (snapshot), every amount
//! equal to the printed figure of its view, merged header cells where the views place them,
//! and byte-identical output for the same input.

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use juesuan_core::Lang;
use juesuan_core::views::{Content, View, Views};
use juesuan_input::compile::compile_with_builtins;
use juesuan_render::xlsx::workbook;
use rust_decimal::Decimal;
use std::io::Cursor;
use std::path::PathBuf;
use std::str::FromStr;

fn example_views() -> Views {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/hongshan-kjj-2023.toml");
    let text = std::fs::read_to_string(path).unwrap();
    compile_with_builtins("examples/hongshan-kjj-2023.toml", &text)
        .unwrap_or_else(|p| panic!("{p:#?}"))
        .views
}

fn open(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("a readable workbook")
}

/// The exact decimal a stored number stands for: the shortest decimal that reads back as the
/// same binary number (Rust prints exactly that), so `35549.61` is `35549.61`, not a binary
/// expansion. Generic so that this file names no floating point type (project policy).
fn decimal(x: impl std::fmt::Display) -> Decimal {
    Decimal::from_str(&x.to_string()).expect("a finite number")
}

/// A cell as a reader sees it; numbers with two decimals as the sheet formats them.
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(x) => format!("{:.2}", decimal(*x)),
        Data::Int(i) => i.to_string(),
        other => format!("{other:?}"),
    }
}

/// Every sheet as its name, then its rows with cells joined by tabs (trailing blanks dropped).
fn normalized(bytes: &[u8]) -> String {
    let mut book = open(bytes);
    let mut out = String::new();
    for name in book.sheet_names() {
        out.push_str(&format!("=== {name}\n"));
        let range = book.worksheet_range(&name).unwrap();
        for row in range.rows() {
            let cells: Vec<String> = row.iter().map(cell_text).collect();
            let line = cells.join("\t");
            out.push_str(line.trim_end_matches('\t'));
            out.push('\n');
        }
    }
    out
}

#[test]
fn example_workbook_cells_snapshot() {
    let views = example_views();
    insta::assert_snapshot!(
        "hongshan_zh",
        normalized(&workbook(&views, Lang::Zh).unwrap())
    );
}

#[test]
fn english_workbook_cells_snapshot() {
    let views = example_views();
    insta::assert_snapshot!(
        "hongshan_en",
        normalized(&workbook(&views, Lang::En).unwrap())
    );
}

/// The amounts of a view in reading order, as printed.
fn printed_amounts(view: &View, views: &Views, lang: Lang) -> Vec<Decimal> {
    view.body_grid(lang, views.amount_unit)
        .iter()
        .flatten()
        .filter_map(|c| match &c.content {
            Content::Amount(p) => Some(p.to_decimal()),
            _ => None,
        })
        .collect()
}

#[test]
fn every_amount_reads_back_as_printed() {
    let views = example_views();
    for lang in [Lang::Zh, Lang::En] {
        let bytes = workbook(&views, lang).unwrap();
        let mut book = open(&bytes);
        let names = book.sheet_names();
        assert_eq!(names.len(), views.tables.len());
        let mut total = 0;
        for (name, view) in names.iter().zip(&views.tables) {
            let range = book.worksheet_range(name).unwrap();
            // Numbers are exactly the body amounts, in reading order: nothing else in the sheet
            // (行次, codes, 栏次) is stored as a number.
            let got: Vec<Decimal> = range
                .rows()
                .flatten()
                .filter_map(|d| match d {
                    Data::Float(x) => Some(decimal(*x)),
                    Data::Int(i) => Some(Decimal::from(*i)),
                    _ => None,
                })
                .collect();
            let want = printed_amounts(view, &views, lang);
            assert_eq!(got, want, "{name}");
            total += want.len();
        }
        assert!(total > 900, "only {total} amounts compared");
    }
}

#[test]
fn same_views_give_identical_bytes() {
    let a = workbook(&example_views(), Lang::Zh).unwrap();
    let b = workbook(&example_views(), Lang::Zh).unwrap();
    assert!(a == b, "two builds differ");
    // The creation date is fixed, not read from the clock.
    let c = workbook(&example_views(), Lang::En).unwrap();
    assert!(a != c, "the language changes the workbook");
}

/// Merged regions of a sheet as ((first row, first col), (last row, last col)).
fn merged(book: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> Vec<((u32, u32), (u32, u32))> {
    book.merge_cells_by_sheet_name(sheet)
        .unwrap()
        .iter()
        .map(|d| (d.start, d.end))
        .collect()
}

#[test]
fn header_cells_are_merged_where_the_view_spans_them() {
    let views = example_views();
    let bytes = workbook(&views, Lang::Zh).unwrap();
    let mut book = open(&bytes);
    for (name, view) in book.sheet_names().iter().zip(&views.tables) {
        let range = book.worksheet_range(name).unwrap();
        let regions = merged(&mut book, name);
        // The header starts at the row whose first cell is the first header cell's text.
        let first = view
            .header
            .iter()
            .find(|h| h.row == 0 && h.col == 0)
            .expect("a header cell at the top left");
        let top = range
            .rows()
            .position(|r| r.first().is_some_and(|d| cell_text(d) == first.text.zh))
            .expect("header row") as u32;
        let mut spans = 0;
        for h in &view.header {
            if h.rowspan == 1 && h.colspan == 1 {
                continue;
            }
            let start = (top + h.row as u32, h.col as u32);
            let end = (
                start.0 + h.rowspan as u32 - 1,
                start.1 + h.colspan as u32 - 1,
            );
            assert!(
                regions.contains(&(start, end)),
                "{name}: header cell {:?} is not merged over {start:?}–{end:?}",
                h.text.zh
            );
            assert_eq!(
                range.get_value(start).map(cell_text).as_deref(),
                Some(h.text.zh.as_str()),
                "{name}"
            );
            spans += 1;
        }
        assert!(spans > 0, "{name}: no merged header cell checked");
        // The title spans the whole table width.
        let width = view.columns.len() as u32;
        assert!(regions.contains(&((0, 0), (0, width - 1))), "{name}: title");
        // No two merged regions overlap (Excel refuses such files).
        for (i, a) in regions.iter().enumerate() {
            for b in &regions[i + 1..] {
                let apart = a.1.0 < b.0.0 || b.1.0 < a.0.0 || a.1.1 < b.0.1 || b.1.1 < a.0.1;
                assert!(apart, "{name}: {a:?} overlaps {b:?}");
            }
        }
    }
}

#[test]
fn basic_economic_footer_labels_are_merged_to_their_amounts() {
    let views = example_views();
    let view = views
        .tables
        .iter()
        .find(|v| v.footer.len() == 2)
        .expect("公开06 has two footer totals");
    let bytes = workbook(&views, Lang::Zh).unwrap();
    let mut book = open(&bytes);
    let name = book.sheet_names()[views.tables.iter().position(|v| v == view).unwrap()].clone();
    let range = book.worksheet_range(&name).unwrap();
    let footer = range
        .rows()
        .position(|r| r.first().is_some_and(|d| cell_text(d) == "人员经费合计"))
        .expect("footer row") as u32;
    let regions = merged(&mut book, &name);
    // 人员经费合计 over code and name of panel 1, its amount under 决算数; 公用经费合计 over
    // the next five columns, its amount in the last.
    assert!(regions.contains(&((footer, 0), (footer, 1))), "{regions:?}");
    assert!(regions.contains(&((footer, 3), (footer, 7))), "{regions:?}");
    assert_eq!(
        range.get_value((footer, 2)).map(cell_text).as_deref(),
        Some("1316.78")
    );
    assert_eq!(
        range.get_value((footer, 8)).map(cell_text).as_deref(),
        Some("149.84")
    );
}

#[test]
fn english_sheet_names_fit_excel() {
    let views = example_views();
    let bytes = workbook(&views, Lang::En).unwrap();
    let names = open(&bytes).sheet_names();
    assert_eq!(names.len(), 9);
    for n in &names {
        assert!(n.starts_with("Table 0"), "{n}");
        assert!(n.encode_utf16().count() <= 31, "{n}");
        assert!(!n.contains(['[', ']', ':', '*', '?', '/', '\\']), "{n}");
    }
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), names.len());
}
