//! A filled-in input workbook (XLSX, XLS or ODS, through calamine) into the located tree the
//! decoder reads, every value at its `sheet!cell`.
//!
//! The reader checks the workbook's own structure — known sheets, known headers, no merged
//! cells in the data, no Excel error values, no formula without a computed value, no value
//! under no header — and leaves the meaning of the values (amounts, codes, units, duplicates)
//! to the one decoder that TOML and JSON files go through.
//!
//! Numbers come from calamine as binary floating point; each is taken as the shortest decimal
//! that reads back to the same stored number, which is the figure Excel and WPS display and
//! write. A cell whose value is not a plain decimal (say `0.30000000000000004`, from a formula)
//! is then refused by the decoder as too many decimals: it is never rounded silently.

use super::book::{self, AUXILIARY, Book, Column, Kind, Scalar, SheetSpec};
use crate::node::{Key, Loc, Node, Value};
use crate::schema::FieldType;
use calamine::{Data, Dimensions, Range, Reader, Sheets};
use juesuan_core::{Diagnostic, Location, Text};
use std::collections::HashMap;
use std::io::Cursor;

/// Whether `bytes` look like a workbook: a ZIP container (XLSX, ODS) or an OLE compound file
/// (XLS).
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// `C7` for 0-based row `r` and column `c`.
pub fn cell_name(r: u32, c: u32) -> String {
    let mut col = c as usize;
    let mut letters = String::new();
    loop {
        letters.insert(0, char::from(b'A' + (col % 26) as u8));
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    format!("{letters}{}", r + 1)
}

fn t(zh: impl Into<String>, en: impl Into<String>) -> Text {
    Text::new(zh, en)
}

struct Reading<'a> {
    file: &'a str,
    problems: Vec<Diagnostic>,
}

impl Reading<'_> {
    fn at(&self, sheet: &str, r: u32, c: u32) -> Location {
        Location::Cell {
            file: self.file.to_string(),
            sheet: sheet.to_string(),
            cell: cell_name(r, c),
        }
    }

    fn loc(&self, at: &Loc) -> Location {
        match at {
            Loc::Cell { sheet, cell } => Location::Cell {
                file: self.file.to_string(),
                sheet: sheet.clone(),
                cell: cell.clone(),
            },
            Loc::Offset(_) => self.whole(),
        }
    }

    fn whole(&self) -> Location {
        Location::File {
            file: self.file.to_string(),
        }
    }
}

/// One sheet as read: its spec and, per data row, its cells by column.
struct ReadSheet {
    spec: usize,
    name: String,
    /// Records sheet: one entry per record, in row order, with its 序号 and parent 序号.
    records: Vec<ReadRecord>,
}

struct ReadRecord {
    number: Option<(u32, Loc)>,
    parent: Option<(u32, Loc)>,
    at: Loc,
    /// (dotted key, value) in column order.
    fields: Vec<(String, Node)>,
}

