//! Writes the bad input workbooks of `fixtures/bad-input/` (each with its `.expect`), so that
//! they can be regenerated and reviewed as code rather than as binary files:
//!
//! ```sh
//! cargo run -p juesuan-render --example bad_workbooks            # into fixtures/bad-input
//! cargo run -p juesuan-render --example bad_workbooks -- DIR     # elsewhere
//! ```
//!
//! Some are the real template filled from the three-unit example with one value changed; the
//! others are written cell by cell, for what the template never writes (merged cells, Excel
//! errors, formulas without values, stray sheets and columns). `tests/template.rs` checks that
//! the committed files are what this writes; `juesuan-cli`'s `tests/bad_input.rs` runs them.

use juesuan_core::Lang;
use juesuan_input::Source;
use juesuan_input::decode::parse_document;
use juesuan_input::workbook::Book;
use juesuan_render::template::{Options, template};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Formula, Workbook};
use std::path::{Path, PathBuf};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// A cell value of a hand-written workbook.
#[derive(Clone)]
enum V {
    S(&'static str),
    N(i64),
    /// A formula and its cached result.
    F(&'static str, &'static str),
    /// A date (year, month, day) in a cell formatted as a date.
    D(u16, u8, u8),
}

struct Sheet {
    name: &'static str,
    cells: Vec<(u32, u16, V)>,
    merges: Vec<(u32, u16, u32, u16)>,
}

/// A hand-written workbook, as deterministic as the template.
fn raw(sheets: Vec<Sheet>) -> Vec<u8> {
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1).unwrap()),
    );
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for s in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(s.name).unwrap();
        for (r, c, v) in s.cells {
            match v {
                V::S(t) => ws.write(r, c, t).map(|_| ()),
                V::N(n) => ws.write(r, c, n as i32).map(|_| ()),
                V::F(f, result) => ws
                    .write_formula(r, c, Formula::new(f).set_result(result))
                    .map(|_| ()),
                V::D(y, m, d) => ws
                    .write_datetime_with_format(
                        r,
                        c,
                        ExcelDateTime::from_ymd(y, m, d).unwrap(),
                        &date,
                    )
                    .map(|_| ()),
            }
            .unwrap();
        }
        for (r1, c1, r2, c2) in s.merges {
            ws.merge_range(r1, c1, r2, c2, "", &Format::new()).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

/// The 部门 sheet of a valid department in 元 (rows from 3: label, key, value).
fn department() -> Sheet {
    Sheet {
        name: "部门",
        cells: vec![
            (1, 0, V::S("项目")),
            (1, 1, V::S("键")),
            (1, 2, V::S("值")),
            (2, 1, V::S("name")),
            (2, 2, V::S("示例区测试局")),
            (3, 1, V::S("year")),
            (3, 2, V::N(2024)),
            (4, 1, V::S("amount_unit")),
            (4, 2, V::S("元")),
        ],
        merges: Vec::new(),
    }
}

/// The header row of the records sheet at `path`, as the template labels it.
fn header(path: &str) -> Vec<(u32, u16, V)> {
    let book = Book::new();
    let (_, spec) = book.at_path(path).unwrap();
    spec.columns
        .iter()
        .enumerate()
        .map(|(c, col)| (1, c as u16, V::S(col.label.zh.to_string().leak())))
        .collect()
}

/// A 收入 sheet (unit, source, counterparty, function, amount) with `rows` from row 4.
fn income(rows: Vec<(u32, u16, V)>) -> Sheet {
    let mut cells = header("income");
    cells.push((2, 0, V::S("合计")));
    cells.extend(rows);
    Sheet {
        name: "收入",
        cells,
        merges: Vec::new(),
    }
}

/// The first column right of the records sheet at `path`'s table (I for 收入: the test
/// expects that cell, so a column added to the template shows here).
fn beside(path: &str) -> u16 {
    let n = header(path).len() as u16;
    assert_eq!(
        n, 8,
        "the 收入 sheet has eight columns; move the expected cell with them"
    );
    n
}

/// The column of `key` on the records sheet at `path`, so that hand-written rows follow the
/// template.
fn col_of(path: &str, key: &str) -> u16 {
    let book = Book::new();
    let (_, spec) = book.at_path(path).unwrap();
    spec.columns.iter().position(|c| c.key == key).unwrap() as u16
}

/// The column of `key` on 收入.
fn col(key: &str) -> u16 {
    col_of("income", key)
}

/// A 收入 row on row `r` (0-based): 事业收入 of `function`, `amount`.
fn fact(r: u32, function: &'static str, amount: V) -> Vec<(u32, u16, V)> {
    vec![
        (r, col("source"), V::S("事业收入")),
        (r, col("function"), V::S(function)),
        (r, col("amount"), amount),
    ]
}

fn a_fact(r: u32) -> Vec<(u32, u16, V)> {
    fact(r, "2060101 行政运行", V::N(120))
}

/// The template filled from the three-unit example with `from` replaced by `to` once.
fn filled(from: &str, to: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(format!("{ROOT}/examples/three-units-2024.toml")).unwrap();
    assert!(text.contains(from), "the example has no {from}");
    let text = text.replacen(from, to, 1);
    let tree = parse_document(&Source::new("three-units-2024.toml", text)).unwrap();
    let catalog = juesuan_input::compile::catalog(true, &[]).unwrap();
    template(&Options {
        catalog: &catalog,
        from: Some(&tree),
        lang: Lang::Zh,
    })
    .unwrap()
}

/// The workbook with every formula's cached value removed, as programs that write formulas
/// without computing them leave it (rust_xlsxwriter itself always writes one).
fn without_cached_values(bytes: &[u8]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut text = Vec::new();
        f.read_to_end(&mut text).unwrap();
        if name.starts_with("xl/worksheets/") {
            let s = String::from_utf8(text).unwrap();
            let mut kept = String::new();
            let mut rest = s.as_str();
            while let Some(at) = rest.find("</f><v>") {
                kept.push_str(&rest[..at + 4]);
                let after = &rest[at + 4..];
                let end = after.find("</v>").unwrap() + 4;
                rest = &after[end..];
            }
            kept.push_str(rest);
            text = kept.into_bytes();
        }
        out.start_file(name, options).unwrap();
        out.write_all(&text).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn main() {
    let dir: PathBuf = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(ROOT).join("fixtures/bad-input"));
    std::fs::create_dir_all(&dir).unwrap();
    // (file, bytes, expectation lines)
    let mut cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "wb-wrong-code.xlsx",
            filled(
                "\"2070112 文化和旅游市场管理\"",
                "\"2070188 文化和旅游市场管理\"",
            ),
            "# expect: E0211 at 收入!C5 (a function code the catalog does not have)\n# expect-text: 2070112",
        ),
        (
            "wb-text-in-amount.xlsx",
            filled("amount = \"850,000.00\"", "amount = \"八十五万\""),
            "# expect: E0205 at 收入!F5 (an amount written in words)\n# expect-text: 八十五万",
        ),
        (
            "wb-unknown-unit.xlsx",
            filled(
                "{ unit = \"本级\", source = \"一般公共预算财政拨款\", function = \"2070101 行政运行\"",
                "{ unit = \"档案馆\", source = \"一般公共预算财政拨款\", function = \"2070101 行政运行\"",
            ),
            "# expect: E0208 at 收入!A4 (a unit the 单位 sheet does not declare)\n# expect-text: 档案馆",
        ),
        (
            "wb-missing-sheet.xlsx",
            raw(vec![income(a_fact(3))]),
            "# expect: E1004 at - (no 部门 sheet)\n# expect-text: 部门",
        ),
        (
            "wb-merged-cells.xlsx",
            raw(vec![
                department(),
                Sheet {
                    merges: vec![(3, 0, 5, 0)],
                    ..income([a_fact(3), a_fact(4), a_fact(5)].concat())
                },
            ]),
            "# expect: E1005 at 收入!A4 (cells A4:A6 merged: two rows would lose their unit)\n# expect-text: A4:A6",
        ),
        (
            "wb-excel-error.xlsx",
            raw(vec![
                department(),
                income(fact(3, "2060101", V::F("=1/0", "#DIV/0!"))),
            ]),
            "# expect: E1010 at 收入!F4 (#DIV/0! in an amount)\n# expect-text: #DIV/0!",
        ),
        (
            "wb-formula-without-value.xlsx",
            without_cached_values(&raw(vec![
                department(),
                income(fact(3, "2060101", V::F("=100+20", ""))),
            ])),
            "# expect: E1011 at 收入!F4 (a formula saved by a program that does not compute it)\n# expect-text: =100+20",
        ),
        (
            "wb-date-in-amount.xlsx",
            raw(vec![
                department(),
                income(fact(3, "2060101", V::D(2024, 3, 1))),
            ]),
            "# expect: E1012 at 收入!F4 (Excel turned the amount into a date)",
        ),
        (
            "wb-unknown-sheet.xlsx",
            raw(vec![
                department(),
                Sheet {
                    name: "收人",
                    ..income(a_fact(3))
                },
            ]),
            "# expect: E1002 at 收人!A1 (a sheet name misspelt)\n# expect-text: 收入",
        ),
        (
            "wb-duplicate-sheet.xlsx",
            raw(vec![
                department(),
                income(a_fact(3)),
                Sheet {
                    name: "Income",
                    ..income(a_fact(3))
                },
            ]),
            "# expect: E1003 at Income!A1 (the same part twice, in both languages)",
        ),
        (
            "wb-unknown-column.xlsx",
            raw(vec![
                department(),
                income([a_fact(3), vec![(1, col("amount"), V::S("金钱"))]].concat()),
            ]),
            "# expect: E1006 at 收入!F2 (a header renamed)\n# expect-text: 金钱",
        ),
        (
            "wb-value-without-header.xlsx",
            raw(vec![
                department(),
                income([a_fact(3), vec![(3, beside("income"), V::N(5))]].concat()),
            ]),
            "# expect: E1006 at 收入!I4 (a value beside the table)",
        ),
        (
            "wb-orphan-row.xlsx",
            raw(vec![
                department(),
                income(a_fact(3)),
                Sheet {
                    name: "项目绩效指标",
                    cells: [
                        header("performance.projects.indicators"),
                        vec![
                            (3, 0, V::N(9)),
                            (3, 1, V::S("产出指标")),
                            (3, 2, V::S("数量指标")),
                            (3, 3, V::S("培训人次")),
                        ],
                    ]
                    .concat(),
                    merges: Vec::new(),
                },
            ]),
            "# expect: E1008 at 项目绩效指标!A4 (an indicator of project No. 9, which is not there)",
        ),
        (
            "wb-formula-with-value.xlsx",
            raw(vec![
                department(),
                income(fact(3, "2060101 行政运行", V::F("=100+20", "120"))),
                Sheet {
                    name: "支出",
                    cells: [
                        header("expenditure"),
                        vec![
                            (3, col_of("expenditure", "fund"), V::S("事业收入")),
                            (3, col_of("expenditure", "function"), V::S("2060101")),
                            (3, col_of("expenditure", "kind"), V::S("项目支出")),
                            (3, col_of("expenditure", "amount"), V::N(120)),
                        ],
                    ]
                    .concat(),
                    merges: Vec::new(),
                },
            ]),
            "# expect: accepted exit 0 (a formula saved with its value is read as its value)",
        ),
    ];
    // A valid template cut in half: a damaged download.
    let whole = filled("示例区文化和旅游局", "示例区文化和旅游局");
    cases.push((
        "wb-truncated.xlsx",
        whole[..whole.len() / 2].to_vec(),
        "# expect: E1001 at - (half a workbook)",
    ));
    for (name, bytes, expect) in cases {
        std::fs::write(dir.join(name), bytes).unwrap();
        let sidecar = dir.join(Path::new(name).with_extension("expect"));
        std::fs::write(sidecar, format!("{expect}\n")).unwrap();
    }
}