/// Reads the workbook `bytes` named `name` into the tree of a department-year.
///
/// Errors E1001–E1012 are the workbook's own (docs/errors.md); everything the values mean is
/// checked afterwards by [`crate::decode::decode`].
pub fn read(name: &str, bytes: &[u8]) -> Result<Node, Vec<Diagnostic>> {
    let mut rd = Reading {
        file: name,
        problems: Vec::new(),
    };
    let unreadable = |why: String| {
        vec![
            Diagnostic::error(
                "E1001",
                Location::File {
                    file: name.to_string(),
                },
                t("无法读取工作簿", "the workbook cannot be read"),
            )
            .expected(t(
                "juesuan init --xlsx 生成并填写的 XLSX（或 XLS、ODS）工作簿",
                "an XLSX (or XLS, ODS) workbook made by juesuan init --xlsx and filled in",
            ))
            .found(why),
        ]
    };
    if bytes.len() > crate::Source::MAX_BYTES {
        return Err(unreadable(format!(
            "{} MiB (at most {} MiB)",
            bytes.len() >> 20,
            crate::Source::MAX_BYTES >> 20
        )));
    }
    if !is_workbook(bytes) {
        let head: Vec<String> = bytes.iter().take(4).map(|b| format!("{b:02X}")).collect();
        return Err(unreadable(format!(
            "no workbook signature (XLSX and ODS are ZIP files starting 50 4B 03 04, XLS an OLE file starting D0 CF 11 E0); this file starts {}",
            if head.is_empty() {
                "empty".to_string()
            } else {
                head.join(" ")
            }
        )));
    }
    let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| unreadable(e.to_string()))?;
    let book = Book::new();
    let mut sheets: Vec<ReadSheet> = Vec::new();
    let mut taken: HashMap<usize, String> = HashMap::new();
    for sheet in wb.sheet_names() {
        if AUXILIARY
            .iter()
            .any(|(zh, en)| sheet.trim() == *zh || sheet.trim().eq_ignore_ascii_case(en))
        {
            continue;
        }
        let Some((i, spec)) = book.sheet(&sheet) else {
            let mut known: Vec<(usize, String)> = book
                .sheets
                .iter()
                .map(|s| {
                    let zh = strsim::levenshtein(&s.name.zh, sheet.trim());
                    let en = strsim::levenshtein(&s.name.en.to_lowercase(), &sheet.to_lowercase());
                    (zh.min(en), s.name.zh.to_string())
                })
                .collect();
            known.sort();
            let near: Vec<String> = known.into_iter().take(3).map(|(_, n)| n).collect();
            rd.problems.push(
                Diagnostic::error(
                    "E1002",
                    rd.at(&sheet, 0, 0),
                    t(
                        format!("未知的工作表「{sheet}」"),
                        format!("unknown sheet “{sheet}”"),
                    ),
                )
                .expected(t(
                    format!("模板中的工作表，如 {}", near.join("、")),
                    format!("a sheet of the template, such as {}", near.join(", ")),
                ))
                .found(sheet.clone()),
            );
            continue;
        };
        if let Some(first) = taken.get(&i) {
            rd.problems.push(
                Diagnostic::error(
                    "E1003",
                    rd.at(&sheet, 0, 0),
                    t(
                        format!("工作表「{sheet}」与「{first}」重复"),
                        format!("sheet “{sheet}” repeats “{first}”"),
                    ),
                )
                .expected(t(
                    format!("「{}」只有一张", spec.name.zh),
                    format!("one sheet “{}”", spec.name.en),
                )),
            );
            continue;
        }
        taken.insert(i, sheet.clone());
        let range = match wb.worksheet_range(&sheet) {
            Ok(r) => r,
            Err(e) => {
                rd.problems
                    .push(unreadable(format!("{sheet}: {e}")).remove(0));
                continue;
            }
        };
        // Formulas, to tell a formula with no computed value from an empty cell.
        let formulas = wb.worksheet_formula(&sheet).ok();
        let merges = merged_cells(&mut wb, &sheet);
        for m in &merges {
            if m.end.0 + 1 >= book::HEADER_ROW {
                let range_name = format!(
                    "{}:{}",
                    cell_name(m.start.0, m.start.1),
                    cell_name(m.end.0, m.end.1)
                );
                rd.problems.push(
                    Diagnostic::error(
                        "E1005",
                        rd.at(&sheet, m.start.0, m.start.1),
                        t(
                            format!("合并单元格 {range_name}：合并后只有左上角单元格有值，其余的数会丢失"),
                            format!(
                                "merged cells {range_name}: only the top-left cell keeps a value, the others would be lost"
                            ),
                        ),
                    )
                    .expected(t(
                        "表头与数据区不合并单元格：取消合并，并在每行、每列填写各自的值",
                        "no merged cells in the header or the data: unmerge them and fill in every row and column",
                    ))
                    .found(range_name),
                );
            }
        }
        let read = match spec.kind {
            Kind::Records => read_records(&mut rd, spec, &sheet, &range, formulas.as_ref()),
            Kind::Fields => read_fields(&mut rd, spec, &sheet, &range, formulas.as_ref()),
        };
        sheets.push(ReadSheet {
            spec: i,
            name: sheet.clone(),
            records: read,
        });
    }
    for (i, spec) in book.sheets.iter().enumerate() {
        if spec.required && !taken.contains_key(&i) {
            rd.problems.push(
                Diagnostic::error(
                    "E1004",
                    rd.whole(),
                    t(
                        format!("工作簿缺少「{}」工作表", spec.name.zh),
                        format!("the workbook has no sheet “{}”", spec.name.en),
                    ),
                )
                .expected(t(
                    format!("「{}」工作表：{}", spec.name.zh, spec.about.zh),
                    format!("a sheet “{}”: {}", spec.name.en, spec.about.en),
                ))
                .found(wb.sheet_names().join(", ")),
            );
        }
    }
    if !rd.problems.is_empty() {
        return Err(rd.problems);
    }
    let root = assemble(&mut rd, &book, sheets);
    if rd.problems.is_empty() {
        Ok(root)
    } else {
        Err(rd.problems)
    }
}

fn merged_cells(wb: &mut Sheets<Cursor<&[u8]>>, sheet: &str) -> Vec<Dimensions> {
    match wb {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        // ODS and XLSB: calamine does not report merges; their values read as usual.
        _ => Vec::new(),
    }
}

/// The text of a cell, for headers and keys.
fn cell_text(range: &Range<Data>, r: u32, c: u32) -> String {
    match range.get_value((r, c)) {
        Some(Data::String(s)) => s.trim().to_string(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string().trim().to_string(),
    }
}

fn is_empty(range: &Range<Data>, formulas: Option<&Range<String>>, r: u32, c: u32) -> bool {
    let blank = match range.get_value((r, c)) {
        None | Some(Data::Empty) => true,
        Some(Data::String(s)) => s.trim().is_empty(),
        _ => false,
    };
    blank && formula_at(formulas, r, c).is_none()
}

fn formula_at(formulas: Option<&Range<String>>, r: u32, c: u32) -> Option<&str> {
    formulas
        .and_then(|f| f.get_value((r, c)))
        .map(String::as_str)
        .filter(|f| !f.trim().is_empty())
}

/// A cell's value as the node its column's type expects, or a problem.
fn value(
    rd: &mut Reading,
    sheet: &str,
    range: &Range<Data>,
    formulas: Option<&Range<String>>,
    r: u32,
    c: u32,
    column: &Column,
) -> Option<Node> {
    let at = Loc::Cell {
        sheet: sheet.to_string(),
        cell: cell_name(r, c),
    };
    let ty = column.ty();
    let numeric = matches!(
        ty,
        FieldType::Year | FieldType::Amount | FieldType::Count | FieldType::Score
    );
    let node = |value: Value| {
        Some(Node {
            at: at.clone(),
            value,
        })
    };
    let number = |shown: String| {
        if numeric {
            node(Value::Num(shown))
        } else if ty == FieldType::Texts {
            node(Value::Array(vec![Node {
                at: at.clone(),
                value: Value::Str(shown),
            }]))
        } else {
            node(Value::Str(shown))
        }
    };
    match range.get_value((r, c)).unwrap_or(&Data::Empty) {
        Data::Empty => {
            if let Some(f) = formula_at(formulas, r, c) {
                rd.problems.push(
                    Diagnostic::error(
                        "E1011",
                        rd.at(sheet, r, c),
                        t("公式没有计算结果", "the formula has no computed value"),
                    )
                    .expected(t(
                        "在 Excel、WPS 或 LibreOffice 中打开并保存（保存时计算公式），或直接填写数值",
                        "the workbook opened and saved in Excel, WPS or LibreOffice (which computes formulas), or the value typed in",
                    ))
                    .found(format!("={}", crate::node::abridged(f))),
                );
            }
            None
        }
        Data::String(s) => {
            let s = s.trim();
            if s.is_empty() {
                return None;
            }
            if ty == FieldType::Texts {
                let paragraphs: Vec<Node> = s
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| Node {
                        at: at.clone(),
                        value: Value::Str(l.to_string()),
                    })
                    .collect();
                return node(Value::Array(paragraphs));
            }
            node(Value::Str(s.to_string()))
        }
        Data::Float(v) => number(format!("{v}")),
        Data::Int(i) => number(i.to_string()),
        Data::Bool(b) => node(Value::Bool(*b)),
        Data::DateTime(d) => {
            let (y, mo, day, h, mi, s, _) = d.to_ymd_hms_milli();
            if numeric || d.is_duration() {
                rd.problems.push(
                    Diagnostic::error(
                        "E1012",
                        rd.at(sheet, r, c),
                        t(
                            "单元格是日期或时间，不是数",
                            "the cell holds a date or time, not a number",
                        ),
                    )
                    .expected(t(
                        "数值：把单元格格式改为“数值”或“常规”后重新输入",
                        "a number: set the cell's format to Number or General and type it again",
                    ))
                    .found(format!("{y:04}-{mo:02}-{day:02}")),
                );
                return None;
            }
            // A date typed into a text field (填报日期) is kept as the date it shows.
            let shown = if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{day:02}")
            } else {
                format!("{y:04}-{mo:02}-{day:02} {h:02}:{mi:02}:{s:02}")
            };
            node(Value::Str(shown))
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => node(Value::Str(s.clone())),
        Data::Error(e) => {
            rd.problems.push(
                Diagnostic::error(
                    "E1010",
                    rd.at(sheet, r, c),
                    t("单元格是 Excel 错误值", "the cell holds an Excel error"),
                )
                .expected(t(
                    "数值或文字；若由公式计算，先改正公式",
                    "a number or a text; if a formula computes it, correct the formula",
                ))
                .found(format!("{e}")),
            );
            None
        }
    }
}

fn unknown_header(rd: &mut Reading, spec: &SheetSpec, sheet: &str, r: u32, c: u32, found: &str) {
    let mut near: Vec<(usize, &Column)> = spec
        .columns
        .iter()
        .map(|col| {
            let d = strsim::levenshtein(&col.label.zh, found)
                .min(strsim::levenshtein(&col.key, &found.to_lowercase()));
            (d, col)
        })
        .collect();
    near.sort_by_key(|(d, c)| (*d, c.key.clone()));
    let near: Vec<&Column> = near.into_iter().take(3).map(|(_, c)| c).collect();
    rd.problems.push(
        Diagnostic::error(
            "E1006",
            rd.at(sheet, r, c),
            t(
                format!("「{sheet}」中未知的列或项目「{found}」"),
                format!("unknown column or row “{found}” in sheet “{sheet}”"),
            ),
        )
        .expected(t(
            format!(
                "模板中的名称，如 {}",
                near.iter()
                    .map(|c| c.label.zh.to_string())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            format!(
                "a name of the template, such as {}",
                near.iter()
                    .map(|c| c.key.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ))
        .found(crate::node::abridged(found)),
    );
}

/// A value at `(r, c)` in a column without a header, where it would be lost.
fn without_header(
    rd: &mut Reading,
    sheet: &str,
    range: &Range<Data>,
    at: (u32, u32),
    expected: Text,
) {
    let (r, c) = at;
    rd.problems.push(
        Diagnostic::error(
            "E1006",
            rd.at(sheet, r, c),
            t("值所在的列没有表头", "a value in a column without a header"),
        )
        .expected(expected)
        .found(cell_text(range, r, c)),
    );
}

fn whole_number(
    rd: &mut Reading,
    sheet: &str,
    node: &Node,
    r: u32,
    c: u32,
    what: &Text,
) -> Option<(u32, Loc)> {
    let raw = match &node.value {
        Value::Num(n) | Value::Str(n) => n.trim().to_string(),
        _ => String::new(),
    };
    match raw.parse::<u32>() {
        Ok(n) if n > 0 => Some((n, node.at.clone())),
        _ => {
            rd.problems.push(
                Diagnostic::error(
                    "E1008",
                    rd.at(sheet, r, c),
                    t(
                        format!("{}不是正整数", what.zh),
                        format!("{} is not a positive whole number", what.en),
                    ),
                )
                .expected(t("1、2、3……", "1, 2, 3, …"))
                .found(node.shown()),
            );
            None
        }
    }
}

/// The records of a records sheet.
fn read_records(
    rd: &mut Reading,
    spec: &SheetSpec,
    sheet: &str,
    range: &Range<Data>,
    formulas: Option<&Range<String>>,
) -> Vec<ReadRecord> {
    // The last row and column (0-based), if the sheet has cells.
    let Some((last_row, last_col)) = range.end() else {
        return Vec::new();
    };
    let header = book::HEADER_ROW - 1;
    // Header cells to columns.
    let mut columns: Vec<(u32, &Column)> = Vec::new();
    for c in 0..=last_col {
        let h = cell_text(range, header, c);
        if h.is_empty() {
            continue;
        }
        match spec.columns.iter().find(|col| col.is_named(&h)) {
            Some(col) => {
                if let Some((first, _)) = columns.iter().find(|(_, k)| k.key == col.key) {
                    rd.problems.push(
                        Diagnostic::error(
                            "E1007",
                            rd.at(sheet, header, c),
                            t(
                                format!("列「{h}」重复（已在 {}）", cell_name(header, *first)),
                                format!("column “{h}” repeats {}", cell_name(header, *first)),
                            ),
                        )
                        .expected(t("每列只出现一次", "each column once")),
                    );
                } else {
                    columns.push((c, col));
                }
            }
            None => unknown_header(rd, spec, sheet, header, c, &h),
        }
    }
    let mut data_rows = header + 1..=last_row;
    if cell_text(range, book::TOTALS_ROW - 1, 0) == book::TOTALS_LABEL.0
        || cell_text(range, book::TOTALS_ROW - 1, 0).eq_ignore_ascii_case(book::TOTALS_LABEL.1)
    {
        data_rows = book::TOTALS_ROW..=last_row;
    }
    let has_data = data_rows
        .clone()
        .any(|r| (0..=last_col).any(|c| !is_empty(range, formulas, r, c)));
    if has_data {
        for col in spec.columns.iter().filter(|c| c.required) {
            if !columns.iter().any(|(_, k)| k.key == col.key) {
                rd.problems.push(
                    Diagnostic::error(
                        "E1009",
                        rd.at(sheet, header, 0),
                        t(
                            format!("「{sheet}」缺少必填列「{}」", col.label.zh),
                            format!(
                                "sheet “{sheet}” lacks the required column “{}”",
                                col.label.en
                            ),
                        ),
                    )
                    .expected(t(
                        format!(
                            "第 {} 行表头中有「{}」：{}",
                            book::HEADER_ROW,
                            col.label.zh,
                            col.help.zh
                        ),
                        format!(
                            "“{}” in the header (row {}): {}",
                            col.label.en,
                            book::HEADER_ROW,
                            col.help.en
                        ),
                    )),
                );
            }
        }
    }
    let mut out = Vec::new();
    for r in data_rows {
        if (0..=last_col).all(|c| is_empty(range, formulas, r, c)) {
            continue;
        }
        // A value in a column without a header would be lost.
        for c in 0..=last_col {
            if !is_empty(range, formulas, r, c) && !columns.iter().any(|(cc, _)| *cc == c) {
                let h = cell_text(range, header, c);
                if h.is_empty() {
                    without_header(
                        rd,
                        sheet,
                        range,
                        (r, c),
                        t(
                            format!("值填在第 {} 行有表头的列中", book::HEADER_ROW),
                            format!("values under the headers of row {}", book::HEADER_ROW),
                        ),
                    );
                }
            }
        }
        let mut record = ReadRecord {
            number: None,
            parent: None,
            at: Loc::Cell {
                sheet: sheet.to_string(),
                cell: cell_name(r, 0),
            },
            fields: Vec::new(),
        };
        for (c, col) in &columns {
            let Some(v) = value(rd, sheet, range, formulas, r, *c, col) else {
                continue;
            };
            match col.scalar {
                Scalar::Number => record.number = whole_number(rd, sheet, &v, r, *c, &col.label),
                Scalar::Parent => record.parent = whole_number(rd, sheet, &v, r, *c, &col.label),
                _ => record.fields.push((col.key.clone(), v)),
            }
        }
        // A 序号 or 所属序号 left empty (one that is not a number was reported above).
        let mut missing = |scalar: Scalar, what: Text, expected: Text| {
            let c = columns
                .iter()
                .find(|(_, k)| k.scalar == scalar)
                .map_or(0, |(c, _)| *c);
            if is_empty(range, formulas, r, c) {
                rd.problems
                    .push(Diagnostic::error("E1008", rd.at(sheet, r, c), what).expected(expected));
            }
        };
        if record.number.is_none() && spec.numbered() {
            missing(
                Scalar::Number,
                t("缺少序号", "the No. is missing"),
                t(
                    "本行的序号（1、2、3……），下级工作表以此引用本行",
                    "this row's number (1, 2, 3, …), by which the sheets below name it",
                ),
            );
        }
        if record.parent.is_none() && spec.parent.is_some() {
            missing(
                Scalar::Parent,
                t("缺少所属序号", "the parent No. is missing"),
                t(
                    "本行所属上级记录的序号",
                    "the No. of the record this row belongs to",
                ),
            );
        }
        out.push(record);
    }
    out
}

/// The one record of a fields sheet: rows of label (A), key (B), value (C) and help (D); a row
/// with only a value continues the list of paragraphs above it.
fn read_fields(
    rd: &mut Reading,
    spec: &SheetSpec,
    sheet: &str,
    range: &Range<Data>,
    formulas: Option<&Range<String>>,
) -> Vec<ReadRecord> {
    // The last row and column (0-based), if the sheet has cells.
    let Some((last_row, last_col)) = range.end() else {
        return Vec::new();
    };
    let mut fields: Vec<(String, Node)> = Vec::new();
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut previous: Option<&Column> = None;
    for r in book::FIELDS_FIRST_ROW - 1..=last_row {
        let label = cell_text(range, r, 0);
        let key = cell_text(range, r, 1);
        let empty_value = is_empty(range, formulas, r, 2);
        for c in 4..=last_col {
            if !is_empty(range, formulas, r, c) {
                without_header(
                    rd,
                    sheet,
                    range,
                    (r, c),
                    t("值填在 C 列（值）", "values in column C (value)"),
                );
            }
        }
        if label.is_empty() && key.is_empty() {
            // Blank rows may separate the paragraphs of a list: they do not end it.
            if empty_value {
                continue;
            }
            match previous {
                Some(col) if col.ty() == FieldType::Texts => {
                    if let Some(Node {
                        value: Value::Array(more),
                        ..
                    }) = value(rd, sheet, range, formulas, r, 2, col)
                        && let Some((_, Node {
                            value: Value::Array(items),
                            ..
                        })) = fields.iter_mut().rev().find(|(k, _)| *k == col.key)
                    {
                        items.extend(more);
                    }
                }
                _ => rd.problems.push(
                    Diagnostic::error(
                        "E1006",
                        rd.at(sheet, r, 2),
                        t("值没有对应的项目", "a value without its row's name"),
                    )
                    .expected(t(
                        "A 列写项目名称或 B 列写键；只有“段落”类项目可在下方续行",
                        "the row's name in column A or its key in column B; only lists of paragraphs continue on the rows below",
                    ))
                    .found(cell_text(range, r, 2)),
                ),
            }
            continue;
        }
        let col = spec
            .columns
            .iter()
            .find(|c| !key.is_empty() && c.is_named(&key))
            .or_else(|| {
                spec.columns
                    .iter()
                    .find(|c| !label.is_empty() && c.is_named(&label))
            });
        let Some(col) = col else {
            let (c, found) = if key.is_empty() { (0, label) } else { (1, key) };
            unknown_header(rd, spec, sheet, r, c, &found);
            previous = None;
            continue;
        };
        previous = Some(col);
        if empty_value {
            continue;
        }
        if let Some(first) = seen.get(&col.key) {
            rd.problems.push(
                Diagnostic::error(
                    "E1007",
                    rd.at(sheet, r, 1),
                    t(
                        format!("项目「{}」重复（第 {first} 行已填）", col.label.zh),
                        format!("row “{}” repeats row {first}", col.key),
                    ),
                )
                .expected(t("每个项目填写一次", "each row once")),
            );
            continue;
        }
        seen.insert(col.key.clone(), r + 1);
        if let Some(v) = value(rd, sheet, range, formulas, r, 2, col) {
            fields.push((col.key.clone(), v));
        }
    }
    if fields.is_empty() {
        return Vec::new();
    }
    vec![ReadRecord {
        number: None,
        parent: None,
        at: Loc::Cell {
            sheet: sheet.to_string(),
            cell: cell_name(book::FIELDS_FIRST_ROW - 1, 2),
        },
        fields,
    }]
}

/// Inserts `value` at dotted `key` into the table entries `into`, creating tables on the way.
fn insert(into: &mut Vec<(Key, Node)>, key: &str, at: &Loc, value: Node) {
    match key.split_once('.') {
        None => into.push((
            Key {
                name: key.to_string(),
                at: value.at.clone(),
            },
            value,
        )),
        Some((head, rest)) => {
            let pos = into.iter().position(|(k, _)| k.name == head);
            let pos = pos.unwrap_or_else(|| {
                into.push((
                    Key {
                        name: head.to_string(),
                        at: at.clone(),
                    },
                    Node {
                        at: at.clone(),
                        value: Value::Table(Vec::new()),
                    },
                ));
                into.len() - 1
            });
            if let Value::Table(inner) = &mut into[pos].1.value {
                insert(inner, rest, at, value);
            }
        }
    }
}

fn table(record: &ReadRecord) -> Node {
    let mut entries = Vec::new();
    for (k, v) in &record.fields {
        insert(&mut entries, k, &record.at, v.clone());
    }
    Node {
        at: record.at.clone(),
        value: Value::Table(entries),
    }
}

/// The tree of the whole workbook: sections from their sheets, lists inside records under
/// their parents' rows.
fn assemble(rd: &mut Reading, book: &Book, sheets: Vec<ReadSheet>) -> Node {
    // Each sheet's records as nodes; children attached before their parents are placed, so go
    // from the last sheet (children follow parents in the book) to the first.
    let mut nodes: HashMap<usize, Vec<(Option<u32>, Node)>> = HashMap::new();
    let mut by_spec: Vec<Option<ReadSheet>> = (0..book.sheets.len()).map(|_| None).collect();
    for s in sheets {
        let i = s.spec;
        by_spec[i] = Some(s);
    }
    let root_at = by_spec
        .iter()
        .flatten()
        .next()
        .map(|s| Loc::Cell {
            sheet: s.name.clone(),
            cell: "A1".into(),
        })
        .unwrap_or(Loc::Cell {
            sheet: book.sheets[0].name.zh.to_string(),
            cell: "A1".into(),
        });
    for i in (0..book.sheets.len()).rev() {
        let Some(sheet) = &by_spec[i] else {
            continue;
        };
        // Duplicate numbers.
        let mut numbers: HashMap<u32, String> = HashMap::new();
        for rec in &sheet.records {
            if let Some((n, at)) = &rec.number {
                let Loc::Cell { cell, .. } = at else { continue };
                if let Some(first) = numbers.get(n) {
                    rd.problems.push(
                        Diagnostic::error(
                            "E1007",
                            rd.loc(at),
                            t(
                                format!("序号 {n} 重复（{first} 已用）"),
                                format!("No. {n} repeats {first}"),
                            ),
                        )
                        .expected(t("每行的序号各不相同", "a different No. on every row")),
                    );
                } else {
                    numbers.insert(*n, cell.clone());
                }
            }
        }
        let mut list = Vec::new();
        for rec in &sheet.records {
            let mut node = table(rec);
            // Children of this row, from the sheets whose parent is this one.
            if let Some((n, _)) = &rec.number {
                for (j, child) in book.sheets.iter().enumerate() {
                    if child.parent != Some(i) {
                        continue;
                    }
                    let Some(kids) = nodes.get_mut(&j) else {
                        continue;
                    };
                    let mine: Vec<Node> = kids
                        .iter()
                        .filter(|(p, _)| *p == Some(*n))
                        .map(|(_, k)| k.clone())
                        .collect();
                    kids.retain(|(p, _)| *p != Some(*n));
                    if !mine.is_empty() {
                        let key = child.path.last().copied().unwrap_or_default();
                        if let Value::Table(entries) = &mut node.value {
                            entries.push((
                                Key {
                                    name: key.to_string(),
                                    at: mine[0].at.clone(),
                                },
                                Node {
                                    at: mine[0].at.clone(),
                                    value: Value::Array(mine),
                                },
                            ));
                        }
                    }
                }
            }
            list.push((rec.parent.as_ref().map(|(p, _)| *p), node));
        }
        nodes.insert(i, list);
    }
    // Rows that name a parent no row has.
    for (j, child) in book.sheets.iter().enumerate() {
        let (Some(p), Some(kids)) = (child.parent, nodes.get(&j)) else {
            continue;
        };
        let Some(sheet) = &by_spec[j] else { continue };
        for rec in &sheet.records {
            let Some((n, at)) = &rec.parent else { continue };
            if kids.iter().any(|(q, _)| *q == Some(*n)) {
                rd.problems.push(
                    Diagnostic::error(
                        "E1008",
                        rd.loc(at),
                        t(
                            format!("所属序号 {n} 在「{}」中不存在", book.sheets[p].name.zh),
                            format!(
                                "parent No. {n} is not a row of sheet “{}”",
                                book.sheets[p].name.en
                            ),
                        ),
                    )
                    .expected(t(
                        format!("「{}」工作表中某行的序号", book.sheets[p].name.zh),
                        format!("the No. of a row of sheet “{}”", book.sheets[p].name.en),
                    ))
                    .found(n.to_string()),
                );
            }
        }
    }
    // Sections.
    let mut root: Vec<(Key, Node)> = Vec::new();
    for (i, spec) in book.sheets.iter().enumerate() {
        if spec.parent.is_some() {
            continue;
        }
        let Some(list) = nodes.remove(&i) else {
            continue;
        };
        if list.is_empty() {
            continue;
        }
        let at = list[0].1.at.clone();
        let value = if spec.path.len() == 1 && crate::schema::keyed(spec.path[0]).is_some() {
            // Rows of (code, text) become a table keyed by code (`class_uses`, `codes`).
            let text_key = spec.columns.get(1).map_or("text", |c| c.key.as_str());
            let mut entries = Vec::new();
            for (_, n) in list {
                let code = n.get("code").cloned();
                let text = n.get(text_key).cloned();
                if let (Some(code), Some(text)) = (code, text) {
                    let name = match &code.value {
                        Value::Str(s) | Value::Num(s) => s.clone(),
                        _ => String::new(),
                    };
                    entries.push((Key { name, at: code.at }, text));
                } else {
                    rd.problems.push(
                        Diagnostic::error(
                            "E1009",
                            rd.loc(&n.at),
                            t(
                                format!(
                                    "{}与{}须同时填写",
                                    spec.columns[0].label.zh, spec.columns[1].label.zh
                                ),
                                format!(
                                    "the {} and the {} go together",
                                    spec.columns[0].label.en, spec.columns[1].label.en
                                ),
                            ),
                        )
                        .expected(t(
                            format!("{}与{}", spec.columns[0].label.zh, spec.columns[1].label.zh),
                            format!(
                                "the {} and the {}",
                                spec.columns[0].label.en, spec.columns[1].label.en
                            ),
                        )),
                    );
                }
            }
            Node {
                at: at.clone(),
                value: Value::Table(entries),
            }
        } else if spec.path.len() == 1 {
            match spec.kind {
                Kind::Records => Node {
                    at: at.clone(),
                    value: Value::Array(list.into_iter().map(|(_, n)| n).collect()),
                },
                Kind::Fields => list.into_iter().next().map(|(_, n)| n).expect("one record"),
            }
        } else {
            // A list inside a table section: under the section's table, at its path.
            let records = Node {
                at: at.clone(),
                value: Value::Array(list.into_iter().map(|(_, n)| n).collect()),
            };
            insert(&mut root, &spec.dotted(), &at, records);
            continue;
        };
        match root.iter().position(|(k, _)| k.name == spec.path[0]) {
            // Its child sheets came first (they are placed after the parent in the book, but
            // a section can also be created by a child when the parent sheet is empty).
            Some(p) => {
                if let (Value::Table(existing), Value::Table(mut more)) =
                    (&mut root[p].1.value, value.value)
                {
                    more.append(existing);
                    *existing = more;
                }
            }
            None => root.push((
                Key {
                    name: spec.path[0].to_string(),
                    at: at.clone(),
                },
                value,
            )),
        }
    }
    Node {
        at: root_at,
        value: Value::Table(root),
    }
}
